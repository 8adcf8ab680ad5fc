// Who may touch named's new-zone databases. named opens them without a lock of its own (LMDB's MDB_NOLOCK): it relies
// on being their only user. A bulk change reads one and puts a new one in its place from outside named (rewriteNzd),
// so every dnsmgr command that makes named read or write one (addzone, modzone, delzone, reconfig) or reads one itself
// holds the shared side of this lock, and a bulk change holds the exclusive side from its read until named has read
// the new one. The lock itself, and why it is SQLite's, is store/file-lock.ts.
import { ToolError } from '../../errors';
import { msg } from '../../i18n/msg';
import { FileLock } from '../../store/file-lock';
import type { FileLockWaits } from '../../store/file-lock';

export interface NzdLockTimes extends FileLockWaits {
  /** How long the shared side waits for a bulk load to end before the command fails. */
  sharedWaitMs: number;
  /** How long a bulk load waits for commands in flight before it gives up (its zones then go one by one). */
  exclusiveWaitMs: number;
}

const DEFAULT_TIMES: NzdLockTimes = { sharedWaitMs: 120_000, exclusiveWaitMs: 30_000 };

export class NzdLock extends FileLock {
  constructor(file: string, times: NzdLockTimes = DEFAULT_TIMES) {
    super(file, times, () => new ToolError('named', undefined, '', msg`named's new-zone database is being loaded in bulk by another request (${file}); try again`));
  }
}
