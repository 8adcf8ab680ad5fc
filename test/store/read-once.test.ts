// readOnce: a read that visits each page about once runs with SQLite's page cache cut to a few pages, and the cache is
// as it was afterwards, whatever the read did; a long-running process (keepWholePageCache) keeps its cache as it is.
// The domain list uses it for everyone's zones unfiltered only: a filter or an owner set keeps the whole cache.
import { describe, expect, it } from 'vitest';
import { keepWholePageCache, readOnce } from '../../src/store/db';
import { zoneListingPage } from '../../src/store/zone-listing';
import { seed, useTempDbs } from './temp-db';

const dbs = useTempDbs();
type Db = ReturnType<typeof dbs.open>;
const cacheSize = (db: Db): number => db.pragma('cache_size', { simple: true }) as number;

/** `count` zones z000.example… owned by `owner(i)` (alice or bob of the seed). */
function withZones(db: Db, count: number, owner: (i: number, f: ReturnType<typeof seed>) => [number, number]): ReturnType<typeof seed> {
  const f = seed(db);
  const insert = db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, dtype, masters, applied_masters, created_at, updated_at)
    VALUES (?, ?, ?, 'slave', '198.51.100.1', '198.51.100.1', 0, 0)`);
  db.transaction(() => { for (let i = 0; i < count; i++) insert.run(`z${String(i).padStart(3, '0')}.example`, ...owner(i, f)); })();
  return f;
}

/** What `read` returns, and the cache size at each statement it prepared. */
function cacheWhilePreparing<T>(db: Db, read: () => T): { result: T; seen: number[] } {
  const seen: number[] = [];
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => { seen.push(cacheSize(db)); return prepare(sql); }) as typeof db.prepare;
  try {
    return { result: read(), seen };
  } finally {
    delete (db as { prepare?: unknown }).prepare;
  }
}

describe('readOnce', () => {
  it('runs the read with a cache of 16 pages and gives back its result and the cache as it was', () => {
    const db = dbs.open();
    const usual = cacheSize(db);
    expect(usual).not.toBe(16);
    expect(readOnce(db, () => cacheSize(db))).toBe(16);
    expect(cacheSize(db)).toBe(usual);
    db.pragma('cache_size = 500');
    expect(readOnce(db, () => 'rows')).toBe('rows');
    expect(cacheSize(db)).toBe(500);
  });

  it('puts the cache back when the read fails', () => {
    const db = dbs.open();
    const usual = cacheSize(db);
    expect(() => readOnce(db, () => db.prepare('SELECT * FROM no_such_table').all())).toThrow(/no such table/);
    expect(cacheSize(db)).toBe(usual);
  });

  it('reads a page of the domain list that way, and leaves the cache as it was', () => {
    const db = dbs.open();
    withZones(db, 300, (_, f) => [f.nsAlice, f.alice]);
    const usual = cacheSize(db);
    const { result: page, seen } = cacheWhilePreparing(db, () => zoneListingPage(db, {}, 150, 10));
    expect(page.elems).toBe(300);
    expect(page.rows.map((r) => r.name)).toEqual(Array.from({ length: 10 }, (_, i) => `z${150 + i}.example`));
    // Every statement of the page (the count, the ids, the rows) prepared while the cache was small.
    expect(seen.length).toBeGreaterThanOrEqual(3);
    expect(new Set(seen)).toEqual(new Set([16]));
    expect(cacheSize(db)).toBe(usual);
  });

  it('reads a filtered page, or a page of some owners\' zones, with the whole cache', () => {
    const db = dbs.open();
    const f = withZones(db, 40, (i, s) => (i % 2 ? [s.nsAlice, s.alice] : [s.nsBob, s.bob]));
    const usual = cacheSize(db);
    const { result: [filtered, owned], seen } = cacheWhilePreparing(db, () => [
      zoneListingPage(db, { filters: [{ column: 'name', value: 'z01', exact: false }] }, 0, 5),
      zoneListingPage(db, { ownerIds: [f.alice] }, 5, 5),
    ] as const);
    expect(filtered.elems).toBe(10);
    expect(owned.elems).toBe(20);
    expect(owned.rows.map((r) => r.name)).toEqual(['z011.example', 'z013.example', 'z015.example', 'z017.example', 'z019.example']);
    expect(seen.length).toBeGreaterThanOrEqual(4);
    expect(new Set(seen)).toEqual(new Set([usual]));
  });

  it('leaves the cache whole in a process that keeps it (serve, run)', () => {
    const db = dbs.open();
    const usual = cacheSize(db);
    keepWholePageCache();
    expect(readOnce(db, () => cacheSize(db))).toBe(usual);
  });
});
