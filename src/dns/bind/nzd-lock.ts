// Who may touch named's new-zone databases. named opens them without a lock of its own (LMDB's MDB_NOLOCK): it relies
// on being their only user. A bulk change reads one and puts a new one in its place from outside named (rewriteNzd),
// so every dnsmgr command that makes named read or write one (addzone, modzone, delzone, reconfig) or reads one itself
// holds the shared side of this lock, and a bulk change holds the exclusive side from its read until named has read
// the new one.
//
// The lock is SQLite's, on a file of its own: a read transaction holds a POSIX read lock, BEGIN EXCLUSIVE a write
// lock, and the kernel drops both with the process however it ends, so a process killed mid-way blocks nobody. Waiting
// is polled, never SQLite's busy wait: a long-running `serve` keeps answering while it waits.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../store/db';
import { openSqlite } from '../../store/db';
import { ToolError } from '../../errors';
import { msg } from '../../i18n/msg';

const POLL_MS = 10;

export interface NzdLockTimes {
  /** How long the shared side waits for a bulk load to end before the command fails. */
  sharedWaitMs: number;
  /** How long a bulk load waits for commands in flight before it gives up (its zones then go one by one). */
  exclusiveWaitMs: number;
}

const DEFAULT_TIMES: NzdLockTimes = { sharedWaitMs: 120_000, exclusiveWaitMs: 30_000 };

export class NzdLock {
  private db: Db | undefined;
  /** This process's holders of the shared side, and their one read lock (taken by the first). */
  private holders = 0;
  private held: Promise<void> | undefined;
  /** This process's bulk load in progress: its own shared holders wait for it as other processes' do. */
  private loading: Promise<void> | undefined;

  constructor(private readonly file: string, private readonly times: NzdLockTimes = DEFAULT_TIMES) {}

  /** Runs `fn` holding the shared side. */
  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.loading) await this.loading;
    this.holders++;
    try {
      this.held ??= this.take('shared');
      await this.held;
      return await fn();
    } finally {
      // Every holder awaited the take, so it is settled here: the last one out ends the read transaction (if the take
      // failed there is none), before anything else of this process can run.
      if (--this.holders === 0) {
        this.held = undefined;
        this.end();
      }
    }
  }

  /**
   * Runs `fn` holding the exclusive side, once nobody (in this process or another) holds the shared one; undefined
   * (and `fn` not run) when they keep it longer than the wait.
   */
  async exclusive<T>(fn: () => Promise<T>): Promise<{ value: T } | undefined> {
    const started = Date.now();
    while (this.holders > 0 || this.loading) {
      if (Date.now() - started >= this.times.exclusiveWaitMs) return undefined;
      await sleep(POLL_MS);
    }
    let done = (): void => undefined;
    this.loading = new Promise((resolve) => { done = resolve; });
    try {
      try {
        await this.take('exclusive', this.times.exclusiveWaitMs - (Date.now() - started));
      } catch (err) {
        if (err instanceof LockBusy) return undefined;
        throw err;
      }
      try {
        return { value: await fn() };
      } finally {
        this.end();
      }
    } finally {
      this.loading = undefined;
      done();
    }
  }

  private async take(side: 'shared' | 'exclusive', waitMs = this.times.sharedWaitMs): Promise<void> {
    const db = this.open();
    for (const started = Date.now(); ; await sleep(POLL_MS)) {
      try {
        if (side === 'exclusive') {
          db.exec('BEGIN EXCLUSIVE');
        } else {
          // A deferred transaction takes its read lock at its first read, and keeps it until it ends.
          db.exec('BEGIN');
          db.prepare('SELECT count(*) FROM sqlite_master').get();
        }
        return;
      } catch (err) {
        if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
        if (db.inTransaction) db.exec('ROLLBACK');
        if (Date.now() - started >= waitMs) {
          if (side === 'exclusive') throw new LockBusy();
          throw new ToolError('named', undefined, '', msg`named's new-zone database is being loaded in bulk by another request (${this.file}); try again`);
        }
      }
    }
  }

  private end(): void {
    if (this.db?.inTransaction) this.db.exec('COMMIT');
  }

  private open(): Db {
    if (this.db === undefined) {
      mkdirSync(dirname(this.file), { recursive: true, mode: 0o755 });
      // Nothing is ever written, so no journal appears beside it; its locks are a rollback journal's (never WAL: a
      // WAL reader does not keep a writer out).
      this.db = openSqlite(this.file, { timeout: 0 });
    }
    return this.db;
  }
}

class LockBusy extends Error {}
