// Opening the SQLite database: the source of truth shared by every dnsmgr process (panel requests, mgrctl, hooks, serve).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type Db = Database.Database;

// better-sqlite3's native part, required straight from its package: its default finder (the bindings package) tries a
// dozen paths and reads a stack trace first, a few ms of every request, and cannot find it from inside the bundle.
let addon: object | undefined;

/** A better-sqlite3 database; every SQLite file dnsmgr opens (the database, the lock, the ISPmanager queue) comes here. */
export function openSqlite(file: string, options: Database.Options = {}): Db {
  addon ??= require('better-sqlite3/build/Release/better_sqlite3.node') as object;
  // The addon object itself is accepted (better-sqlite3 ≥ 8.2); @types/better-sqlite3 still says a path.
  return new Database(file, { ...options, nativeBinding: addon as unknown as string });
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

/** A write transaction that takes the write lock at BEGIN, so read-then-write decisions cannot race another process. */
export function writeTx<T>(db: Db, fn: () => T): T {
  return db.transaction(fn).immediate();
}

export function now(): number {
  return Math.floor(Date.now() / 1000);
}
