// Zones: the desired state (masters) beside what named has applied, with a claim for the process carrying a change.
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
import { reversedLabels, selfAndParents } from '../model/ownership';
import type { ZoneClaim } from '../model/ownership';
import type { Db } from './db';
import { now } from './db';

export type Pending = 'apply' | 'delete' | null;

export interface Zone {
  id: number;
  name: string;
  namespaceId: number;
  ownerId: number;
  dtype: string;
  masters: string[];
  appliedMasters: string[] | null;
  pending: Pending;
  claim: string | null;
  claimedAt: number | null;
  /** Set while the dead-zone policy keeps the zone out of the name server. */
  suspendedAt: number | null;
}

/** A zone as the `domain` list shows it: every value already text. */
export type ZoneListing = {
  name: string;
  owner: string;
  dtype: string;
  masterip: string;
  /** A change on its way to named first (adding, updating, deleting, resuming), then suspended, then the health status. */
  status: string;
  reason: string;
  serial: string;
  /** The last successful transfer or refresh, "YYYY-MM-DD HH:MM:SS" UTC, or ''. */
  updated: string;
};

interface ZoneRow {
  id: number; name: string; namespace_id: number; owner_id: number; dtype: string; masters: string;
  applied_masters: string | null; pending: Pending; claim: string | null; claimed_at: number | null; suspended_at: number | null;
}

function toZone(r: ZoneRow): Zone {
  return {
    id: r.id, name: r.name, namespaceId: r.namespace_id, ownerId: r.owner_id, dtype: r.dtype,
    masters: r.masters.split(','), appliedMasters: r.applied_masters === null ? null : r.applied_masters.split(','),
    pending: r.pending, claim: r.claim, claimedAt: r.claimed_at, suspendedAt: r.suspended_at,
  };
}

export function findZonesByName(db: Db, name: string): Zone[] {
  return (db.prepare('SELECT * FROM zone WHERE name = ?').all(name) as ZoneRow[]).map(toZone);
}

export function getZone(db: Db, id: number): Zone | undefined {
  const row = db.prepare('SELECT * FROM zone WHERE id = ?').get(id) as ZoneRow | undefined;
  return row && toZone(row);
}

/** What of the `domain` list is asked: whose zones (undefined: everyone's), which rows, in which order. */
export interface ListingQuery {
  ownerIds?: readonly number[];
  filters?: readonly ListingFilter[];
  /** Default: by name, ascending. */
  sort?: { column: string; desc: boolean };
}

// The list's columns as shown, computed by SQLite row by row, because at 100,000 zones every object and string made per
// row in JavaScript shows in the time of the request. z.id comes along as zid: the last key of every order, so a
// name held by two accounts still has one place in the list and pages never overlap.
const LISTING_SELECT = `SELECT z.id AS zid, z.name, a.name AS owner, z.dtype, replace(z.masters, ',', ', ') AS masterip,
      CASE
        WHEN z.pending = 'delete' THEN 'deleting'
        WHEN z.pending = 'apply' THEN CASE WHEN z.suspended_at IS NOT NULL THEN 'resuming' WHEN z.applied_masters IS NULL THEN 'adding' ELSE 'updating' END
        WHEN z.suspended_at IS NOT NULL THEN 'suspended'
        ELSE coalesce(h.status, 'waiting')
      END AS status,
      coalesce(h.reason, '') AS reason, coalesce(CAST(h.serial AS TEXT), '') AS serial,
      CASE WHEN h.last_ok_at > 0 THEN strftime('%Y-%m-%d %H:%M:%S', h.last_ok_at, 'unixepoch') ELSE '' END AS updated`;
const LISTING_JOINS = 'JOIN account a ON a.id = z.owner_id LEFT JOIN zone_health h ON h.zone_id = z.id';
const SHOWN = 'name, owner, dtype, masterip, status, reason, serial, updated';
/** How a column sorts: serial as the number it is, the others as the text shown ("updated" is written to sort). */
const SORT_KEY: Readonly<Record<string, string>> = { serial: "CAST(nullif(serial, '') AS INTEGER)" };

/** The query's rows as (zid, shown columns), narrowed and ordered; `tail` is put after ORDER BY (LIMIT …). */
function listingSql(q: ListingQuery, columns: string, tail = ''): { sql: string; values: Record<string, string | number> } {
  const values: Record<string, string | number> = {};
  const where: string[] = [];
  if (q.ownerIds !== undefined) {
    where.push('z.owner_id IN (SELECT value FROM json_each(@owners))');
    values.owners = JSON.stringify(q.ownerIds);
  }
  const inner = `${LISTING_SELECT} FROM zone z ${LISTING_JOINS}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}`;
  // filter=on: the rows as shown, narrowed by SQLite, so 100,000 zones never become objects to find one.
  const conditions = (q.filters ?? []).map((f, i) => {
    if (!LISTING_COLUMNS.includes(f.column)) throw new InternalError(msg`not a column of the domain list: ${f.column}`);
    values[`f${i}`] = f.value;
    return f.exact ? `lower(${f.column}) = @f${i}` : `instr(lower(${f.column}), @f${i}) > 0`;
  });
  const sort = q.sort ?? { column: 'name', desc: false };
  if (!LISTING_COLUMNS.includes(sort.column)) throw new InternalError(msg`not a column of the domain list: ${sort.column}`);
  const dir = sort.desc ? 'DESC' : 'ASC';
  // name before zid after any column: the index on zone(name), which holds the row id, serves the default order.
  const order = [...new Set([SORT_KEY[sort.column] ?? sort.column, 'name', 'zid'])].map((k) => `${k} ${dir}`).join(', ');
  const filtered = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return { sql: `SELECT ${columns} FROM (${inner})${filtered} ORDER BY ${order}${tail}`, values };
}

/** The whole `domain` list, read at once; a long one is better streamed (streamZoneListing) or paged (zoneListingPage). */
export function listZones(db: Db, ownerIds?: readonly number[], filters: readonly ListingFilter[] = [], sort?: ListingQuery['sort']): ZoneListing[] {
  const { sql, values } = listingSql({ ...(ownerIds === undefined ? {} : { ownerIds }), filters, ...(sort ? { sort } : {}) }, SHOWN);
  return db.prepare(sql).all(values) as ZoneListing[];
}

/** One page: SQLite reads the rows before it along the index (default order) and no further. */
export function zoneListingPage(db: Db, q: ListingQuery, offset: number, limit: number): ZoneListing[] {
  const { sql, values } = listingSql(q, SHOWN, ' LIMIT @limit OFFSET @offset');
  return db.prepare(sql).all({ ...values, limit, offset }) as ZoneListing[];
}

/** How many rows the list has: without a filter a count of an index (the owner check needs no join: owner_id is a key). */
export function countZoneListing(db: Db, q: ListingQuery): number {
  if ((q.filters ?? []).length === 0) {
    const row = q.ownerIds === undefined
      ? db.prepare('SELECT count(*) AS n FROM zone').get()
      : db.prepare('SELECT count(*) AS n FROM zone WHERE owner_id IN (SELECT value FROM json_each(?))').get(JSON.stringify(q.ownerIds));
    return (row as { n: number }).n;
  }
  const { sql, values } = listingSql({ ...q, sort: { column: 'name', desc: false } }, 'count(*) AS n');
  return (db.prepare(sql).get(values) as { n: number }).n;
}

/** Rows per query when the list is streamed. */
const STREAM_BATCH = 1000;

/**
 * The whole list, read as it is written: the zone ids in order first (one number each), then the rows a batch at a
 * time. No statement stays open between batches, so the HTTP server's one connection is free for other requests
 * while a slow client reads, and memory holds the ids and one batch, whatever the number of zones.
 */
export function* streamZoneListing(db: Db, q: ListingQuery): Generator<ZoneListing, void, undefined> {
  const { sql, values } = listingSql(q, 'zid');
  const ids = db.prepare(sql).pluck().all(values) as number[];
  const batch = db.prepare(`SELECT ${SHOWN} FROM (${LISTING_SELECT}, j.key AS position
      FROM json_each(?) j JOIN zone z ON z.id = j.value ${LISTING_JOINS}) ORDER BY position`);
  for (let from = 0; from < ids.length; from += STREAM_BATCH) {
    // A zone deleted since the ids were read is simply not there.
    yield* batch.all(JSON.stringify(ids.slice(from, from + STREAM_BATCH))) as ZoneListing[];
  }
}

/** A condition of the domain list's filter: the value is already lowercased as SQLite's lower() does (ASCII only). */
export interface ListingFilter {
  column: string;
  value: string;
  exact: boolean;
}

/** The columns of ZoneListing, the only names a filter may put into the query. */
export const LISTING_COLUMNS: readonly string[] = ['name', 'owner', 'dtype', 'masterip', 'status', 'reason', 'serial', 'updated'];

export function zonesInNamespace(db: Db, namespaceId: number): Zone[] {
  return (db.prepare('SELECT * FROM zone WHERE namespace_id = ? ORDER BY name').all(namespaceId) as ZoneRow[]).map(toZone);
}

export function insertZone(db: Db, z: { name: string; namespaceId: number; ownerId: number; masters: readonly string[]; claim: string }): number {
  const t = now();
  const info = db.prepare(`INSERT INTO zone (name, rname, namespace_id, owner_id, dtype, masters, applied_masters, pending, claim, claimed_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, 'slave', ?, NULL, 'apply', ?, ?, ?, ?)`)
    .run(z.name, reversedLabels(z.name), z.namespaceId, z.ownerId, z.masters.join(','), z.claim, t, t, t);
  return Number(info.lastInsertRowid);
}

/**
 * The zones `name` could collide with for `ownerId`: every zone of the name itself or of a parent (a point lookup per
 * label), and one zone below it of another account if there is one (a range of the reversed-name index; rows written
 * without a reversed name, found through the same index, are looked through apart). Never a scan of all zones.
 */
export function relatedZones(db: Db, name: string, ownerId: number): ZoneClaim[] {
  const same = db.prepare('SELECT name, owner_id AS ownerId FROM zone WHERE name IN (SELECT value FROM json_each(?))')
    .all(JSON.stringify(selfAndParents(name))) as ZoneClaim[];
  const prefix = reversedLabels(name);
  // '/' follows '.': [com.example., com.example/) holds exactly the names ending in .example.com.
  const below = db.prepare(`SELECT name, owner_id AS ownerId FROM zone WHERE rname > ? AND rname < ? AND owner_id <> ? LIMIT 1`)
    .get(prefix, `${prefix.slice(0, -1)}/`, ownerId) as ZoneClaim | undefined
    ?? db.prepare(`SELECT name, owner_id AS ownerId FROM zone WHERE rname IS NULL AND name LIKE ? ESCAPE '\\' AND owner_id <> ? LIMIT 1`)
      .get(`%.${name.replace(/[\\%_]/g, '\\$&')}`, ownerId) as ZoneClaim | undefined;
  return below === undefined ? same : [...same, below];
}

export function setDesiredMasters(db: Db, id: number, masters: readonly string[], claim: string): void {
  db.prepare(`UPDATE zone SET masters = ?, pending = 'apply', claim = ?, claimed_at = ?, updated_at = ? WHERE id = ?`)
    .run(masters.join(','), claim, now(), now(), id);
}

export function markForDelete(db: Db, id: number, claim: string): void {
  db.prepare(`UPDATE zone SET pending = 'delete', claim = ?, claimed_at = ?, updated_at = ? WHERE id = ?`)
    .run(claim, now(), now(), id);
}

/** Takes over a pending change from a process that died or stalled; true when the claim is now ours. */
export function takeClaim(db: Db, id: number, claim: string, staleBefore: number, deadClaims: readonly string[]): boolean {
  const info = db.prepare(`UPDATE zone SET claim = ?, claimed_at = ? WHERE id = ? AND pending IS NOT NULL
      AND (claim IS NULL OR claimed_at < ? OR claim IN (SELECT value FROM json_each(?)))`)
    .run(claim, now(), id, staleBefore, JSON.stringify(deadClaims));
  return info.changes === 1;
}

/** named now has the desired masters: the change is done (a suspended zone is back). Only the claim holder may say so. */
export function markApplied(db: Db, id: number, masters: readonly string[], claim: string): void {
  db.prepare(`UPDATE zone SET applied_masters = ?, pending = CASE WHEN masters = ? THEN NULL ELSE pending END,
      claim = NULL, claimed_at = NULL, suspended_at = NULL, updated_at = ? WHERE id = ? AND claim = ?`)
    .run(masters.join(','), masters.join(','), now(), id, claim);
}

/**
 * The dead-zone policy takes the zone out of the name server; it stays here, with its masters, to come back. Its
 * applied masters stay too: what named had when it was taken out, and what a refused change goes back to.
 */
export function markSuspended(db: Db, id: number, at: number): boolean {
  return db.prepare('UPDATE zone SET suspended_at = ? WHERE id = ? AND pending IS NULL AND suspended_at IS NULL').run(at, id).changes === 1;
}

/** A suspended zone goes back to the name server: claimed like any change; markApplied ends the suspension. */
export function markResuming(db: Db, id: number, claim: string): boolean {
  return db.prepare(`UPDATE zone SET pending = 'apply', claim = ?, claimed_at = ?, updated_at = ?
      WHERE id = ? AND suspended_at IS NOT NULL AND pending IS NULL`).run(claim, now(), now(), id).changes === 1;
}

export function deleteZoneRow(db: Db, id: number, claim: string): void {
  db.prepare('DELETE FROM zone WHERE id = ? AND claim = ?').run(id, claim);
}

/** Undo a change that named refused: a new zone disappears, an edited one gets its applied masters back. */
export function revertPending(db: Db, id: number, claim: string): void {
  const z = getZone(db, id);
  if (!z || z.claim !== claim) return;
  if (z.suspendedAt !== null && z.pending === 'apply') {
    // A resume or an edit the name server refused: the zone stays suspended as it was, never lost.
    db.prepare('UPDATE zone SET masters = coalesce(applied_masters, masters), pending = NULL, claim = NULL, claimed_at = NULL WHERE id = ?').run(id);
  } else if (z.appliedMasters === null) {
    db.prepare('DELETE FROM zone WHERE id = ?').run(id);
  } else {
    db.prepare(`UPDATE zone SET masters = ?, pending = NULL, claim = NULL, claimed_at = NULL, updated_at = ? WHERE id = ?`)
      .run(z.appliedMasters.join(','), now(), id);
  }
}

export function pendingZones(db: Db): Zone[] {
  return (db.prepare('SELECT * FROM zone WHERE pending IS NOT NULL ORDER BY id').all() as ZoneRow[]).map(toZone);
}

export function hasPendingZones(db: Db): boolean {
  return db.prepare('SELECT 1 FROM zone WHERE pending IS NOT NULL LIMIT 1').get() !== undefined;
}

export function allZones(db: Db): Zone[] {
  return (db.prepare('SELECT * FROM zone ORDER BY id').all() as ZoneRow[]).map(toZone);
}
