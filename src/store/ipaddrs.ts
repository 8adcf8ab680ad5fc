// The pool of addresses used as private name servers, with their status, holder, assignee and namespace.
import type { IpAddress } from '../model/address';
import type { IpStatus } from '../model/ip-status';
import type { Db } from './db';
import { now } from './db';
import type { SqlList } from './sql-list';
import { bumpPlaceVersion, bumpViewsGeneration } from './namespaces';

export interface PoolAddress {
  addr: IpAddress;
  family: 4 | 6;
  status: IpStatus;
  holderId: number | null;
  assigneeId: number | null;
  namespaceId: number | null;
  /** Allocated in IPmanager when it joined the pool: given back there when it leaves. */
  fromIpmanager?: boolean;
}

interface Row { addr: string; family: 4 | 6; status: IpStatus; holder_id: number | null; assignee_id: number | null; namespace_id: number | null; from_ipmanager: number }

// An address was validated before it joined the pool (insertAddress takes a PoolAddress): read back, it is branded
// here, the one place that may.
function toAddress(r: Row): PoolAddress {
  return { addr: r.addr as IpAddress, family: r.family, status: r.status, holderId: r.holder_id, assigneeId: r.assignee_id, namespaceId: r.namespace_id, ...(r.from_ipmanager === 1 ? { fromIpmanager: true } : {}) };
}

export function getAddress(db: Db, addr: string): PoolAddress | undefined {
  const row = db.prepare('SELECT * FROM ipaddr WHERE addr = ?').get(addr) as Row | undefined;
  return row && toAddress(row);
}

export function allAddresses(db: Db): PoolAddress[] {
  return (db.prepare('SELECT * FROM ipaddr ORDER BY family, addr').all() as Row[]).map(toAddress);
}

/** Addresses in a pool: the admin's (null) or a reseller's. */
export function poolOf(db: Db, holderId: number | null): PoolAddress[] {
  const rows = holderId === null
    ? db.prepare('SELECT * FROM ipaddr WHERE holder_id IS NULL ORDER BY family, addr').all()
    : db.prepare('SELECT * FROM ipaddr WHERE holder_id = ? ORDER BY family, addr').all(holderId);
  return (rows as Row[]).map(toAddress);
}

export function namespaceAddresses(db: Db, namespaceId: number): PoolAddress[] {
  return (db.prepare('SELECT * FROM ipaddr WHERE namespace_id = ? ORDER BY family, addr').all(namespaceId) as Row[]).map(toAddress);
}

export function insertAddress(db: Db, a: PoolAddress): void {
  db.prepare('INSERT INTO ipaddr (addr, family, status, holder_id, assignee_id, namespace_id, from_ipmanager, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)')
    .run(a.addr, a.family, a.status, a.holderId, a.assigneeId, a.namespaceId, a.fromIpmanager === true ? 1 : 0, now());
  // named listens on the pool's addresses (hidden ones aside).
  bumpViewsGeneration(db);
  bumpPlaceVersion(db, [a.namespaceId]);
}

export function updateAddress(db: Db, addr: string, patch: Partial<Omit<PoolAddress, 'addr' | 'family'>>): void {
  const before = getAddress(db, addr);
  if (!before) return;
  const next = { ...before, ...patch };
  db.prepare('UPDATE ipaddr SET status = ?, holder_id = ?, assignee_id = ?, namespace_id = ? WHERE addr = ?')
    .run(next.status, next.holderId, next.assigneeId, next.namespaceId, addr);
  // named listens on the pool's addresses but hidden ones.
  if ((next.status === 'hidden') !== (before.status === 'hidden')) bumpViewsGeneration(db);
  if (next.namespaceId !== before.namespaceId) {
    bumpViewsGeneration(db);
    // Both namespaces' zones answer on other addresses now.
    bumpPlaceVersion(db, [before.namespaceId, next.namespaceId]);
  }
}

export function deleteAddress(db: Db, addr: string): void {
  const before = getAddress(db, addr);
  db.prepare('DELETE FROM ipaddr WHERE addr = ?').run(addr);
  if (before) bumpViewsGeneration(db);
  if (before) bumpPlaceVersion(db, [before.namespaceId]);
}

/** Addresses dnsmgr keeps bound: every pool address but the hidden ones (one per namespace: thousands, read as text). */
export function boundAddresses(db: Db): IpAddress[] {
  return db.prepare("SELECT addr FROM ipaddr WHERE status != 'hidden' ORDER BY family, addr").pluck().all() as IpAddress[];
}

/** Those of `addrs` that are in the pool (any status, any holder). */
export function poolAddressesAmong(db: Db, addrs: readonly string[]): IpAddress[] {
  return (db.prepare('SELECT addr FROM ipaddr WHERE addr IN (SELECT value FROM json_each(?)) ORDER BY addr').pluck().all(JSON.stringify(addrs)) as IpAddress[]);
}

/** Addresses assigned to the account (in one namespace, or any) become free in their pool again. */
export function freeAssignedTo(db: Db, accountId: number, namespaceId?: number): void {
  if (namespaceId === undefined) db.prepare("UPDATE ipaddr SET status = 'free', assignee_id = NULL WHERE assignee_id = ?").run(accountId);
  else db.prepare("UPDATE ipaddr SET status = 'free', assignee_id = NULL WHERE assignee_id = ? AND namespace_id = ?").run(accountId, namespaceId);
}

/** The addresses assigned in a namespace nobody uses any more become free in their pool again. */
export function freeAssignedIn(db: Db, namespaceId: number): void {
  db.prepare("UPDATE ipaddr SET status = 'free', assignee_id = NULL WHERE namespace_id = ? AND status = 'assigned'").run(namespaceId);
}

/**
 * The `ipaddr` list as shown (src/funcs/ipaddr.ts), by family and address: `pool` undefined, every address as the
 * admin sees it (one in a reseller's pool is assigned to that reseller); else the addresses of that pool (null: the
 * admin's), as their holder sees them. The owner is the account the address is assigned to, as seen.
 */
export function addressListing(pool: number | null | undefined): SqlList {
  const seenByAdmin = pool === undefined || pool === null;
  const assignee = seenByAdmin ? 'coalesce(i.holder_id, i.assignee_id)' : 'i.assignee_id';
  return {
    columns: {
      name: 'i.addr',
      family: "'ipv' || i.family",
      status: seenByAdmin ? "CASE WHEN i.holder_id IS NOT NULL THEN 'assigned' ELSE i.status END" : 'i.status',
      owner: `coalesce((SELECT s.name FROM account s WHERE s.id = ${assignee}), '')`,
      namespace: "coalesce(n.name, '')",
    },
    from: 'FROM ipaddr i LEFT JOIN namespace n ON n.id = i.namespace_id',
    where: pool === undefined ? [] : pool === null ? ['i.holder_id IS NULL'] : ['i.holder_id = @pool'],
    values: pool === undefined || pool === null ? {} : { pool },
    orderBy: 'i.family, i.addr',
  };
}
