// Accounts: users, resellers, admins, with their limits and the namespace their zones go to.
import type { Db } from './db';
import { now } from './db';
import type { SqlList } from './sql-list';

export interface Account {
  id: number;
  name: string;
  level: number;
  resellerId: number | null;
  passwordHash: string;
  disabled: boolean;
  namespaceId: number | null;
  /** Zones the account may own (a reseller: with its users); null = no limit. */
  domainLimit: number | null;
  /** Resellers: users they may have; null = no limit. */
  userLimit: number | null;
  /** Resellers: addresses their pool may hold; null = no limit. */
  ipLimit: number | null;
  /** The level number an imported passwd file carried; null when the account was made here. */
  passwdLevel: number | null;
}

export type NewAccount = Omit<Account, 'id' | 'domainLimit' | 'userLimit' | 'ipLimit' | 'passwdLevel'> &
  Partial<Pick<Account, 'domainLimit' | 'userLimit' | 'ipLimit' | 'passwdLevel'>>;

interface AccountRow {
  id: number; name: string; level: number; reseller_id: number | null; password_hash: string; disabled: number;
  namespace_id: number | null; domain_limit: number | null; user_limit: number | null; ip_limit: number | null; passwd_level: number | null;
}

function toAccount(r: AccountRow): Account {
  return {
    id: r.id, name: r.name, level: r.level, resellerId: r.reseller_id, passwordHash: r.password_hash,
    disabled: r.disabled !== 0, namespaceId: r.namespace_id, domainLimit: r.domain_limit, userLimit: r.user_limit,
    ipLimit: r.ip_limit, passwdLevel: r.passwd_level,
  };
}

export function findAccount(db: Db, name: string): Account | undefined {
  const row = db.prepare('SELECT * FROM account WHERE name = ?').get(name) as AccountRow | undefined;
  return row && toAccount(row);
}

/** The login of an account by id; '' for none (an admin's pool, a namespace without owner). */
export function accountName(db: Db, id: number | null): string {
  if (id === null) return '';
  return (db.prepare('SELECT name FROM account WHERE id = ?').get(id) as { name: string } | undefined)?.name ?? '';
}

export function getAccount(db: Db, id: number): Account | undefined {
  const row = db.prepare('SELECT * FROM account WHERE id = ?').get(id) as AccountRow | undefined;
  return row && toAccount(row);
}

/** An account as the passwd file has it. */
export interface PasswdRow { login: string; reseller: string; hash: string; level: number; used: number; allowed: number; shared: number }

const PASSWD_ROW = `SELECT a.name AS login, coalesce(r.name, '') AS reseller, a.password_hash AS hash,
    coalesce(a.passwd_level, a.level) AS level, a.zones_used AS used, coalesce(a.domain_limit, 0) AS allowed, a.zones_shared AS shared
  FROM account a LEFT JOIN account r ON r.id = a.reseller_id`;

/**
 * Every account as the passwd file has it, in creation order (the file's order): login, reseller's login, hash, level
 * (as imported, else its own), zones used, domain limit (0: none), zones in a namespace it does not own.
 */
export function passwdRows(db: Db): PasswdRow[] {
  return db.prepare(`${PASSWD_ROW} ORDER BY a.id`).all() as PasswdRow[];
}

/** How many accounts there are, counted up to `limit` at most. */
export function accountCountUpTo(db: Db, limit: number): number {
  return db.prepare('SELECT count(*) FROM (SELECT 1 FROM account LIMIT ?)').pluck().get(limit) as number;
}

/** The passwd rows of these accounts; an id no account has is left out. */
export function passwdRowsOf(db: Db, ids: readonly number[]): PasswdRow[] {
  const one = db.prepare(`${PASSWD_ROW} WHERE a.id = ?`);
  return ids.flatMap((id) => (one.get(id) as PasswdRow | undefined) ?? []);
}

export function allAccounts(db: Db): Account[] {
  return (db.prepare('SELECT * FROM account ORDER BY id').all() as AccountRow[]).map(toAccount);
}

export function accountsAtLevel(db: Db, level: number, resellerId?: number): Account[] {
  const rows = resellerId === undefined
    ? db.prepare('SELECT * FROM account WHERE level = ? ORDER BY name').all(level)
    : db.prepare('SELECT * FROM account WHERE level = ? AND reseller_id = ? ORDER BY name').all(level, resellerId);
  return (rows as AccountRow[]).map(toAccount);
}

export function usersOf(db: Db, resellerId: number): Account[] {
  return (db.prepare('SELECT * FROM account WHERE reseller_id = ? ORDER BY name').all(resellerId) as AccountRow[]).map(toAccount);
}

export function insertAccount(db: Db, a: NewAccount): number {
  const info = db.prepare(`INSERT INTO account (name, level, reseller_id, password_hash, disabled, namespace_id,
      domain_limit, user_limit, ip_limit, passwd_level, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`)
    .run(a.name, a.level, a.resellerId, a.passwordHash, a.disabled ? 1 : 0, a.namespaceId,
      a.domainLimit ?? null, a.userLimit ?? null, a.ipLimit ?? null, a.passwdLevel ?? null, now());
  return Number(info.lastInsertRowid);
}

type Patch = Partial<Pick<Account, 'passwordHash' | 'disabled' | 'namespaceId' | 'domainLimit' | 'userLimit' | 'ipLimit' | 'level' | 'passwdLevel'>>;
const COLUMNS: Record<keyof Patch, string> = {
  passwordHash: 'password_hash', disabled: 'disabled', namespaceId: 'namespace_id', domainLimit: 'domain_limit',
  userLimit: 'user_limit', ipLimit: 'ip_limit', level: 'level', passwdLevel: 'passwd_level',
};

export function updateAccount(db: Db, id: number, patch: Patch): void {
  for (const [key, value] of Object.entries(patch) as [keyof Patch, unknown][]) {
    if (value === undefined) continue;
    db.prepare(`UPDATE account SET ${COLUMNS[key]} = ? WHERE id = ?`).run(typeof value === 'boolean' ? (value ? 1 : 0) : value, id);
  }
}

export function deleteAccount(db: Db, id: number): void {
  db.prepare('DELETE FROM session WHERE account_name = (SELECT name FROM account WHERE id = ?)').run(id);
  db.prepare('DELETE FROM account WHERE id = ?').run(id);
}

export function zoneCount(db: Db, ownerIds: readonly number[]): number {
  // The counts the database keeps (migration 5), not a count over the zones.
  const row = db.prepare('SELECT coalesce(sum(zones_used), 0) AS n FROM account WHERE id IN (SELECT value FROM json_each(?))').get(JSON.stringify(ownerIds)) as { n: number };
  return row.n;
}

/** Logins that belong to the panel's own administrators, who have no account here. */
const RESERVED_LOGINS = ['root', 'admin'];

export function notePanelAdmin(db: Db, name: string): void {
  if (db.prepare('SELECT 1 FROM panel_admin WHERE name = ?').get(name)) return;
  db.prepare('INSERT OR IGNORE INTO panel_admin (name, seen_at) VALUES (?, ?)').run(name, now());
}

export function isPanelAdminLogin(db: Db, name: string): boolean {
  return RESERVED_LOGINS.includes(name) || db.prepare('SELECT 1 FROM panel_admin WHERE name = ?').get(name) !== undefined;
}

/** The ids of a reseller's users. */
export function userIdsOf(db: Db, resellerId: number): number[] {
  return db.prepare('SELECT id FROM account WHERE reseller_id = ?').pluck().all(resellerId) as number[];
}

/** The account with this login becomes the reseller's user. */
export function setResellerOf(db: Db, login: string, resellerId: number): void {
  db.prepare('UPDATE account SET reseller_id = ? WHERE name = ?').run(resellerId, login);
}

/**
 * The `user` list as shown (src/funcs/accounts.ts): accounts at `level`, a reseller's own when `resellerId` is given,
 * by name; their namespace's addresses in address order, zones used, domain limit (0: none), status.
 */
export function accountListing(level: number, resellerId: number | undefined): SqlList {
  return {
    columns: {
      name: 'a.name',
      reseller: "coalesce(r.name, '')",
      namespace: "coalesce(n.name, '')",
      ip: "coalesce((SELECT group_concat(i.addr, ', ' ORDER BY i.addr) FROM ipaddr i WHERE i.namespace_id = a.namespace_id), '')",
      domains: 'CAST(a.zones_used AS TEXT)',
      domain_limit: 'CAST(coalesce(a.domain_limit, 0) AS TEXT)',
      status: "CASE WHEN a.disabled <> 0 THEN 'suspended' ELSE 'active' END",
    },
    from: 'FROM account a LEFT JOIN account r ON r.id = a.reseller_id LEFT JOIN namespace n ON n.id = a.namespace_id',
    where: resellerId === undefined ? ['a.level = @level'] : ['a.level = @level', 'a.reseller_id = @reseller'],
    values: resellerId === undefined ? { level } : { level, reseller: resellerId },
    orderBy: 'a.name',
  };
}
