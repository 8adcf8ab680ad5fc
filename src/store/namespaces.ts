// Namespaces: one BIND view each, answering on the pool addresses attached to it.
import type { Db } from './db';
import { now } from './db';

export interface Namespace {
  id: number;
  name: string;
  /** The account that made it (a user's private one, a reseller's shared one); null for the admin's. */
  ownerId: number | null;
  /** "none", "any", or validated addresses and prefixes separated by ", " (model/address formatAllowTransfer). */
  allowTransfer: string;
  ips: string[];
}

interface NamespaceRow { id: number; name: string; owner_id: number | null; allow_transfer: string }

export function getNamespace(db: Db, id: number): Namespace | undefined {
  const row = db.prepare('SELECT * FROM namespace WHERE id = ?').get(id) as NamespaceRow | undefined;
  return row && { id: row.id, name: row.name, ownerId: row.owner_id, allowTransfer: row.allow_transfer || 'none', ips: namespaceIps(db, row.id) };
}

export function findNamespace(db: Db, name: string): Namespace | undefined {
  const row = db.prepare('SELECT id FROM namespace WHERE name = ?').get(name) as { id: number } | undefined;
  return row && getNamespace(db, row.id);
}

export function listNamespaces(db: Db): Namespace[] {
  const rows = db.prepare('SELECT * FROM namespace ORDER BY name').all() as NamespaceRow[];
  const ips = db.prepare('SELECT addr, namespace_id FROM ipaddr WHERE namespace_id IS NOT NULL ORDER BY addr').all() as { addr: string; namespace_id: number }[];
  return rows.map((r) => ({
    id: r.id, name: r.name, ownerId: r.owner_id, allowTransfer: r.allow_transfer || 'none',
    ips: ips.filter((i) => i.namespace_id === r.id).map((i) => i.addr),
  }));
}

export function namespaceIps(db: Db, id: number): string[] {
  return (db.prepare('SELECT addr FROM ipaddr WHERE namespace_id = ? ORDER BY addr').all(id) as { addr: string }[]).map((r) => r.addr);
}

export function insertNamespace(db: Db, name: string, ownerId: number | null): number {
  const info = db.prepare("INSERT INTO namespace (name, owner_id, allow_transfer, created_at) VALUES (?, ?, 'none', ?)").run(name, ownerId, now());
  bumpViewsGeneration(db);
  return Number(info.lastInsertRowid);
}

export function setAllowTransfer(db: Db, id: number, allowTransfer: string): void {
  db.prepare('UPDATE namespace SET allow_transfer = ? WHERE id = ?').run(allowTransfer, id);
  bumpViewsGeneration(db);
}

export function setNamespaceOwner(db: Db, id: number, ownerId: number | null): void {
  db.prepare('UPDATE namespace SET owner_id = ? WHERE id = ?').run(ownerId, id);
}

/** Deletes the namespace; its addresses stay in the pool, detached. */
export function deleteNamespace(db: Db, id: number): void {
  db.prepare('UPDATE ipaddr SET namespace_id = NULL WHERE namespace_id = ?').run(id);
  db.prepare('DELETE FROM namespace WHERE id = ?').run(id);
  bumpViewsGeneration(db);
}

/** Accounts whose zones go to the namespace. */
export function namespaceMembers(db: Db, id: number): { id: number; name: string }[] {
  return db.prepare('SELECT id, name FROM account WHERE namespace_id = ? ORDER BY name').all(id) as { id: number; name: string }[];
}

export function namespaceInUse(db: Db, id: number): boolean {
  return db.prepare('SELECT 1 FROM account WHERE namespace_id = ? UNION ALL SELECT 1 FROM zone WHERE namespace_id = ? LIMIT 1').get(id, id) !== undefined;
}

/** Bumped by every change that alters the rendered views, so a writer can tell whether its render is still current. */
export function bumpViewsGeneration(db: Db): void {
  db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'views_generation'").run();
}

export function viewsGeneration(db: Db): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'views_generation'").get() as { value: string };
  return Number(row.value);
}
