// Restricted names (our addition, not in the legacy panel): zones no account may add, nor names below them.
import type { Db } from './db';
import { now } from './db';

export function restrictedNames(db: Db): string[] {
  return db.prepare('SELECT name FROM restricted ORDER BY name').pluck().all() as string[];
}

export function addRestricted(db: Db, name: string): void {
  db.prepare('INSERT OR IGNORE INTO restricted (name, created_at) VALUES (?, ?)').run(name, now());
}

export function deleteRestricted(db: Db, name: string): void {
  db.prepare('DELETE FROM restricted WHERE name = ?').run(name);
}
