// Namespaces: the pool addresses a set of accounts' zones answer on, and who may transfer them. All share one BIND
// view (SHARED_VIEW), each zone carrying its namespace's addresses; a namespace holding a name another one holds too
// has a view of its own (ownView).
import type { Db } from './db';
import { now } from './db';

/** The view every namespace's zones are in, unless the namespace has its own. No namespace can be called this (logins start with a letter or digit). */
export const SHARED_VIEW = '_dnsmgr';

/** SQL for the view a namespace `n` has its zones in. */
export const VIEW_OF_NAMESPACE = `CASE WHEN n.own_view <> 0 THEN n.name ELSE '${SHARED_VIEW}' END`;

export interface Namespace {
  id: number;
  name: string;
  /** The account that made it (a user's private one, a reseller's shared one); null for the admin's. */
  ownerId: number | null;
  /** "none", "any", or validated addresses and prefixes separated by ", " (model/address formatAllowTransfer). */
  allowTransfer: string;
  ips: string[];
  /** Its zones are in a view of its own, named after it, answering on its addresses (else in SHARED_VIEW). */
  ownView: boolean;
}

interface NamespaceRow { id: number; name: string; owner_id: number | null; allow_transfer: string; own_view: number }

export function getNamespace(db: Db, id: number): Namespace | undefined {
  const row = db.prepare('SELECT * FROM namespace WHERE id = ?').get(id) as NamespaceRow | undefined;
  return row && { ...fromRow(row), ips: namespaceIps(db, row.id) };
}

export function findNamespace(db: Db, name: string): Namespace | undefined {
  const row = db.prepare('SELECT id FROM namespace WHERE name = ?').get(name) as { id: number } | undefined;
  return row && getNamespace(db, row.id);
}

export function listNamespaces(db: Db): Namespace[] {
  const rows = db.prepare('SELECT * FROM namespace ORDER BY name').all() as NamespaceRow[];
  const ips = db.prepare('SELECT addr, namespace_id FROM ipaddr WHERE namespace_id IS NOT NULL ORDER BY addr').all() as { addr: string; namespace_id: number }[];
  const byNamespace = new Map<number, string[]>();
  for (const i of ips) byNamespace.set(i.namespace_id, [...(byNamespace.get(i.namespace_id) ?? []), i.addr]);
  return rows.map((r) => ({ ...fromRow(r), ips: byNamespace.get(r.id) ?? [] }));
}

/** The namespaces with a view of their own (few: those holding a name another namespace has too). */
export function namespacesWithOwnView(db: Db): Namespace[] {
  return (db.prepare('SELECT * FROM namespace WHERE own_view <> 0 ORDER BY name').all() as NamespaceRow[]).map((r) => ({ ...fromRow(r), ips: namespaceIps(db, r.id) }));
}

function fromRow(r: NamespaceRow): Omit<Namespace, 'ips'> {
  return { id: r.id, name: r.name, ownerId: r.owner_id, allowTransfer: r.allow_transfer || 'none', ownView: r.own_view !== 0 };
}

/** The namespace gets a view of its own (it holds a name another namespace has in the shared view). */
export function giveOwnView(db: Db, id: number): void {
  db.prepare('UPDATE namespace SET own_view = 1 WHERE id = ?').run(id);
  bumpViewsGeneration(db);
}

/** Whether a namespace other than `except` holds `name` in the shared view. */
export function sharedHolderOf(db: Db, name: string, except: number): boolean {
  return db.prepare(`SELECT 1 FROM zone z JOIN namespace n ON n.id = z.namespace_id
      WHERE z.name = ? AND z.namespace_id <> ? AND n.own_view = 0 LIMIT 1`).get(name, except) !== undefined;
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
