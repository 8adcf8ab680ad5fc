// Namespaces: the pool addresses a set of accounts' zones answer on, and who may transfer them. All share one BIND
// view (SHARED_VIEW), each zone carrying its namespace's addresses; a namespace holding a name another one holds too
// has a view of its own (ownView).
import type { IpAddress } from '../model/address';
import type { Db } from './db';
import { now, writeTx } from './db';
import type { SqlList } from './sql-list';

/** The view every namespace's zones are in, unless the namespace has its own. No namespace can be called this (logins start with a letter or digit). */
export const SHARED_VIEW = '_dnsmgr';


/**
 * A namespace's own view is named `_ns<id>`: lowercase, so named keeps its new-zones database as `<view>.nzd` (a name
 * with a capital letter gets a hash instead), and no login can be it.
 */
export const OWN_VIEW_PREFIX = '_ns';

export function ownViewOf(id: number): string {
  return `${OWN_VIEW_PREFIX}${id}`;
}

/** SQL for the view a namespace `n` has its zones in. */
export const VIEW_OF_NAMESPACE = `CASE WHEN n.own_view <> 0 THEN '${OWN_VIEW_PREFIX}' || n.id ELSE '${SHARED_VIEW}' END`;


export interface Namespace {
  id: number;
  name: string;
  /** The account that made it (a user's private one, a reseller's shared one); null for the admin's. */
  ownerId: number | null;
  /** "none", "any", or validated addresses and prefixes separated by ", " (model/address formatAllowTransfer). */
  allowTransfer: string;
  /** Pool addresses: validated before they joined the pool, branded as read back (as in store/ipaddrs.ts). */
  ips: IpAddress[];
  /** Its zones are in a view of its own (ownViewOf), answering on its addresses (else in SHARED_VIEW). */
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
  const ips = db.prepare('SELECT addr, namespace_id FROM ipaddr WHERE namespace_id IS NOT NULL ORDER BY addr').all() as { addr: IpAddress; namespace_id: number }[];
  const byNamespace = new Map<number, IpAddress[]>();
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

/** The meta key that says every namespace has a view of its own (the name server has no shared view). */
const VIEW_PER_NAMESPACE = 'view_per_namespace';

/**
 * Records whether the name server gives every namespace a view of its own; when it does, the namespaces still in the
 * shared view get theirs (their zones are then moved by placement). Cheap when nothing changes: one indexed read.
 */
export function requireViewPerNamespace(db: Db, required: boolean): boolean {
  const was = db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(VIEW_PER_NAMESPACE) === '1';
  const behind = required && db.prepare('SELECT 1 FROM namespace WHERE own_view = 0 LIMIT 1').get() !== undefined;
  if (was === required && !behind) return false;
  writeTx(db, () => {
    db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(VIEW_PER_NAMESPACE, required ? '1' : '0');
    if (required) for (const id of db.prepare('SELECT id FROM namespace WHERE own_view = 0').pluck().all() as number[]) giveOwnView(db, id);
  });
  return true;
}

/**
 * For a name server with a shared view (BIND), after one without (a migration from PowerDNS): each namespace goes
 * back to the shared view unless it holds a name a namespace made before it holds too.
 */
export function resetOwnViews(db: Db): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(VIEW_PER_NAMESPACE, '0');
  db.prepare(`UPDATE namespace SET own_view = CASE WHEN EXISTS (SELECT 1 FROM zone z JOIN zone other ON other.name = z.name
      AND other.namespace_id < z.namespace_id WHERE z.namespace_id = namespace.id) THEN 1 ELSE 0 END`).run();
  bumpViewsGeneration(db);
  bumpPlaceVersion(db, db.prepare('SELECT id FROM namespace').pluck().all() as number[]);
}

/** The namespace gets a view of its own (it holds a name another namespace has in the shared view). */
export function giveOwnView(db: Db, id: number): void {
  db.prepare('UPDATE namespace SET own_view = 1 WHERE id = ?').run(id);
  bumpViewsGeneration(db);
  bumpPlaceVersion(db, [id]);
}

/** Whether a namespace other than `except` holds `name` in the shared view. */
export function sharedHolderOf(db: Db, name: string, except: number): boolean {
  return db.prepare(`SELECT 1 FROM zone z JOIN namespace n ON n.id = z.namespace_id
      WHERE z.name = ? AND z.namespace_id <> ? AND n.own_view = 0 LIMIT 1`).get(name, except) !== undefined;
}

export function namespaceIps(db: Db, id: number): IpAddress[] {
  return db.prepare('SELECT addr FROM ipaddr WHERE namespace_id = ? ORDER BY addr').pluck().all(id) as IpAddress[];
}

export function insertNamespace(db: Db, name: string, ownerId: number | null): number {
  // Under a name server without a shared view (PowerDNS) every namespace has a view of its own from the start.
  const info = db.prepare(`INSERT INTO namespace (name, owner_id, allow_transfer, created_at, own_view)
    VALUES (?, ?, 'none', ?, coalesce((SELECT value = '1' FROM meta WHERE key = '${VIEW_PER_NAMESPACE}'), 0))`).run(name, ownerId, now());
  bumpViewsGeneration(db);
  return Number(info.lastInsertRowid);
}

export function setAllowTransfer(db: Db, id: number, allowTransfer: string): void {
  db.prepare('UPDATE namespace SET allow_transfer = ? WHERE id = ?').run(allowTransfer, id);
  bumpViewsGeneration(db);
  bumpPlaceVersion(db, [id]);
}

/**
 * The namespaces' place changed (addresses, allow-transfer, own view): their zones are to be moved, by this request
 * or, should it not get there, by the next (duePlacements).
 */
export function bumpPlaceVersion(db: Db, ids: readonly (number | null)[]): void {
  const stmt = db.prepare('UPDATE namespace SET place_version = place_version + 1 WHERE id = ?');
  for (const id of new Set(ids)) if (id !== null) stmt.run(id);
}

/** Each namespace's place version (all of them, or these). */
export function placeVersions(db: Db, ids: readonly number[] | 'all'): Map<number, number> {
  const rows = ids === 'all'
    ? db.prepare('SELECT id, place_version AS v FROM namespace').all() as { id: number; v: number }[]
    : db.prepare('SELECT id, place_version AS v FROM namespace WHERE id IN (SELECT value FROM json_each(?))').all(JSON.stringify(ids)) as { id: number; v: number }[];
  return new Map(rows.map((r) => [r.id, r.v]));
}

/** The zones of these namespaces were moved for these versions of their place. */
export function markPlaced(db: Db, versions: ReadonlyMap<number, number>): void {
  const stmt = db.prepare('UPDATE namespace SET placed_version = max(placed_version, ?) WHERE id = ?');
  for (const [id, v] of versions) stmt.run(v, id);
}

/** Namespaces whose zones are behind their place (a request changed it and did not finish): a partial index. */
export function duePlacements(db: Db): number[] {
  return db.prepare('SELECT id FROM namespace WHERE placed_version < place_version').pluck().all() as number[];
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

/** The account's namespaces lose their owner (the account is going). */
export function disownNamespaces(db: Db, ownerId: number): void {
  db.prepare('UPDATE namespace SET owner_id = NULL WHERE owner_id = ?').run(ownerId);
}

/** Who a namespace is seen by: an account (a reseller sees more), nobody (null), or an admin, every one (undefined). */
export type NamespaceViewer = { id: number; namespaceId: number | null; reseller: boolean } | null | undefined;

/**
 * The namespaces `seenBy` sees, as conditions on namespace n joined to its owner o: its own namespace and those it
 * owns; a reseller also its users' and those on addresses of its pool.
 */
function seenWhere(seenBy: NamespaceViewer): { where: string[]; values: Record<string, number> } {
  if (seenBy === undefined) return { where: [], values: {} };
  if (seenBy === null) return { where: ['0'], values: {} };
  const values = { ns: seenBy.namespaceId ?? -1, me: seenBy.id };
  return seenBy.reseller
    ? { where: ['(n.id = @ns OR n.owner_id = @me OR o.reseller_id = @me OR EXISTS (SELECT 1 FROM ipaddr h WHERE h.namespace_id = n.id AND h.holder_id = @me))'], values }
    : { where: ['(n.id = @ns OR n.owner_id = @me)'], values };
}

export function seesNamespace(db: Db, seenBy: NamespaceViewer, id: number): boolean {
  const { where, values } = seenWhere(seenBy);
  return db.prepare(`SELECT 1 FROM namespace n LEFT JOIN account o ON o.id = n.owner_id WHERE ${['n.id = @id', ...where].join(' AND ')}`).get({ ...values, id }) !== undefined;
}

/**
 * The `namespace` list as shown (src/funcs/namespace.ts) of the namespaces `seenBy` sees, by name: owner, addresses
 * in address order, accounts placed in it, its zones, allow-transfer ('none' when empty).
 */
export function namespaceListing(seenBy: NamespaceViewer): SqlList {
  return {
    columns: {
      name: 'n.name',
      owner: "coalesce(o.name, '')",
      ip: "coalesce((SELECT group_concat(i.addr, ', ' ORDER BY i.addr) FROM ipaddr i WHERE i.namespace_id = n.id), '')",
      accounts: 'CAST((SELECT count(*) FROM account m WHERE m.namespace_id = n.id) AS TEXT)',
      domains: 'CAST((SELECT count(*) FROM zone z WHERE z.namespace_id = n.id) AS TEXT)',
      allow_transfer: "CASE WHEN n.allow_transfer = '' THEN 'none' ELSE n.allow_transfer END",
    },
    from: 'FROM namespace n LEFT JOIN account o ON o.id = n.owner_id',
    ...seenWhere(seenBy),
    orderBy: 'n.name',
  };
}
