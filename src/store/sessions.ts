// HTTP API sessions (func=auth → auth=KEY), shared by every serve process through the database.
import { randomBytes } from 'node:crypto';
import type { Db } from './db';
import { now } from './db';

/** The panel's habit: a session expires after an hour without requests. */
export const SESSION_IDLE_SECONDS = 3600;

export function createSession(db: Db, accountName: string, level: number): string {
  const key = randomBytes(24).toString('hex');
  db.prepare('DELETE FROM session WHERE expires_at < ?').run(now());
  db.prepare('INSERT INTO session (key, account_name, level, expires_at) VALUES (?, ?, ?, ?)')
    .run(key, accountName, level, now() + SESSION_IDLE_SECONDS);
  return key;
}

/** Looks a session up and extends it; undefined when unknown or expired. */
export function touchSession(db: Db, key: string): { accountName: string; level: number } | undefined {
  const row = db.prepare('SELECT account_name, level, expires_at FROM session WHERE key = ?').get(key) as
    { account_name: string; level: number; expires_at: number } | undefined;
  if (!row || row.expires_at < now()) return undefined;
  db.prepare('UPDATE session SET expires_at = ? WHERE key = ?').run(now() + SESSION_IDLE_SECONDS, key);
  return { accountName: row.account_name, level: row.level };
}

/**
 * Ends the sessions with these keys: of `accountName` only, or of anyone when it is undefined. The count says how many
 * ended; a key that is unknown, expired or someone else's ends nothing.
 */
export function deleteSessions(db: Db, keys: readonly string[], accountName: string | undefined): number {
  const owner = accountName === undefined ? '' : 'AND account_name = @owner';
  return db.prepare(`DELETE FROM session WHERE key IN (SELECT value FROM json_each(@keys)) ${owner}`)
    .run({ keys: JSON.stringify(keys), ...(accountName === undefined ? {} : { owner: accountName }) }).changes;
}

/** Ends every session of an account (its password changed, or it was suspended). */
export function endSessionsOf(db: Db, accountName: string): void {
  db.prepare('DELETE FROM session WHERE account_name = ?').run(accountName);
}
