// Keeps etc/dnsmgr.passwd in step with the database: rewritten whole, atomically, mode 0600, after every change to
// accounts or to the zone counts it carries.
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { renderPasswdEntries } from '../files/passwd-codec';
import type { PasswdEntry } from '../files/passwd-codec';
import { writeFileAtomic, writeFileAtomicAsync } from '../files/atomic-write';
import type { App } from '../app';
import type { Db } from '../store/db';
import { writeTx } from '../store/db';
import { passwdRows } from '../store/accounts';

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

/**
 * Rendered and written under the database's write lock, so concurrent writers always leave the newest state. A file
 * that already holds that text (mode 0600) is left alone: a request that changed no account and no count (a repeated
 * domain.edit) costs a read, not a write with two fsyncs.
 */
export function writePasswdFile(db: Db, file: string): void {
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  writeTx(db, () => {
    const text = renderPasswdEntries(passwdEntriesOf(db));
    if (!holds(file, text)) writeFileAtomic(file, text, 0o600);
  });
}

/**
 * Starts writing the passwd file as it will be once `change` is committed (rows a request is about to delete, say),
 * or as the database has it now: rendered in a transaction rolled back at once, written with its syncs on libuv's
 * threads while the request goes on to named. A guess, made outside the write lock: the request calls writePasswd
 * when done, which costs a read when the guess held and otherwise puts the file right under the lock.
 */
export function writePasswdAhead(app: App, change?: () => void): Promise<void> {
  const { db } = app;
  const file = app.settings.passwdFile;
  mkdirSync(dirname(file), { recursive: true, mode: 0o755 });
  let text = '';
  const rollback = new Error('rolled back');
  try {
    db.transaction(() => {
      change?.();
      text = renderPasswdEntries(passwdEntriesOf(db));
      throw rollback;
    })();
  } catch (err) {
    if (err !== rollback) throw err;
  }
  return holds(file, text) ? Promise.resolve() : writeFileAtomicAsync(file, text, 0o600);
}

function holds(file: string, text: string): boolean {
  try {
    return (statSync(file).mode & 0o7777) === 0o600 && readFileSync(file, 'utf8') === text;
  } catch {
    return false;
  }
}
