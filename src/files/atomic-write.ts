// Atomic file replacement: temp file in the same directory, fsync, keep mode and owner, rename, clean up on failure.
import { closeSync, existsSync, fchmodSync, fchownSync, fsync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';

// Temp names need only differ from each other (they are created O_EXCL): the pid, a count and a random part, without
// node:crypto, which a request would otherwise load for this alone.
let written = 0;

/**
 * Writes the candidate beside `target` and returns its path; nothing replaces `target` yet. It gets `mode`, else the
 * mode of the file it replaces (else 0644), whatever the umask, and the owner of the file it replaces when we may.
 */
export function writeCandidate(target: string, data: string | Buffer, mode?: number): string {
  const { tmp, fd } = openCandidate(target, data, mode);
  try {
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
  return tmp;
}

/** The candidate written, not yet synced: its path and its open descriptor. */
function openCandidate(target: string, data: string | Buffer, mode: number | undefined): { tmp: string; fd: number } {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${++written}${Math.random().toString(36).slice(2, 8)}.tmp`);
  const existing = existingStat(target);
  const keepMode = mode ?? existing?.mode ?? 0o644;
  const fd = openSync(tmp, 'wx', 0o600);
  try {
    if (existing) keepOwner(fd, existing);
    // open() applies the umask: under umask 077 a views file named cannot read would replace a readable one.
    // After chown, which may clear set-id bits.
    fchmodSync(fd, keepMode);
    // Every byte, however many write() calls it takes (a full disk may take part of one).
    writeFileSync(fd, data);
  } catch (err) {
    closeSync(fd);
    safeUnlink(tmp);
    throw err;
  }
  return { tmp, fd };
}

export function commitCandidate(tmp: string, target: string): void {
  renameCandidate(tmp, target);
  fsyncDir(dirname(target));
}

/** The candidate put in place of `target`, its directory not yet synced (fsyncDirAsync); removed if that fails. */
export function renameCandidate(tmp: string, target: string): void {
  try {
    renameSync(tmp, target);
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
}

export function writeFileAtomic(target: string, data: string | Buffer, mode?: number): void {
  commitCandidate(writeCandidate(target, data, mode), target);
}

/** Writes the file (and its directory) only when its text differs; true when it was written. */
export function writeIfChanged(file: string, text: string, mode: number): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text, mode);
  return true;
}

/** writeCandidate with the wait for the disk (the file's fsync) on libuv's threads, while the caller's thread goes on. */
export async function writeCandidateAsync(target: string, data: string | Buffer, mode?: number): Promise<string> {
  const { tmp, fd } = openCandidate(target, data, mode);
  try {
    try {
      await fsyncAsync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
  return tmp;
}

/** The directory's entries (a rename into it) on disk, the wait on libuv's threads. */
export async function fsyncDirAsync(dir: string): Promise<void> {
  const fd = openSync(dir, 'r');
  try {
    await fsyncAsync(fd);
  } finally {
    closeSync(fd);
  }
}

function fsyncAsync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (err) => (err ? reject(err) : resolve())));
}

/**
 * Removes the candidates beside `target` left by processes that no longer run (a request killed while its candidate
 * waited to be renamed); a live process's candidate is its own.
 */
export function removeDeadCandidates(target: string): void {
  const dir = dirname(target);
  const prefix = `.${basename(target)}.`;
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
    const pid = Number(name.slice(prefix.length).split('.')[0]);
    if (Number.isSafeInteger(pid) && pid > 0 && pid !== process.pid && !isRunning(pid)) safeUnlink(join(dir, name));
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function existingStat(path: string): { mode: number; uid: number; gid: number } | undefined {
  try {
    const st = statSync(path);
    return { mode: st.mode & 0o7777, uid: st.uid, gid: st.gid };
  } catch {
    return undefined;
  }
}

/** A root process rewriting root:bind 0640 must not leave root:root 0640, which named could no longer read. */
function keepOwner(fd: number, owner: { uid: number; gid: number }): void {
  if (process.getuid?.() === owner.uid && process.getgid?.() === owner.gid) return;
  try {
    fchownSync(fd, owner.uid, owner.gid);
  } catch {
    // Not permitted for an unprivileged process: the file becomes ours, as any rewrite by us would.
  }
}

function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
