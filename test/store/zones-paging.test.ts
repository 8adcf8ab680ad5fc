// The domain list paged, sorted and streamed by SQLite, against the list sorted here: for every column both ways,
// everyone's zones, some owners' and a filtered list, every page is its slice of the list (from either end), the count is
// its length and the stream is the list; the default order is read along the index, not sorted, and streams in batches
// that take up after the last row (a twin name on a batch's edge included), holding no list of ids.
import { describe, expect, it } from 'vitest';
import { filterRows } from '../../src/funcs/lists';
import { insertAccount } from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import { insertNamespace } from '../../src/store/namespaces';
import { countZoneListing, LISTING_COLUMNS, listZones, streamZoneListing, zoneListingPage } from '../../src/store/zone-listing';
import type { ListingQuery, ZoneListing } from '../../src/store/zone-listing';
import { seed, useTempDbs } from './temp-db';

const dbs = useTempDbs();

interface World {
  db: Db;
  alice: number;
  bob: number;
  carol: number;
}

/**
 * n zones over three owners in an order unlike their names', in every state the status column shows (a change on its
 * way, suspended, a health row or none), with serials of different lengths and equal times, and one name in two
 * namespaces: two rows that only zid tells apart. `names` gives other names.
 */
function world(n: number, names = (i: number) => `z${String((i * 7919) % n).padStart(5, '0')}.example`): World {
  const db = dbs.open();
  const f = seed(db);
  const carol = insertAccount(db, { name: 'carol', level: 16, resellerId: null, passwordHash: 'x', disabled: false, namespaceId: null });
  const nsCarol = insertNamespace(db, 'carol', carol);
  const insert = db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, dtype, masters, applied_masters, pending, suspended_at, created_at, updated_at)
    VALUES (?, ?, ?, 'slave', ?, ?, ?, ?, 0, 0)`);
  const owners = [[f.nsAlice, f.alice], [f.nsBob, f.bob], [nsCarol, carol]] as const;
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const [ns, owner] = owners[i % 3]!;
      const pending = i % 11 === 1 ? 'apply' : i % 13 === 2 ? 'delete' : null;
      insert.run(names(i), ns, owner, i % 4 === 0 ? '198.51.100.1,2001:db8::1' : `198.51.100.${i % 5}`, i % 7 === 3 ? null : '198.51.100.1', pending, i % 17 === 4 ? 1 : null);
    }
    insert.run('twin.example', f.nsAlice, f.alice, '203.0.113.1', '203.0.113.1', null, null);
    insert.run('twin.example', f.nsBob, f.bob, '203.0.113.2', '203.0.113.2', null, null);
  })();
  // Serials 0-1999 (a text sort would put 1000 before 200), times in a few distinct seconds, one zone in five unheard of.
  db.prepare(`INSERT INTO zone_health (zone_id, serial, status, reason, last_ok_at)
    SELECT id, CASE WHEN id % 9 = 0 THEN NULL ELSE id * 37 % 2000 END, CASE id % 4 WHEN 0 THEN 'problem' WHEN 1 THEN 'expired' ELSE 'ok' END,
      CASE WHEN id % 4 = 0 THEN 'timeout' ELSE NULL END, CASE WHEN id % 6 = 0 THEN NULL ELSE 1700000000 + id % 5 * 86400 END
    FROM zone WHERE id % 5 <> 0`).run();
  return { db, alice: f.alice, bob: f.bob, carol };
}

const text = (a: string, b: string): number => Buffer.compare(Buffer.from(a), Buffer.from(b));

/**
 * The list as it must come: every zone as listZones shows it in its default order, which is by name then zid (the
 * zids read here beside it), then sorted here by the column (serial as a number, '' first), name and zid, all one way.
 */
function expected(db: Db, q: ListingQuery): ZoneListing[] {
  const all = listZones(db);
  const zids = db.prepare('SELECT id, name FROM zone ORDER BY name, id').all() as { id: number; name: string }[];
  expect(all.map((z) => z.name)).toEqual(zids.map((z) => z.name));
  const owners = q.ownerIds === undefined ? undefined : new Set(db.prepare('SELECT name FROM account WHERE id IN (SELECT value FROM json_each(?))')
    .pluck().all(JSON.stringify(q.ownerIds)) as string[]);
  let rows = all.map((z, i) => ({ z, zid: zids[i]!.id })).filter(({ z }) => owners === undefined || owners.has(z.owner));
  if (q.filters !== undefined) {
    const kept = new Set(filterRows(rows.map(({ z }) => z), q.filters));
    rows = rows.filter(({ z }) => kept.has(z));
  }
  const sort = q.sort ?? { column: 'name', desc: false };
  const key = (z: ZoneListing): string => z[sort.column as keyof ZoneListing];
  const byKey = sort.column === 'serial'
    ? (a: ZoneListing, b: ZoneListing) => (key(a) === '' ? -1 : Number(key(a))) - (key(b) === '' ? -1 : Number(key(b)))
    : (a: ZoneListing, b: ZoneListing) => text(key(a), key(b));
  const sign = sort.desc ? -1 : 1;
  rows.sort((a, b) => sign * (byKey(a.z, b.z) || text(a.z.name, b.z.name) || a.zid - b.zid));
  return rows.map(({ z }) => z);
}

const key = (z: ZoneListing): string => `${z.name}/${z.owner}/${z.masterip}`;

/** Every page of cnt rows, one after the other, to the first empty one. */
function pagesOf(db: Db, q: ListingQuery, cnt: number): ZoneListing[] {
  const out: ZoneListing[] = [];
  for (let offset = 0; ; offset += cnt) {
    const { rows, elems } = zoneListingPage(db, q, offset, cnt);
    expect(elems).toBe(countZoneListing(db, q));
    if (rows.length === 0) return out;
    out.push(...rows);
  }
}

const SORTS = LISTING_COLUMNS.flatMap((column) => [{ column, desc: false }, { column, desc: true }]);

describe('domain list pages and stream', () => {
  it.each(SORTS)('sorted by %o: everyone\'s, some owners\', filtered — each page its slice, the stream the list', (sort) => {
    const { db, alice, carol } = world(257);
    const queries: ListingQuery[] = [
      { sort },
      { sort, ownerIds: [alice] },
      { sort, ownerIds: [alice, carol] },
      { sort, filters: [{ column: 'name', value: '1', exact: false }] },
      { sort, filters: [{ column: 'status', value: 'problem', exact: true }] },
      { sort, ownerIds: [carol], filters: [{ column: 'masterip', value: ', ', exact: false }, { column: 'updated', value: '2023', exact: false }] },
    ];
    for (const q of queries) {
      const all = expected(db, q);
      expect(all.length).toBeGreaterThan(5);
      expect(listZones(db, q.ownerIds, q.filters ?? [], q.sort)).toEqual(all);
      expect(countZoneListing(db, q)).toBe(all.length);
      expect(pagesOf(db, q, 50).map(key)).toEqual(all.map(key));
      // Pages of odd sizes from both ends and the middle, and past the end.
      for (const [offset, cnt] of [[0, 7], [3, 7], [Math.floor(all.length / 2) - 3, 7], [all.length - 8, 7], [all.length - 3, 7], [all.length, 7], [all.length + 40, 7]] as const) {
        expect(zoneListingPage(db, q, offset, cnt)).toEqual({ rows: all.slice(offset, offset + cnt), elems: all.length });
      }
      expect([...streamZoneListing(db, q)]).toEqual(all);
    }
  });

  it.each(SORTS)('sorted by %o where most keys tie (one serial, one reason, one time, one master, one type, or none): by name, then zid', (sort) => {
    // As on a server whose zones come from one master and refresh together: the key orders few rows, the name and zid
    // the rest. One zone in three has no serial (a health row without one, or none at all), one in five is a master.
    const { db, bob } = world(211);
    db.exec(`UPDATE zone_health SET serial = CASE WHEN zone_id % 3 = 0 THEN NULL ELSE 2026113001 END,
        reason = CASE WHEN zone_id % 2 = 0 THEN 'notauth' END, last_ok_at = CASE WHEN zone_id % 4 = 0 THEN 0 ELSE 1764460800 END;
      UPDATE zone SET dtype = 'master' WHERE id % 5 = 1;
      UPDATE zone SET masters = '198.51.100.1' WHERE id % 7 <> 0;`);
    for (const q of [{ sort }, { sort, ownerIds: [bob] }] as ListingQuery[]) {
      const all = expected(db, q);
      expect(listZones(db, q.ownerIds, [], q.sort)).toEqual(all);
      expect(pagesOf(db, q, 10).map(key)).toEqual(all.map(key));
      for (const offset of [0, 5, Math.floor(all.length / 2), all.length - 9]) {
        expect(zoneListingPage(db, q, offset, 9)).toEqual({ rows: all.slice(offset, offset + 9), elems: all.length });
      }
      expect([...streamZoneListing(db, q)]).toEqual(all);
    }
  });

  it.each(SORTS)('sorted by %o, stays in order as health rows come, change and go', (sort) => {
    const { db } = world(97);
    const check = (): void => {
      const all = expected(db, { sort });
      expect(pagesOf(db, { sort }, 8).map(key)).toEqual(all.map(key));
      expect(zoneListingPage(db, { sort }, Math.floor(all.length / 2), 8).rows).toEqual(all.slice(Math.floor(all.length / 2), Math.floor(all.length / 2) + 8));
    };
    check();
    // The zones without a health row get one, as a refresh gives them; then serials, reasons and times change; then
    // some rows go (the zones' keys are those of a zone without one again).
    db.exec('INSERT INTO zone_health (zone_id) SELECT id FROM zone WHERE id NOT IN (SELECT zone_id FROM zone_health)');
    check();
    db.exec("UPDATE zone_health SET serial = 7, reason = 'refused', last_ok_at = 1700000000 WHERE zone_id % 3 = 1");
    check();
    db.exec("UPDATE zone_health SET serial = NULL, reason = NULL, last_ok_at = -5 WHERE zone_id % 4 = 2");
    check();
    db.exec('UPDATE zone_health SET serial = serial + zone_id, last_ok_at = last_ok_at + zone_id WHERE zone_id % 2 = 0');
    check();
    db.exec('DELETE FROM zone_health WHERE zone_id % 5 = 3');
    check();
  });

  it('sorts as asked: serial as a number, updated as the time it shows, zid breaking ties both ways', () => {
    const { db } = world(40);
    const serials = listZones(db, undefined, [], { column: 'serial', desc: false }).map((z) => z.serial);
    expect(serials.filter((s) => s !== '').map(Number)).toEqual(serials.filter((s) => s !== '').map(Number).sort((a, b) => a - b));
    expect(serials.indexOf('')).toBe(0);
    const updated = listZones(db, undefined, [], { column: 'updated', desc: true }).map((z) => z.updated);
    expect(updated).toEqual([...updated].sort().reverse());
    const twins = listZones(db).filter((z) => z.name === 'twin.example');
    expect(twins.map((z) => z.owner)).toEqual(['alice', 'bob']);
    expect(listZones(db, undefined, [], { column: 'name', desc: true }).filter((z) => z.name === 'twin.example')).toEqual([...twins].reverse());
  });

  it.each(SORTS)('streams %o in batches across a twin name on the edge of a batch', (sort) => {
    // 999 names before the twins and 999 after: the twins are rows 1,000 and 1,001 both ways.
    const { db, bob } = world(1998, (i) => (i < 999 ? `a${String(i).padStart(4, '0')}.example` : `z${String(i).padStart(4, '0')}.example`));
    for (const q of [{ sort }, { sort, ownerIds: [bob] }, { sort, filters: [{ column: 'status', value: 'o', exact: false }] }] as ListingQuery[]) {
      expect([...streamZoneListing(db, q)].map(key)).toEqual(expected(db, q).map(key));
    }
  });

  it('streams an owner with many zones along the name index, a few through the owner index: the same list', () => {
    const { db, alice, bob, carol } = world(12_500);
    db.prepare('UPDATE zone SET owner_id = ? WHERE owner_id = ?').run(alice, carol);
    expect(countZoneListing(db, { ownerIds: [alice] })).toBeGreaterThan(8000);
    for (const q of [{ ownerIds: [alice] }, { ownerIds: [bob], sort: { column: 'name', desc: true } }, { ownerIds: [alice, bob], sort: { column: 'name', desc: true } }] as ListingQuery[]) {
      expect([...streamZoneListing(db, q)].map(key)).toEqual(expected(db, q).map(key));
    }
  });

  it('the stream in name order holds no list: a zone added behind it is still listed, one deleted ahead is left out', () => {
    const { db, alice } = world(2500);
    const stream = streamZoneListing(db, {});
    expect(stream.next().done).toBe(false);
    const { namespace_id: ns } = db.prepare('SELECT namespace_id FROM account WHERE id = ?').get(alice) as { namespace_id: number };
    db.prepare("INSERT INTO zone (name, namespace_id, owner_id, masters, created_at, updated_at) VALUES ('zzz-late.example', ?, ?, '198.51.100.9', 0, 0)").run(ns, alice);
    db.prepare("DELETE FROM zone WHERE name = 'z02499.example'").run();
    const rest = [...stream].map((z) => z.name);
    expect(rest).toHaveLength(2502 - 1); // 2,500 zones and the twins, less the first row; one deleted, one added
    expect(rest).not.toContain('z02499.example');
    expect(rest.at(-1)).toBe('zzz-late.example');
  });

  it('a page in any order is found along an index alone (name, owner, or the key of its column): no table, no sort', () => {
    const { db, alice } = world(300);
    db.exec('ANALYZE');
    const plan = (q: ListingQuery, offset = 100): string => {
      const sql = idsSql(db, q, offset);
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ ...pageValues(q), limit: 10, offset: 100 }) as { detail: string }[];
      return rows.map((r) => r.detail).join('\n');
    };
    for (const q of [{}, { sort: { column: 'name', desc: false } }, { sort: { column: 'name', desc: true } }] as ListingQuery[]) {
      for (const offset of [100, 250]) {
        const p = plan(q, offset);
        expect(p).toMatch(/SCAN z USING COVERING INDEX zone_name/);
        expect(p).not.toMatch(/TEMP B-TREE|zone_health|account/);
      }
    }
    // Every other column, by its key kept on zone and indexed with the name, is read along that index both ways,
    // sorting nothing, joining nothing: health's columns too.
    for (const [column, index] of Object.entries(KEY_INDEXES)) {
      for (const desc of [false, true]) {
        for (const offset of [100, 250]) {
          const p = plan({ sort: { column, desc } }, offset);
          expect(p).toBe(`SCAN z USING COVERING INDEX ${index}`);
        }
      }
    }
    // By owner: the accounts along their name index, each one's zones along (owner_id, name), sorting nothing.
    for (const desc of [false, true]) {
      const p = plan({ sort: { column: 'owner', desc } });
      expect(p).toMatch(/SCAN a USING COVERING INDEX sqlite_autoindex_account_1\nSEARCH z USING COVERING INDEX zone_owner_name/);
      expect(p).not.toMatch(/TEMP B-TREE|zone_health/);
    }
    // A filter reading the rows that keeps few of them: the table read once and sorted (not a lookup per zone along the
    // order's index), joined to what the filter reads and no more; an owner's zones by an index, as the planner sees fit.
    const problems = { column: 'status', value: 'problem', exact: true };
    expect(plan({ sort: { column: 'serial', desc: false }, filters: [problems] }, 10)).toMatch(/^SCAN z\nUSE TEMP B-TREE FOR ORDER BY$/);
    expect(plan({ sort: { column: 'dtype', desc: true }, filters: [problems, { column: 'reason', value: 'timeout', exact: true }] }, 10))
      .toMatch(/^SCAN z\nSEARCH h USING INTEGER PRIMARY KEY.*\nUSE TEMP B-TREE FOR ORDER BY$/);
    expect(plan({ ownerIds: [alice] })).toMatch(/zone_owner|zone_name/);
  });
});

// The SQL of the query that finds a page's zone ids, captured from the statements better-sqlite3 prepares for it.
function idsSql(db: Db, q: ListingQuery, offset: number): string {
  const captured: string[] = [];
  const prepare = db.prepare.bind(db);
  const spy = (sql: string) => {
    captured.push(sql);
    return prepare(sql);
  };
  (db as unknown as { prepare: typeof spy }).prepare = spy;
  try {
    zoneListingPage(db, q, offset, 10);
  } finally {
    (db as unknown as { prepare: typeof prepare }).prepare = prepare;
  }
  const ids = captured.filter((sql) => sql.startsWith('SELECT z.id FROM'));
  expect(ids).toHaveLength(1);
  return ids[0]!;
}

function pageValues(q: ListingQuery): Record<string, string> {
  const filters = Object.fromEntries((q.filters ?? []).map((f, i) => [`f${i}`, f.value]));
  return q.ownerIds === undefined ? filters : { ...filters, owners: JSON.stringify(q.ownerIds) };
}

/** The index each order but owner's is read along: its key (kept on zone for status and health's columns), then the name. */
const KEY_INDEXES: Readonly<Record<string, string>> = {
  dtype: 'zone_dtype', masterip: 'zone_masters', status: 'zone_list_status', reason: 'zone_list_reason', serial: 'zone_list_serial', updated: 'zone_list_updated',
};
