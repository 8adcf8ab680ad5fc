// Keeps etc/dnsmgr.passwd in step with the database: replaced atomically, mode 0600, after every change to accounts or
// to the zone counts it carries. A zone change alters one account's line, and rendering every account to change it
// cost a request ~25 ms at 2,000 accounts; so the database marks the accounts whose line changed (passwd_dirty, kept
// by triggers in the change's own transaction) and records the file as it was last written (passwd_written). A file
// still as recorded gets only its marked lines replaced; any other (edited, chmod-ed, removed, at another path, never
// recorded) is rendered whole. Every write happens under the database's write lock, so the newest state is what stays.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { patchPasswdEntries, renderPasswdEntries } from '../files/passwd-codec';
import type { PasswdEntry } from '../files/passwd-codec';
import { fsyncDirAsync, removeDeadCandidates, renameCandidate, safeUnlink, writeCandidateAsync, writeFileAtomic } from '../files/atomic-write';
import type { App } from '../app';
import type { Db } from '../store/db';
import { writeTx } from '../store/db';
import { accountCountUpTo, passwdRows, passwdRowsOf } from '../store/accounts';
import { passwdMarks, passwdWritten, recordPasswdWritten } from '../store/passwd-file';
import type { PasswdWritten } from '../store/passwd-file';

/** More marked lines than this (a bulk request's owners), and the file is rendered whole: one pass, not one per line. */
const MAX_PATCHED = 32;
/** Up to this many accounts, rendering every line costs less than recording the file (a write to the database). */
const FEW = 64;

/**
 * used: zones the account owns; allowed: its domain limit (0 = no limit); shared: owned zones in a namespace it does
 * not own. The counts are the ones the database keeps (migration 5's triggers): no count over the zones per write.
 */
export function passwdEntriesOf(db: Db): PasswdEntry[] {
  return passwdRows(db);
}

export function writePasswd(app: App): void {
  writePasswdFile(app.db, app.settings.passwdFile);
}

/** The file made as the database says, now: a stat and a query when it is. */
export function writePasswdFile(db: Db, file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeTx(db, () => {
    const next = plan(db, file);
    if (next === undefined) return;
    removeDeadCandidates(file);
    if (!next.held) writeFileAtomic(file, next.data, 0o600);
    if (next.record) record(db, file);
  });
}

/**
 * Runs `apply` (a change of claimed zones through named) with the passwd file's new text written beside it meanwhile,
 * its fsync on libuv's threads (~1 ms of the disk's, otherwise the request's), as it will be once `change` is
 * committed (rows a request is about to delete), or as the database has it now. Then, under the write lock, the file is
 * made as the database says whatever named did: by that candidate renamed into place when it holds it, else written.
 * With few accounts nothing is recorded, and the candidate is renamed as soon as it is on disk, still beside named's
 * work: the file under the lock is then read and compared, as it always was.
 */
export async function applyWritingPasswd<T>(app: App, apply: () => Promise<T>, change?: () => void): Promise<T> {
  const file = app.settings.passwdFile;
  const ahead = writeAhead(app.db, file, change).catch(() => undefined);
  try {
    return await apply();
  } finally {
    await settle(app.db, file, await ahead);
  }
}

interface Candidate {
  data: Buffer;
  tmp: string;
}

/** The candidate of the file as plan() says it will be after `change`, computed in a transaction rolled back at once. */
async function writeAhead(db: Db, file: string, change: (() => void) | undefined): Promise<Candidate | undefined> {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  let next: Plan | undefined;
  const rollback = new Error('rolled back');
  try {
    db.transaction(() => {
      change?.();
      next = plan(db, file);
      throw rollback;
    })();
  } catch (err) {
    if (err !== rollback) throw err;
  }
  if (next === undefined || next.held) return undefined;
  const tmp = await writeCandidateAsync(file, next.data, 0o600);
  if (next.record) return { data: next.data, tmp };
  // Few accounts, nothing recorded: the guess goes in place now, beside named's work; settle puts it right if wrong.
  renameCandidate(tmp, file);
  await fsyncDirAsync(dirname(file));
  return undefined;
}

async function settle(db: Db, file: string, candidate: Candidate | undefined): Promise<void> {
  let renamed = false;
  try {
    writeTx(db, () => {
      const next = plan(db, file);
      if (next === undefined) return;
      removeDeadCandidates(file);
      if (!next.held) {
        renamed = candidate?.data.equals(next.data) === true && renamedInto(candidate.tmp, file);
        if (!renamed) writeFileAtomic(file, next.data, 0o600);
      }
      if (next.record) record(db, file);
    });
  } finally {
    if (candidate !== undefined && !renamed) safeUnlink(candidate.tmp);
  }
  // The file is in place and recorded; a directory that cannot be synced now is synced by the next write's rename.
  if (renamed) await fsyncDirAsync(dirname(file)).catch(() => undefined);
}

/** The candidate put in place; false when it is gone (taken for a dead process's by one that cannot see ours). */
function renamedInto(tmp: string, file: string): boolean {
  try {
    renameCandidate(tmp, file);
    return true;
  } catch {
    return false;
  }
}

/**
 * What the file must hold, `held` when it holds it already (nothing written); `record`: the file is then recorded, and
 * the marks cleared.
 */
interface Plan {
  data: Buffer;
  held: boolean;
  record: boolean;
}

/**
 * What the file must become; undefined when it is already as the database says. Up to FEW accounts it is rendered
 * whole and compared with the file, as cheap as a patch, and nothing is recorded (no write to the database); beyond,
 * a file still as recorded gets its marked lines replaced.
 */
function plan(db: Db, file: string): Plan | undefined {
  if (fewAccounts(db)) {
    const data = Buffer.from(renderPasswdEntries(passwdEntriesOf(db)));
    return holds(file, data) ? undefined : { data, held: false, record: false };
  }
  const marks = passwdMarks(db);
  const written = passwdWritten(db);
  const asWritten = written !== undefined && written.file === file && sameFile(written, statOf(file));
  if (asWritten && marks.length === 0) return undefined;
  if (asWritten && marks.length <= MAX_PATCHED && !marks.includes(0)) {
    const entries = passwdRowsOf(db, marks);
    const now = readOrUndefined(file);
    const data = now === undefined || entries.length !== marks.length ? undefined : patchPasswdEntries(now, entries);
    if (now !== undefined && data !== undefined) return { data, held: data.equals(now), record: true };
  }
  const data = Buffer.from(renderPasswdEntries(passwdEntriesOf(db)));
  return { data, held: holds(file, data), record: true };
}

function record(db: Db, file: string): void {
  const st = statSync(file, { bigint: true });
  recordPasswdWritten(db, { file, ino: String(st.ino), size: Number(st.size), ctimeNs: String(st.ctimeNs) });
}

type BigStat = ReturnType<typeof statSync> & { ino: bigint; size: bigint; ctimeNs: bigint; mode: bigint };

function statOf(file: string): BigStat | undefined {
  try {
    return statSync(file, { bigint: true }) as BigStat;
  } catch {
    return undefined;
  }
}

/**
 * The very file a writer recorded, untouched since (any write, chmod or chown moves its change time), mode 0600. Where
 * change times have whole seconds only (ext4 with 128-byte inodes, some NFS), an edit in place within the second of
 * our write that keeps the size would pass for ours; the next account change renders the file whole.
 */
function sameFile(w: PasswdWritten, st: BigStat | undefined): boolean {
  return st !== undefined && (st.mode & 0o7777n) === 0o600n && String(st.ino) === w.ino && Number(st.size) === w.size && String(st.ctimeNs) === w.ctimeNs;
}

function fewAccounts(db: Db): boolean {
  return accountCountUpTo(db, FEW + 1) <= FEW;
}

function readOrUndefined(file: string): Buffer | undefined {
  try {
    return readFileSync(file);
  } catch {
    return undefined;
  }
}

function holds(file: string, data: Buffer): boolean {
  try {
    return (statSync(file).mode & 0o7777) === 0o600 && readFileSync(file).equals(data);
  } catch {
    return false;
  }
}
