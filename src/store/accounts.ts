// Accounts (users, resellers, admins) and the namespaces (BIND views) they answer in.
import type { Db } from './db';
import { now } from './db';

export interface Account {
  id: number;
  name: string;
  level: number;
  resellerId: number | null;
  passwordHash: string;
  disabled: boolean;
  namespaceId: number | null;
}

export interface Namespace {
  id: number;
  name: string;
  allowTransfer: string[];
  ips: string[];
}

interface AccountRow {
  id: number; name: string; level: number; reseller_id: number | null;
  password_hash: string; disabled: number; namespace_id: number | null;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id, name: r.name, level: r.level, resellerId: r.reseller_id,
    passwordHash: r.password_hash, disabled: r.disabled !== 0, namespaceId: r.namespace_id,
  };
}

export function findAccount(db: Db, name: string): Account | undefined {
  const row = db.prepare('SELECT * FROM account WHERE name = ?').get(name) as AccountRow | undefined;
  return row && toAccount(row);
}

export function listAccounts(db: Db, maxLevel: number): Account[] {
  const rows = db.prepare('SELECT * FROM account WHERE level <= ? ORDER BY name').all(maxLevel) as AccountRow[];
  return rows.map(toAccount);
}

export function insertAccount(db: Db, a: Omit<Account, 'id'>): number {
  const info = db.prepare(`INSERT INTO account (name, level, reseller_id, password_hash, disabled, namespace_id, created_at)
    VALUES (?, ?, ?, ?, ?, ?, ?)`).run(a.name, a.level, a.resellerId, a.passwordHash, a.disabled ? 1 : 0, a.namespaceId, now());
  return Number(info.lastInsertRowid);
}

export function updatePasswordHash(db: Db, id: number, hash: string): void {
  db.prepare('UPDATE account SET password_hash = ? WHERE id = ?').run(hash, id);
}

export function deleteAccount(db: Db, id: number): void {
  db.prepare('DELETE FROM session WHERE account_name = (SELECT name FROM account WHERE id = ?)').run(id);
  db.prepare('DELETE FROM account WHERE id = ?').run(id);
}

export function getNamespace(db: Db, id: number): Namespace | undefined {
  const row = db.prepare('SELECT id, name, allow_transfer FROM namespace WHERE id = ?').get(id) as
    { id: number; name: string; allow_transfer: string } | undefined;
  if (!row) return undefined;
  return { id: row.id, name: row.name, allowTransfer: splitList(row.allow_transfer), ips: namespaceIps(db, row.id) };
}

export function listNamespaces(db: Db): Namespace[] {
  const rows = db.prepare('SELECT id, name, allow_transfer FROM namespace ORDER BY name').all() as
    { id: number; name: string; allow_transfer: string }[];
  const ips = db.prepare('SELECT addr, namespace_id FROM namespace_ip ORDER BY addr').all() as
    { addr: string; namespace_id: number }[];
  return rows.map((r) => ({
    id: r.id, name: r.name, allowTransfer: splitList(r.allow_transfer),
    ips: ips.filter((i) => i.namespace_id === r.id).map((i) => i.addr),
  }));
}

export function namespaceIps(db: Db, id: number): string[] {
  return (db.prepare('SELECT addr FROM namespace_ip WHERE namespace_id = ? ORDER BY addr').all(id) as { addr: string }[])
    .map((r) => r.addr);
}

/** Which namespace answers on an address, if any. */
export function namespaceOfIp(db: Db, addr: string): number | undefined {
  const row = db.prepare('SELECT namespace_id FROM namespace_ip WHERE addr = ?').get(addr) as { namespace_id: number } | undefined;
  return row?.namespace_id;
}

export function insertNamespace(db: Db, name: string, ips: readonly string[], allowTransfer: readonly string[]): number {
  const info = db.prepare('INSERT INTO namespace (name, allow_transfer, created_at) VALUES (?, ?, ?)')
    .run(name, allowTransfer.join(','), now());
  const id = Number(info.lastInsertRowid);
  setNamespaceIps(db, id, ips);
  bumpViewsGeneration(db);
  return id;
}

export function setNamespaceIps(db: Db, id: number, ips: readonly string[]): void {
  db.prepare('DELETE FROM namespace_ip WHERE namespace_id = ?').run(id);
  const add = db.prepare('INSERT INTO namespace_ip (addr, namespace_id) VALUES (?, ?)');
  for (const ip of ips) add.run(ip, id);
  bumpViewsGeneration(db);
}

export function deleteNamespace(db: Db, id: number): void {
  db.prepare('DELETE FROM namespace WHERE id = ?').run(id);
  bumpViewsGeneration(db);
}

export function namespaceInUse(db: Db, id: number): boolean {
  return db.prepare('SELECT 1 FROM account WHERE namespace_id = ? UNION ALL SELECT 1 FROM zone WHERE namespace_id = ? LIMIT 1')
    .get(id, id) !== undefined;
}

/** Bumped by every change that alters the rendered views, so a writer can tell whether its render is still current. */
export function bumpViewsGeneration(db: Db): void {
  db.prepare("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'views_generation'").run();
}

export function viewsGeneration(db: Db): number {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'views_generation'").get() as { value: string };
  return Number(row.value);
}

function splitList(s: string): string[] {
  return s === '' ? [] : s.split(',');
}
