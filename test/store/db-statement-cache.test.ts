// The statement cache (domain.import's): each SQL text compiled once per request, handed back as prepare would give it.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { withStatementCache } from '../../src/store/db';

function memoryDb(): Database.Database {
  const db = new Database(':memory:');
  db.exec("CREATE TABLE t (a INTEGER, b TEXT); INSERT INTO t VALUES (1, 'x'), (2, 'y')");
  return db;
}

describe('withStatementCache', () => {
  it('hands back the statement already prepared for the same text, in its default mode', () => {
    const db = memoryDb();
    withStatementCache(db, () => {
      const first = db.prepare('SELECT a, b FROM t ORDER BY a');
      expect(first.pluck().all()).toEqual([1, 2]);
      const again = db.prepare('SELECT a, b FROM t ORDER BY a');
      expect(again).toBe(first);
      expect(again.all()).toEqual([{ a: 1, b: 'x' }, { a: 2, b: 'y' }]);
      expect(again.raw().all()).toEqual([[1, 'x'], [2, 'y']]);
      expect(db.prepare('SELECT a, b FROM t ORDER BY a').get()).toEqual({ a: 1, b: 'x' });
      // Statements that return nothing are cached too.
      const insert = db.prepare('INSERT INTO t VALUES (?, ?)');
      expect(db.prepare('INSERT INTO t VALUES (?, ?)')).toBe(insert);
    });
  });

  it('gives prepare back when the work ends: returned, thrown, or a promise settled', async () => {
    const db = memoryDb();
    const sql = 'SELECT count(*) FROM t';
    withStatementCache(db, () => undefined);
    expect(db.prepare(sql)).not.toBe(db.prepare(sql));
    expect(() => withStatementCache(db, () => { throw new Error('refused'); })).toThrow('refused');
    expect(db.prepare(sql)).not.toBe(db.prepare(sql));
    let release: () => void = () => undefined;
    const running = withStatementCache(db, () => new Promise<void>((resolve) => { release = resolve; }));
    expect(db.prepare(sql)).toBe(db.prepare(sql));
    release();
    await running;
    expect(db.prepare(sql)).not.toBe(db.prepare(sql));
    await expect(withStatementCache(db, () => Promise.reject(new Error('named down')))).rejects.toThrow('named down');
    expect(db.prepare(sql)).not.toBe(db.prepare(sql));
  });
});
