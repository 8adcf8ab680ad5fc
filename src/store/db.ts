// Opening the SQLite database: the source of truth shared by every dnsmgr process (panel requests, mgrctl, hooks, serve).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { migrate } from './migrations';

export type Db = Database.Database;

// better-sqlite3's native part, loaded straight from its package: its default finder (the bindings package) tries a
// dozen paths and reads a stack trace first, a few ms of every request, and cannot find it from inside the bundle.
let addon: object | undefined;
const ADDON = join('better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

/** A better-sqlite3 database; every SQLite file dnsmgr opens (the database, the lock, the ISPmanager queue) comes here. */
export function openSqlite(file: string, options: Database.Options = {}): Db {
  addon ??= loadAddon();
  // The addon object itself is accepted (better-sqlite3 ≥ 8.2); @types/better-sqlite3 still says a path.
  return new Database(file, { ...options, nativeBinding: addon as unknown as string });
}

/**
 * The addon, dlopen'ed from the nearest node_modules directory above this file (the bundle's lib/: the project's own
 * node_modules, or lib/dnsmgr/node_modules installed), the one require() would find: require() itself also reads the
 * package's package.json and resolves every path component on the way, ~1 ms of every request against 0.3 ms for the
 * dlopen. Without a directory to start from, require() finds it.
 */
function loadAddon(): object {
  for (let dir = typeof __dirname === 'string' ? __dirname : undefined; dir !== undefined && dirname(dir) !== dir; dir = dirname(dir)) {
    const module = { exports: {} };
    try {
      process.dlopen(module, join(dir, 'node_modules', ADDON));
      return module.exports;
    } catch {
      // Not here: one directory up.
    }
  }
  return require('better-sqlite3/build/Release/better_sqlite3.node') as object;
}

let leavesByExit = false;

export function openDb(file: string): Db {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  if (!leavesByExit) {
    // Once the process has nothing left to do it leaves by process.exit, which closes no database: a normal exit does,
    // and the last connection's checkpoint then syncs the WAL and the database file, and the next process creates the
    // WAL anew with two more syncs: 3-10 ms of every request. The WAL stays for the next process; commits checkpoint it
    // as it grows (wal_autocheckpoint).
    process.once('beforeExit', (code) => process.exit(code));
    leavesByExit = true;
  }
  const db = openSqlite(file);
  // Many short-lived processes write at once: WAL lets readers go on, the busy timeout queues writers instead of failing.
  // The busy timeout first: even switching to WAL has to wait for a process that holds the lock.
  db.pragma('busy_timeout = 15000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  // The next process to open the database reads the WAL whole (no connection keeps its index): a short WAL keeps that
  // read small, at the price of a checkpoint every few requests instead of one at every exit (see above).
  db.pragma('wal_autocheckpoint = 100');
  migrate(db);
  return db;
}

/**
 * SQLite's page cache while a read walks many pages once each: a page of a long list read along a covering index up to
 * its OFFSET, then the page's rows. With the usual cache (16 MB) every page read takes memory of its own, first touched there:
 * a page fault per 4 KB page, 3-6 µs on the machines measured, where copying a page from the system's cache into memory
 * already touched takes well under 1 µs. The middle page of 100,000 zones took ~380 page faults more than the first
 * page (~1.5 ms here), the index pages read up to its OFFSET. A cache of a few pages reuses their memory for every
 * page read. A long-running process keeps its whole cache (keepWholePageCache): its memory is touched already,
 * and its cache is warm for the next request.
 */
const SCAN_CACHE_PAGES = 16;
let shrinkForScans = true;

/** For a process that serves many requests (serve, run): readOnce leaves the page cache as it is. */
export function keepWholePageCache(): void {
  shrinkForScans = false;
}

/**
 * Runs a read that visits each page about once (see SCAN_CACHE_PAGES) with the page cache cut to a few pages. Not for
 * a read that looks rows up in another index's order (a filter on a column the index lacks, a join per row): each
 * lookup would read its table page again, where the whole cache reads it once.
 */
export function readOnce<T>(db: Db, fn: () => T): T {
  if (!shrinkForScans) return fn();
  const pages = db.pragma('cache_size', { simple: true }) as number;
  db.pragma(`cache_size = ${SCAN_CACHE_PAGES}`);
  try {
    return fn();
  } finally {
    db.pragma(`cache_size = ${pages}`);
  }
}

/** A write transaction that takes the write lock at BEGIN, so read-then-write decisions cannot race another process. */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

/**
 * Runs `fn` with `db.prepare` handing back the statement already prepared for the same SQL text (reset to its default
 * mode), instead of compiling it again. For a request that prepares the same statements thousands of times: the checks
 * and the insert of one domain.import line prepare about ten, and compiling them was 2.3 of the 3.0 s of CPU the
 * transaction of 10,000 lines took, and recording each result prepares again (node --cpu-prof). An ordinary request
 * prepares each statement once or twice and has nothing to gain. Nothing in the store iterates a statement, so handing
 * one statement to two callers in turn is safe.
 */
export function withStatementCache<T>(db: Db, fn: () => T): T {
  const prepared = new Map<string, Database.Statement>();
  const prepare = db.prepare.bind(db);
  db.prepare = ((sql: string) => {
    let stmt = prepared.get(sql);
    if (stmt === undefined) {
      stmt = prepare(sql);
      prepared.set(sql, stmt);
    } else if (stmt.reader) {
      // pluck(), raw() and expand() change a statement for good: the next caller gets plain rows, as from prepare.
      stmt.pluck(false).expand(false).raw(false);
    }
    return stmt;
  }) as Db['prepare'];
  const restore = (): void => { delete (db as { prepare?: unknown }).prepare; };
  let result: T;
  try {
    result = fn();
  } catch (err) {
    restore();
    throw err;
  }
  // A batch towards the name server records its results as they come: the cache lasts until it has finished.
  if (result instanceof Promise) return result.finally(restore) as T;
  restore();
  return result;
}

export function now(): number {
  return Math.floor(Date.now() / 1000);
}

/** Whether the database answers a query at all (for /health). */
export function answers(db: Db): boolean {
  return db.prepare('SELECT 1').pluck().get() === 1;
}
