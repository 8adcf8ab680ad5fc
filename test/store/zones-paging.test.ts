// The domain list paged, sorted and streamed by SQLite: pages concatenate to the whole list in every order, the count is
// the list's length, the stream is the list, and the default order is read along the index, not sorted.
import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db';
import { countZoneListing, LISTING_COLUMNS, listZones, streamZoneListing, zoneListingPage } from '../../src/store/zone-listing';
import type { ListingQuery } from '../../src/store/zone-listing';
import { seed, useTempDbs } from './temp-db';

const dbs = useTempDbs();

function world(n: number): { db: Db; alice: number; bob: number } {
  const db = dbs.open();
  const f = seed(db);
  const insert = db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, dtype, masters, pending, created_at, updated_at)
    VALUES (?, ?, ?, 'slave', ?, NULL, 0, 0)`);
  db.transaction(() => {
    for (let i = 0; i < n; i++) {
      const bob = i % 3 === 0;
      insert.run(`z${String((i * 7919) % n).padStart(5, '0')}.example`, bob ? f.nsBob : f.nsAlice, bob ? f.bob : f.alice, `198.51.100.${i % 5}`);
    }
    // One name in both namespaces: two rows that only zid tells apart.
    insert.run('twin.example', f.nsAlice, f.alice, '203.0.113.1');
    insert.run('twin.example', f.nsBob, f.bob, '203.0.113.2');
  })();
  db.prepare(`INSERT INTO zone_health (zone_id, serial, status, reason, last_ok_at) SELECT id, id * 37 % 1000, CASE WHEN id % 4 = 0 THEN 'problem' ELSE 'ok' END,
    CASE WHEN id % 4 = 0 THEN 'timeout' ELSE '' END, 1700000000 + id FROM zone WHERE id % 2 = 0`).run();
  return { db, alice: f.alice, bob: f.bob };
}

function pagesOf(db: Db, q: ListingQuery, cnt: number): string[] {
  const total = countZoneListing(db, q);
  const out: string[] = [];
  for (let offset = 0; offset < total + cnt; offset += cnt) out.push(...zoneListingPage(db, q, offset, cnt).map(key));
  return out;
}

const key = (z: { name: string; owner: string; masterip: string }): string => `${z.name}/${z.owner}/${z.masterip}`;

describe('domain list pages and stream', () => {
  it.each(LISTING_COLUMNS.flatMap((column) => [{ column, desc: false }, { column, desc: true }]))('sorted by %o: pages concatenate to the list, the stream is the list', (sort) => {
    const { db, alice } = world(257);
    for (const q of [{ sort }, { sort, ownerIds: [alice] }, { sort, filters: [{ column: 'name', value: '1', exact: false }] }] as ListingQuery[]) {
      const all = listZones(db, q.ownerIds, q.filters ?? [], q.sort).map(key);
      expect(all.length).toBe(countZoneListing(db, q));
      expect(pagesOf(db, q, 50)).toEqual(all);
      expect([...streamZoneListing(db, q)].map(key)).toEqual(all);
    }
  });

  it('sorts as asked: by name with zid breaking ties, serial as a number, both directions', () => {
    const { db } = world(40);
    const names = listZones(db).map((z) => z.name);
    expect(names).toEqual([...names].sort());
    expect(listZones(db, undefined, [], { column: 'name', desc: true }).map((z) => z.name)).toEqual([...names].sort().reverse());
    const serials = listZones(db, undefined, [], { column: 'serial', desc: false }).map((z) => z.serial).filter((s) => s !== '').map(Number);
    expect(serials).toEqual([...serials].sort((a, b) => a - b));
    const twins = listZones(db).filter((z) => z.name === 'twin.example');
    expect(twins).toHaveLength(2);
    expect(listZones(db, undefined, [], { column: 'name', desc: true }).filter((z) => z.name === 'twin.example')).toEqual([...twins].reverse());
  });

  it('the stream reads the rows it is asked for, and a zone deleted while it runs is left out', () => {
    const { db } = world(2500);
    const stream = streamZoneListing(db, {});
    const first = stream.next();
    expect(first.done).toBe(false);
    db.prepare("DELETE FROM zone WHERE name = 'z02499.example'").run();
    const rest = [...stream];
    expect(rest).toHaveLength(2502 - 1 - 1); // 2,500 zones and the twins, less the first row and the deleted one
    expect(rest.map((z) => z.name)).not.toContain('z02499.example');
  });

  it('a page in the default order, or by name either way, is read along the index: no full scan, no sort', () => {
    const { db, alice } = world(300);
    db.exec('ANALYZE');
    const plan = (q: ListingQuery): string => {
      // The page query as zoneListingPage runs it, explained.
      const rows = db.prepare(`EXPLAIN QUERY PLAN ${pageSql(db, q)}`).all({ ...pageValues(q), limit: 10, offset: 100 }) as { detail: string }[];
      return rows.map((r) => r.detail).join('\n');
    };
    for (const q of [{}, { sort: { column: 'name', desc: false } }, { sort: { column: 'name', desc: true } }] as ListingQuery[]) {
      const p = plan(q);
      expect(p).toMatch(/SCAN z USING INDEX zone_name/);
      expect(p).not.toMatch(/TEMP B-TREE/);
    }
    // Sorting by another column does sort (said in the README); an owner's few zones are found by the owner index.
    expect(plan({ sort: { column: 'status', desc: false } })).toMatch(/TEMP B-TREE/);
    expect(plan({ ownerIds: [alice] })).toMatch(/zone_owner|zone_name/);
  });
});

// The SQL of zoneListingPage, captured from the statement better-sqlite3 prepares for it.
function pageSql(db: Db, q: ListingQuery): string {
  let captured = '';
  const prepare = db.prepare.bind(db);
  const spy = (sql: string) => {
    captured = sql;
    return prepare(sql);
  };
  (db as unknown as { prepare: typeof spy }).prepare = spy;
  try {
    zoneListingPage(db, q, 0, 1);
  } finally {
    (db as unknown as { prepare: typeof prepare }).prepare = prepare;
  }
  return captured;
}

function pageValues(q: ListingQuery): Record<string, string> {
  return q.ownerIds === undefined ? {} : { owners: JSON.stringify(q.ownerIds) };
}
