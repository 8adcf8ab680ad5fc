import { describe, expect, it } from 'vitest';
import type { Db } from '../../src/store/db';
import { now } from '../../src/store/db';
import {
  allZones, deleteZoneRow, findZonesByName, getZone, hasPendingZones, insertZone, markApplied, markForDelete,
  pendingZones, relatedZones, revertPending, setDesiredMasters, takeClaim, zonesInNamespace,
} from '../../src/store/zones';
import type { Zone } from '../../src/store/zones';
import { listZones } from '../../src/store/zone-listing';
import { seed, useTempDbs } from './temp-db';
import { ips, zn } from '../helpers/brands';

/** Where named has the zones these tests apply: the shared view, with a namespace's ACL text. */
const PLACE = { view: '_dnsmgr', acl: 'on 192.0.2.1; xfer none' };

const dbs = useTempDbs();
const STALE = 300;

function zone(db: Db, id: number): Zone {
  const z = getZone(db, id);
  if (!z) throw new Error(`zone ${id} is gone`);
  return z;
}

/** A world with alice's example.com inserted under claim 'p1:a'. */
function withZone(masters = ['198.51.100.2']): { db: Db; id: number; f: ReturnType<typeof seed> } {
  const db = dbs.open();
  const f = seed(db);
  const id = insertZone(db, { name: zn('example.com'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips(...masters), claim: 'p1:a' });
  return { db, id, f };
}

/** example.com applied with masters A, then edited to masters B under claim 'p2:b'. */
function editedZone(): { db: Db; id: number } {
  const { db, id } = withZone(['198.51.100.2']);
  markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
  setDesiredMasters(db, id, ips('198.51.100.3', '2001:db8::3'), 'p2:b');
  return { db, id };
}

describe('insertZone', () => {
  it('stores the desired masters with a pending apply under the inserting claim', () => {
    const { db, id, f } = withZone(['198.51.100.2', '2001:db8::2']);
    const z = zone(db, id);
    expect(z).toMatchObject({
      id, name: 'example.com', namespaceId: f.nsAlice, ownerId: f.alice, dtype: 'slave',
      masters: ['198.51.100.2', '2001:db8::2'], appliedMasters: null, pending: 'apply', claim: 'p1:a',
    });
    expect(Math.abs((z.claimedAt ?? 0) - now())).toBeLessThanOrEqual(1);
    expect(hasPendingZones(db)).toBe(true);
    expect(pendingZones(db).map((p) => p.id)).toEqual([id]);
  });

  it('refuses the same name twice in one namespace, and allows it in another', () => {
    const { db, f } = withZone();
    const again = { name: zn('example.com'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('192.0.2.9'), claim: 'p9:z' };
    expect(() => insertZone(db, again)).toThrow(/UNIQUE constraint failed: zone.namespace_id, zone.name/);
    const inBob = insertZone(db, { ...again, namespaceId: f.nsBob, ownerId: f.bob });
    expect(findZonesByName(db, 'example.com').map((z) => z.namespaceId).sort()).toEqual([f.nsAlice, f.nsBob].sort());
    expect(zone(db, inBob).ownerId).toBe(f.bob);
  });

  it('refuses an owner or namespace that does not exist', () => {
    const { db, f } = withZone();
    expect(() => insertZone(db, { name: zn('a.example'), namespaceId: f.nsAlice, ownerId: 999, masters: ips('192.0.2.1'), claim: 'c' })).toThrow(/FOREIGN KEY/);
    expect(() => insertZone(db, { name: zn('a.example'), namespaceId: 999, ownerId: f.alice, masters: ips('192.0.2.1'), claim: 'c' })).toThrow(/FOREIGN KEY/);
  });
});

describe('markApplied', () => {
  it('does nothing for another claim', () => {
    const { db, id } = withZone();
    const before = zone(db, id);
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p2:other');
    expect(zone(db, id)).toEqual(before);
  });

  it('with the right claim records what named has and ends the change', () => {
    const { db, id } = withZone();
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    expect(zone(db, id)).toMatchObject({ appliedMasters: ['198.51.100.2'], pending: null, claim: null, claimedAt: null });
    expect(hasPendingZones(db)).toBe(false);
  });

  it('is idempotent', () => {
    const { db, id } = withZone();
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    const once = zone(db, id);
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    expect(zone(db, id)).toEqual(once);
  });

  it('keeps the change pending when named got other masters than are now desired', () => {
    const { db, id } = withZone(['198.51.100.2']);
    markApplied(db, id, ips('198.51.100.9'), PLACE, true, 'p1:a');
    expect(zone(db, id)).toMatchObject({ masters: ['198.51.100.2'], appliedMasters: ['198.51.100.9'], pending: 'apply', claim: null });
    expect(hasPendingZones(db)).toBe(true);
  });

  it('of an edit by an earlier claim is ignored once a newer edit took the zone', () => {
    const { db, id } = editedZone();
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    expect(zone(db, id)).toMatchObject({ masters: ['198.51.100.3', '2001:db8::3'], appliedMasters: ['198.51.100.2'], pending: 'apply', claim: 'p2:b' });
  });
});

describe('takeClaim', () => {
  const setClaimedAt = (db: Db, id: number, t: number): void => {
    db.prepare('UPDATE zone SET claimed_at = ? WHERE id = ?').run(t, id);
  };

  it('refuses a fresh claim of a live process', () => {
    const { db, id } = withZone();
    expect(takeClaim(db, id, 'p9:new', now() - STALE, [])).toBe(false);
    expect(zone(db, id).claim).toBe('p1:a');
  });

  it('takes a stale claim', () => {
    const { db, id } = withZone();
    setClaimedAt(db, id, now() - STALE - 10);
    expect(takeClaim(db, id, 'p9:new', now() - STALE, [])).toBe(true);
    const z = zone(db, id);
    expect(z.claim).toBe('p9:new');
    expect(Math.abs((z.claimedAt ?? 0) - now())).toBeLessThanOrEqual(1);
    expect(z.pending).toBe('apply');
  });

  it('takes a fresh claim of a dead process', () => {
    const { db, id } = withZone();
    expect(takeClaim(db, id, 'p9:new', now() - STALE, ['p7:x', 'p1:a'])).toBe(true);
    expect(zone(db, id).claim).toBe('p9:new');
  });

  it('takes a pending change nobody claims', () => {
    const { db, id } = withZone(['198.51.100.2']);
    markApplied(db, id, ips('198.51.100.9'), PLACE, true, 'p1:a'); // still pending, claim cleared
    expect(takeClaim(db, id, 'p9:new', now() - STALE, [])).toBe(true);
  });

  it('leaves a zone without a pending change alone', () => {
    const { db, id } = withZone();
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    expect(takeClaim(db, id, 'p9:new', now() + 1000, [])).toBe(false);
    expect(zone(db, id).claim).toBeNull();
  });

  it('lets only one of two takers win: the second sees the first one fresh and alive', () => {
    const { db, id } = withZone();
    setClaimedAt(db, id, now() - STALE - 10);
    expect(takeClaim(db, id, 'p8:first', now() - STALE, ['p1:a'])).toBe(true);
    expect(takeClaim(db, id, 'p9:second', now() - STALE, ['p1:a'])).toBe(false);
    expect(zone(db, id).claim).toBe('p8:first');
  });

  it('hands the change over: the old claim can no longer finish it, the new one can', () => {
    const { db, id } = withZone();
    expect(takeClaim(db, id, 'p9:new', now() - STALE, ['p1:a'])).toBe(true);
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    expect(zone(db, id).pending).toBe('apply');
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p9:new');
    expect(zone(db, id).pending).toBeNull();
  });
});

describe('revertPending', () => {
  it('deletes a zone named never had', () => {
    const { db, id } = withZone();
    revertPending(db, id, 'p1:a');
    expect(getZone(db, id)).toBeUndefined();
    expect(hasPendingZones(db)).toBe(false);
  });

  it('gives an edited zone back the masters named has', () => {
    const { db, id } = editedZone();
    revertPending(db, id, 'p2:b');
    expect(zone(db, id)).toMatchObject({ masters: ['198.51.100.2'], appliedMasters: ['198.51.100.2'], pending: null, claim: null, claimedAt: null });
  });

  it('cancels a delete of a zone named has', () => {
    const { db, id } = withZone();
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    markForDelete(db, id, 'p3:d');
    revertPending(db, id, 'p3:d');
    expect(zone(db, id)).toMatchObject({ masters: ['198.51.100.2'], pending: null, claim: null });
  });

  it('does nothing for another claim', () => {
    const { db, id } = editedZone();
    const before = zone(db, id);
    revertPending(db, id, 'p1:a');
    expect(zone(db, id)).toEqual(before);
    const fresh = withZone();
    revertPending(fresh.db, fresh.id, 'p2:other');
    expect(getZone(fresh.db, fresh.id)).toBeDefined();
  });

  it('does nothing for a zone that is gone', () => {
    const { db } = withZone();
    expect(() => revertPending(db, 999, 'p1:a')).not.toThrow();
  });
});

describe('markForDelete and deleteZoneRow', () => {
  it('mark the zone and remove the row only for the claim that marked it', () => {
    const { db, id } = withZone();
    markApplied(db, id, ips('198.51.100.2'), PLACE, true, 'p1:a');
    markForDelete(db, id, 'p3:d');
    expect(zone(db, id)).toMatchObject({ pending: 'delete', claim: 'p3:d' });
    deleteZoneRow(db, id, 'p1:a');
    expect(getZone(db, id)).toBeDefined();
    deleteZoneRow(db, id, 'p3:d');
    expect(getZone(db, id)).toBeUndefined();
  });
});

describe('listZones', () => {
  function world(): { db: Db; f: ReturnType<typeof seed> } {
    const db = dbs.open();
    const f = seed(db);
    for (const [name, ns, owner] of [
      ['b.example', f.nsAlice, f.alice], ['a.example', f.nsBob, f.bob], ['c.example', f.nsAlice, f.alice], ['a.example', f.nsAlice, f.alice],
    ] as const) {
      insertZone(db, { name: zn(name), namespaceId: ns, ownerId: owner, masters: ips('192.0.2.53'), claim: 'c' });
    }
    return { db, f };
  }

  it('without a filter lists every zone by name, with its owner', () => {
    const { db } = world();
    const zones = listZones(db);
    expect(zones.map((z) => z.name)).toEqual(['a.example', 'a.example', 'b.example', 'c.example']);
    // Same-named zones in two namespaces come in no particular order.
    expect(zones.map((z) => `${z.name}:${z.owner}`).sort()).toEqual(['a.example:alice', 'a.example:bob', 'b.example:alice', 'c.example:alice']);
  });

  it('rows as shown: masters, the status of a change under way first, then suspended, then the health; all text', () => {
    const { db, f } = world();
    const id = (name: string, owner: number): number => (db.prepare('SELECT id FROM zone WHERE name = ? AND owner_id = ?').pluck().get(name, owner) as number);
    const row = (name: string, owner: number) => listZones(db).find((z) => z.name === name && z.owner === (owner === f.alice ? 'alice' : 'bob'));
    const b = id('b.example', f.alice);
    expect(row('b.example', f.alice)).toEqual({ name: 'b.example', owner: 'alice', dtype: 'slave', masterip: '192.0.2.53', status: 'adding', reason: '', serial: '', updated: '' });
    db.prepare("UPDATE zone SET masters = '192.0.2.53,2001:db8::53' WHERE id = ?").run(b);
    markApplied(db, b, ips('192.0.2.53', '2001:db8::53'), PLACE, true, 'c');
    expect(row('b.example', f.alice)).toMatchObject({ masterip: '192.0.2.53, 2001:db8::53', status: 'waiting' });
    db.prepare("INSERT INTO zone_health (zone_id, serial, last_ok_at, status, reason) VALUES (?, 2026113001, 1796000000, 'problem', 'refused')").run(b);
    expect(row('b.example', f.alice)).toMatchObject({ status: 'problem', reason: 'refused', serial: '2026113001', updated: '2026-11-30 00:53:20' });
    db.prepare('UPDATE zone SET suspended_at = 1 WHERE id = ?').run(b);
    expect(row('b.example', f.alice)?.status).toBe('suspended');
    db.prepare("UPDATE zone SET pending = 'apply' WHERE id = ?").run(b);
    expect(row('b.example', f.alice)?.status).toBe('resuming');
    db.prepare("UPDATE zone SET pending = 'delete' WHERE id = ?").run(b);
    expect(row('b.example', f.alice)?.status).toBe('deleting');
    db.prepare("UPDATE zone SET pending = 'apply', suspended_at = NULL WHERE id = ?").run(b);
    expect(row('b.example', f.alice)?.status).toBe('updating');
  });

  it('with an owner filter lists only their zones', () => {
    const { db, f } = world();
    expect(listZones(db, [f.alice]).map((z) => z.name)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(listZones(db, [f.bob]).map((z) => `${z.name}:${z.owner}`)).toEqual(['a.example:bob']);
    expect(listZones(db, [f.alice, f.bob])).toHaveLength(4);
    expect(listZones(db, [])).toEqual([]);
    expect(listZones(db, [999])).toEqual([]);
  });

  it('per namespace, and all of them', () => {
    const { db, f } = world();
    expect(zonesInNamespace(db, f.nsAlice).map((z) => z.name)).toEqual(['a.example', 'b.example', 'c.example']);
    expect(zonesInNamespace(db, f.nsBob).map((z) => z.name)).toEqual(['a.example']);
    expect(allZones(db).map((z) => z.name)).toEqual(['b.example', 'a.example', 'c.example', 'a.example']);
  });
});

describe('relatedZones (the parent/child conflict check without a scan)', () => {
  /** bob holds `names`; what would alice's `name` collide with? */
  function related(names: string[], name: string, raw = false): string[] {
    const db = dbs.open();
    const f = seed(db);
    for (const n of names) {
      if (raw) {
        // Written without the reversed name, as a script or an older dnsmgr might: still found.
        db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, masters, created_at, updated_at) VALUES (?, ?, ?, '198.51.100.2', 0, 0)`).run(n, f.nsBob, f.bob);
      } else {
        insertZone(db, { name: zn(n), namespaceId: f.nsBob, ownerId: f.bob, masters: ips('198.51.100.2'), claim: 'p:b' });
      }
    }
    return relatedZones(db, name, f.alice).map((z) => z.name).sort();
  }

  for (const raw of [false, true]) {
    describe(raw ? 'rows without a reversed name' : 'rows written by insertZone', () => {
      it('finds the name itself and its parents, and a zone below it', () => {
        expect(related(['example.com'], 'example.com', raw)).toEqual(['example.com']);
        expect(related(['example.com'], 'a.example.com', raw)).toEqual(['example.com']);
        expect(related(['com'], 'a.example.com', raw)).toEqual(['com']);
        expect(related(['a.example.com'], 'example.com', raw)).toEqual(['a.example.com']);
        expect(related(['x.a.example.com'], 'example.com', raw)).toEqual(['x.a.example.com']);
      });

      it('finds nothing for names that only share characters: aexample.com, example.com.ua, example.co, sub-example.com', () => {
        expect(related(['aexample.com', 'example.com.ua', 'example.co', 'sub-example.com', 'xample.com'], 'example.com', raw)).toEqual([]);
        expect(related(['example.com'], 'aexample.com', raw)).toEqual([]);
        expect(related(['example.com'], 'example.com.ua', raw)).toEqual([]);
        expect(related(['a.example.com'], 'example.co', raw)).toEqual([]);
        expect(related(['a.example.com'], 'b.example.com', raw)).toEqual([]);
      });

      it('takes LIKE wildcards in a name literally', () => {
        expect(related(['a.ex_mple.com'], 'exxmple.com', raw)).toEqual([]);
        expect(related(['a.ex_mple.com'], 'ex_mple.com', raw)).toEqual(['a.ex_mple.com']);
      });
    });
  }

  it("looks for a zone below only among other accounts' (one is enough), and never through the whole table", () => {
    const db = dbs.open();
    const f = seed(db);
    insertZone(db, { name: zn('a.example.com'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.2'), claim: 'p:a' });
    insertZone(db, { name: zn('b.example.com'), namespaceId: f.nsBob, ownerId: f.bob, masters: ips('198.51.100.2'), claim: 'p:b' });
    insertZone(db, { name: zn('c.example.com'), namespaceId: f.nsBob, ownerId: f.bob, masters: ips('198.51.100.2'), claim: 'p:b' });
    expect(relatedZones(db, 'example.com', f.alice)).toEqual([{ name: 'b.example.com', ownerId: f.bob }]);
    const plans = db.prepare(`EXPLAIN QUERY PLAN SELECT name FROM zone WHERE rname > 'com.example.' AND rname < 'com.example/' AND owner_id <> 1 LIMIT 1`).all() as { detail: string }[];
    expect(plans.map((p) => p.detail).join('\n')).toMatch(/USING INDEX zone_rname/);
    const fallback = db.prepare(`EXPLAIN QUERY PLAN SELECT name FROM zone WHERE rname IS NULL AND name LIKE '%.example.com' AND owner_id <> 1 LIMIT 1`).all() as { detail: string }[];
    expect(fallback.map((p) => p.detail).join('\n')).toMatch(/USING INDEX zone_rname \(rname=\?\)/);
  });
});

describe('the zone counts the database keeps (passwd used/shared, domain limits)', () => {
  const counts = (db: Db, id: number): { used: number; shared: number } =>
    db.prepare('SELECT zones_used AS used, zones_shared AS shared FROM account WHERE id = ?').get(id) as { used: number; shared: number };

  it('follow inserts, deletes, a zone changing hands and a namespace changing owner', () => {
    const { db, id, f } = withZone();
    expect(counts(db, f.alice)).toEqual({ used: 1, shared: 0 });
    // alice's zone in bob's namespace: shared.
    const other = insertZone(db, { name: zn('other.com'), namespaceId: f.nsBob, ownerId: f.alice, masters: ips('198.51.100.2'), claim: 'p:a' });
    expect(counts(db, f.alice)).toEqual({ used: 2, shared: 1 });
    expect(counts(db, f.bob)).toEqual({ used: 0, shared: 0 });
    db.prepare('UPDATE zone SET owner_id = ? WHERE id = ?').run(f.bob, other);
    expect(counts(db, f.alice)).toEqual({ used: 1, shared: 0 });
    expect(counts(db, f.bob)).toEqual({ used: 1, shared: 0 });
    db.prepare('UPDATE namespace SET owner_id = ? WHERE id = ?').run(f.alice, f.nsBob);
    expect(counts(db, f.bob)).toEqual({ used: 1, shared: 1 });
    deleteZoneRow(db, id, 'p1:a');
    deleteZoneRow(db, other, 'p:a');
    expect(counts(db, f.alice)).toEqual({ used: 0, shared: 0 });
    expect(counts(db, f.bob)).toEqual({ used: 0, shared: 0 });
  });
});
