// A lock between dnsmgr processes, on a file of its own, with a shared and an exclusive side: the root lock (one
// run/serve per root), BIND's new-zone databases (NzdLock), the PowerDNS instances' starts and stops.
//
// The lock is SQLite's, because Node has no flock(): a read transaction holds a POSIX read lock on the file, BEGIN
// EXCLUSIVE a write lock, and the kernel drops both when the process ends however it ends, so a holder killed with
// SIGKILL blocks nobody and a recycled pid fools nobody. Nothing is ever written: the journal is kept in memory, so no
// journal file appears beside the lock, and its locks stay a rollback journal's (never WAL: a WAL reader does not keep
// a writer out). Waiting is polled, never SQLite's busy wait: a long-running `serve` keeps answering while it waits.
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from './db';
import { openSqlite } from './db';

const POLL_MS = 10;

export interface FileLockWaits {
  /** How long the shared side waits for an exclusive holder before it fails with the lock's `busy` error. */
  sharedWaitMs: number;
  /** How long the exclusive side waits for shared holders before it gives up (exclusive() answers undefined). */
  exclusiveWaitMs: number;
}

type Side = 'shared' | 'exclusive';

/** The shared side for many holders at once, the exclusive side for one, each waited for up to its time. */
export class FileLock {
  private db: Db | undefined;
  /** This process's holders of the shared side, and their one read lock (taken by the first). */
  private holders = 0;
  private held: Promise<boolean> | undefined;
  /** This process's exclusive holder: its own shared holders wait for it as other processes' do. */
  private exclusiveRun: Promise<void> | undefined;

  /** `busy` is the error the shared side throws past its wait, in the caller's words for who keeps the lock. */
  constructor(readonly file: string, private readonly waits: FileLockWaits, private readonly busy: () => Error) {}

  /** Runs `fn` holding the shared side. */
  async shared<T>(fn: () => Promise<T>): Promise<T> {
    while (this.exclusiveRun) await this.exclusiveRun;
    this.holders++;
    try {
      this.held ??= this.take('shared', this.waits.sharedWaitMs);
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
    while (this.holders > 0 || this.exclusiveRun) {
      if (Date.now() - started >= this.waits.exclusiveWaitMs) return undefined;
      await sleep(POLL_MS);
    }
    let done = (): void => undefined;
    this.exclusiveRun = new Promise((resolve) => { done = resolve; });
    try {
      if (!(await this.take('exclusive', this.waits.exclusiveWaitMs - (Date.now() - started)))) return undefined;
      try {
        return { value: await fn() };
      } finally {
        this.end();
      }
    } finally {
      this.exclusiveRun = undefined;
      done();
    }
  }

  /** Whether the side was taken within the wait; the shared side throws `busy` instead of answering false. */
  private async take(side: Side, waitMs: number): Promise<boolean> {
    const db = this.open();
    for (const started = Date.now(); ; await sleep(POLL_MS)) {
      if (tryTake(db, side)) return true;
      if (Date.now() - started >= waitMs) {
        if (side === 'exclusive') return false;
        throw this.busy();
      }
    }
  }

  private end(): void {
    if (this.db?.inTransaction) this.db.exec('COMMIT');
  }

  private open(): Db {
    this.db ??= openLockFile(this.file);
    return this.db;
  }
}

/** A lock held until release() (or the end of the process, however it ends). */
export interface HeldLock {
  /** Gives the lock up; safe to call twice. */
  release(): void;
}

/** The exclusive side taken now, without waiting; undefined when another process holds either side. */
export function holdExclusiveNow(file: string): HeldLock | undefined {
  const db = openLockFile(file);
  let taken = false;
  try {
    taken = tryTake(db, 'exclusive');
  } finally {
    if (!taken) db.close();
  }
  if (!taken) return undefined;
  return {
    release() {
      if (db.open) db.close();
    },
  };
}

/** The connections whose journal is in memory already. */
const memoryJournal = new WeakSet<Db>();

function openLockFile(file: string): Db {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  return openSqlite(file, { timeout: 0 });
}

/** One attempt at the side: false when another connection holds the lock against it (SQLITE_BUSY). */
function tryTake(db: Db, side: Side): boolean {
  try {
    // Per connection, and it needs the lock itself: set at the first attempt that gets that far.
    if (!memoryJournal.has(db)) {
      db.pragma('journal_mode = MEMORY');
      memoryJournal.add(db);
    }
    if (side === 'exclusive') {
      db.exec('BEGIN EXCLUSIVE');
    } else {
      // A deferred transaction takes its read lock at its first read, and keeps it until it ends.
      db.exec('BEGIN');
      db.prepare('SELECT count(*) FROM sqlite_master').get();
    }
    return true;
  } catch (err) {
    if ((err as { code?: string }).code !== 'SQLITE_BUSY') throw err;
    if (db.inTransaction) db.exec('ROLLBACK');
    return false;
  }
}
