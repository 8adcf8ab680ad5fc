// Opening the SQLite database: the source of truth shared by every dnsmgr process (panel requests, mgrctl, hooks, serve).
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { migrate } from './migrations';

export type Db = Database.Database;

export function openDb(file: string): Db {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = new Database(file);
  // Many short-lived processes write at once: WAL lets readers go on, the busy timeout queues writers instead of failing.
  // The busy timeout first: even switching to WAL has to wait for a process that holds the lock.
  db.pragma('busy_timeout = 15000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
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
