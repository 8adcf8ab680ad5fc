// Atomic file replacement: temp file in the same directory, fsync, keep mode, rename, clean up on failure.
import { closeSync, fsyncSync, openSync, renameSync, statSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';

/** Writes the candidate beside `target` and returns its path; nothing replaces `target` yet. */
export function writeCandidate(target: string, data: string, mode?: number): string {
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  const keepMode = mode ?? existingMode(target) ?? 0o644;
  const fd = openSync(tmp, 'wx', keepMode);
  try {
    writeSync(fd, data);
    fsyncSync(fd);
  } catch (err) {
    closeSync(fd);
    safeUnlink(tmp);
    throw err;
  }
  closeSync(fd);
  return tmp;
}

export function commitCandidate(tmp: string, target: string): void {
  try {
    renameSync(tmp, target);
  } catch (err) {
    safeUnlink(tmp);
    throw err;
  }
  fsyncDir(dirname(target));
}

export function writeFileAtomic(target: string, data: string, mode?: number): void {
  commitCandidate(writeCandidate(target, data, mode), target);
}

export function safeUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function existingMode(path: string): number | undefined {
  try {
    return statSync(path).mode & 0o7777;
  } catch {
    return undefined;
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
