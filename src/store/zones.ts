// Zones: the desired state (masters) beside what named has applied, with a claim for the process carrying a change.
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
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

/**
 * The `domain` list, of the given owners or of everyone: built by SQLite row by row as it will be shown, because at
 * 100,000 zones every object and string made per row in JavaScript shows in the time of the request.
 */
export function listZones(db: Db, ownerIds?: readonly number[], filters: readonly ListingFilter[] = []): ZoneListing[] {
  const where = ownerIds === undefined ? '' : 'WHERE z.owner_id IN (SELECT value FROM json_each(@owners))';
  const values: Record<string, string> = ownerIds === undefined ? {} : { owners: JSON.stringify(ownerIds) };
  const listing = `SELECT z.name, a.name AS owner, z.dtype, replace(z.masters, ',', ', ') AS masterip,
      CASE
        WHEN z.pending = 'delete' THEN 'deleting'
        WHEN z.pending = 'apply' THEN CASE WHEN z.suspended_at IS NOT NULL THEN 'resuming' WHEN z.applied_masters IS NULL THEN 'adding' ELSE 'updating' END
        WHEN z.suspended_at IS NOT NULL THEN 'suspended'
        ELSE coalesce(h.status, 'waiting')
      END AS status,
      coalesce(h.reason, '') AS reason, coalesce(CAST(h.serial AS TEXT), '') AS serial,
      CASE WHEN h.last_ok_at > 0 THEN strftime('%Y-%m-%d %H:%M:%S', h.last_ok_at, 'unixepoch') ELSE '' END AS updated
    FROM zone z JOIN account a ON a.id = z.owner_id LEFT JOIN zone_health h ON h.zone_id = z.id
    ${where}`;
  if (filters.length === 0) return db.prepare(`${listing} ORDER BY z.name`).all(values) as ZoneListing[];
  // filter=on: the rows as shown, narrowed by SQLite, so 100,000 zones never become objects to find one.
  const conditions = filters.map((f, i) => {
    if (!LISTING_COLUMNS.includes(f.column)) throw new InternalError(msg`not a column of the domain list: ${f.column}`);
    values[`f${i}`] = f.value;
    return f.exact ? `lower(${f.column}) = @f${i}` : `instr(lower(${f.column}), @f${i}) > 0`;
  });
  return db.prepare(`SELECT * FROM (${listing}) WHERE ${conditions.join(' AND ')} ORDER BY name`).all(values) as ZoneListing[];
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
  const info = db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, dtype, masters, applied_masters, pending, claim, claimed_at, created_at, updated_at)
    VALUES (?, ?, ?, 'slave', ?, NULL, 'apply', ?, ?, ?, ?)`)
    .run(z.name, z.namespaceId, z.ownerId, z.masters.join(','), z.claim, t, t, t);
  return Number(info.lastInsertRowid);
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
