// Zones: the desired state (masters) beside what named has applied, with a claim for the process carrying a change.
import { reversedLabels, selfAndParents } from '../model/ownership';
import type { ZoneClaim } from '../model/ownership';
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';
import type { Db } from './db';
import { now } from './db';

export type Pending = 'apply' | 'delete' | null;

/** A slave zone is copied from its masters; a master zone's records are dnsmgr's own (zone_record), its masters none. */
export type ZoneType = 'slave' | 'master';

export interface Zone {
  id: number;
  name: ZoneName;
  namespaceId: number;
  ownerId: number;
  dtype: ZoneType;
  masters: IpAddress[];
  appliedMasters: IpAddress[] | null;
  /** Where named has the zone (set with appliedMasters): its view, and the ACL text of its clause (placeAcl). */
  appliedView: string | null;
  appliedAcl: string | null;
  pending: Pending;
  claim: string | null;
  claimedAt: number | null;
  /** Set while the dead-zone policy keeps the zone out of the name server. */
  suspendedAt: number | null;
}


interface ZoneRow {
  id: number; name: string; namespace_id: number; owner_id: number; dtype: string; masters: string;
  applied_masters: string | null; applied_view: string | null; applied_acl: string | null; pending: Pending; claim: string | null; claimed_at: number | null; suspended_at: number | null;
}

// A zone's name and masters were validated before they were written (insertZone, setDesiredMasters and markApplied take
// them typed): read back, they are branded here, the one place that may, so nothing downstream casts a string.
function toZone(r: ZoneRow): Zone {
  return {
    id: r.id, name: r.name as ZoneName, namespaceId: r.namespace_id, ownerId: r.owner_id, dtype: r.dtype === 'master' ? 'master' : 'slave',
    masters: storedMasters(r.masters), appliedMasters: r.applied_masters === null ? null : storedMasters(r.applied_masters),
    appliedView: r.applied_view, appliedAcl: r.applied_acl,
    pending: r.pending, claim: r.claim, claimedAt: r.claimed_at, suspendedAt: r.suspended_at,
  };
}

/** A zone's masters column (validated addresses joined by ','), as the addresses. */
export function storedMasters(column: string): IpAddress[] {
  return column === '' ? [] : column.split(',') as IpAddress[];
}

export function findZonesByName(db: Db, name: string): Zone[] {
  return (db.prepare('SELECT * FROM zone WHERE name = ?').all(name) as ZoneRow[]).map(toZone);
}

export function getZone(db: Db, id: number): Zone | undefined {
  const row = db.prepare('SELECT * FROM zone WHERE id = ?').get(id) as ZoneRow | undefined;
  return row && toZone(row);
}


export function zonesInNamespace(db: Db, namespaceId: number): Zone[] {
  return (db.prepare('SELECT * FROM zone WHERE namespace_id = ? ORDER BY name').all(namespaceId) as ZoneRow[]).map(toZone);
}

export function insertZone(db: Db, z: { name: ZoneName; namespaceId: number; ownerId: number; dtype?: ZoneType; masters: readonly IpAddress[]; claim: string }): number {
  const t = now();
  const info = db.prepare(`INSERT INTO zone (name, rname, namespace_id, owner_id, dtype, masters, applied_masters, pending, claim, claimed_at, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, NULL, 'apply', ?, ?, ?, ?)`)
    .run(z.name, reversedLabels(z.name), z.namespaceId, z.ownerId, z.dtype ?? 'slave', z.masters.join(','), z.claim, t, t, t);
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

export function setDesiredMasters(db: Db, id: number, masters: readonly IpAddress[], claim: string): void {
  db.prepare(`UPDATE zone SET masters = ?, pending = 'apply', claim = ?, claimed_at = ?, updated_at = ? WHERE id = ?`)
    .run(masters.join(','), claim, now(), now(), id);
}

/**
 * Marks the zone for deletion under `claim`, unless another request is carrying a change of it: a claim that is
 * neither `claim` itself nor among `takeable` (dead or stale ones). True when marked.
 */
export function markForDelete(db: Db, id: number, claim: string, takeable: readonly string[] = []): boolean {
  return db.prepare(`UPDATE zone SET pending = 'delete', claim = @claim, claimed_at = @t, updated_at = @t
      WHERE id = @id AND (pending IS NULL OR claim IS NULL OR claim = @claim OR claim IN (SELECT value FROM json_each(@takeable)))`)
    .run({ claim, t: now(), id, takeable: JSON.stringify(takeable) }).changes === 1;
}

/** Takes over a pending change from a process that died or stalled; true when the claim is now ours. */
export function takeClaim(db: Db, id: number, claim: string, staleBefore: number, deadClaims: readonly string[]): boolean {
  const info = db.prepare(`UPDATE zone SET claim = ?, claimed_at = ? WHERE id = ? AND pending IS NOT NULL
      AND (claim IS NULL OR claimed_at < ? OR claim IN (SELECT value FROM json_each(?)))`)
    .run(claim, now(), id, staleBefore, JSON.stringify(deadClaims));
  return info.changes === 1;
}

/** Where a zone is to be in named, as its namespace says now: the view, and the ACL text of its clause. */
export interface Place {
  view: string;
  acl: string;
}

/**
 * named now has the zone with these masters at this place: the change is done (a suspended zone is back), unless the
 * zone's masters or its namespace's place changed meanwhile (`placeCurrent` false) — then it stays pending, unclaimed,
 * for the next request to finish. Only the claim holder may say so.
 */
export function markApplied(db: Db, id: number, masters: readonly IpAddress[], place: Place, placeCurrent: boolean, claim: string): void {
  db.prepare(`UPDATE zone SET applied_masters = @m, applied_view = @view, applied_acl = @acl,
      pending = CASE WHEN masters = @m AND @current THEN NULL ELSE pending END,
      claim = NULL, claimed_at = NULL, suspended_at = NULL, updated_at = @t WHERE id = @id AND claim = @claim`)
    .run({ m: masters.join(','), view: place.view, acl: place.acl, current: placeCurrent ? 1 : 0, t: now(), id, claim });
}

/**
 * Claims the zones of these namespaces that named holds somewhere other than their namespace's place (another view,
 * other ACLs), for the request that changed the namespaces to move them; zones carrying a change of their own are
 * finished by that change. One statement, along the zones' (namespace_id, name) index.
 */
export function claimMisplaced(db: Db, places: readonly (Place & { namespaceId: number })[], claim: string): number[] {
  if (places.length === 0) return [];
  return db.prepare(`UPDATE zone SET pending = 'apply', claim = @claim, claimed_at = @t
      FROM (SELECT value ->> 'namespaceId' AS ns, value ->> 'view' AS view, value ->> 'acl' AS acl FROM json_each(@places)) AS p
      WHERE zone.namespace_id = p.ns AND zone.pending IS NULL AND zone.suspended_at IS NULL AND zone.applied_masters IS NOT NULL
        AND (zone.applied_view IS NOT p.view OR zone.applied_acl IS NOT p.acl) RETURNING zone.id`)
    .pluck().all({ claim, t: now(), places: JSON.stringify(places.map((x) => ({ namespaceId: x.namespaceId, view: x.view, acl: x.acl }))) }) as number[];
}

/**
 * A zone named lacks (`lacks`: where named has it is no longer known, so it is added) or holds otherwise than
 * recorded (`differs`: its clause is sent again) is claimed to be put right like any change. Only a zone no request
 * is changing, not suspended, that named had.
 */
export function claimToRepair(db: Db, id: number, claim: string, named: 'lacks' | 'differs'): boolean {
  return db.prepare(`UPDATE zone SET pending = 'apply', claim = @claim, claimed_at = @t,
        applied_view = CASE WHEN @lacks THEN NULL ELSE applied_view END, applied_acl = CASE WHEN @lacks THEN applied_acl ELSE NULL END
      WHERE id = @id AND pending IS NULL AND suspended_at IS NULL AND applied_masters IS NOT NULL`)
    .run({ claim, t: now(), id, lacks: named === 'lacks' ? 1 : 0 }).changes === 1;
}

/**
 * The name server is another one now (a migration): no zone is known to be in it, so placement adds every one that
 * is not suspended. The applied masters stay: what a refused add goes back to. Returns how many zones that is.
 */
export function forgetAllPlaces(db: Db): number {
  return db.prepare('UPDATE zone SET applied_view = NULL, applied_acl = NULL WHERE applied_masters IS NOT NULL AND suspended_at IS NULL').run().changes;
}

/** named has the zone as the database says (a reconcile found or put it so): its place is recorded. */
export function recordPlace(db: Db, id: number, masters: readonly IpAddress[], place: Place): void {
  db.prepare(`UPDATE zone SET applied_masters = @m, applied_view = @view, applied_acl = @acl
      WHERE id = @id AND pending IS NULL AND suspended_at IS NULL AND masters = @m`)
    .run({ m: masters.join(','), view: place.view, acl: place.acl, id });
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

/** The change stays pending, carried by nobody: the next request takes it up (recoverStaleZones). */
export function releaseClaim(db: Db, id: number, claim: string): void {
  db.prepare('UPDATE zone SET claim = NULL, claimed_at = NULL WHERE id = ? AND claim = ?').run(id, claim);
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

/**
 * A master zone's clause changes (its signing): claimed like any change, with its recorded ACLs forgotten so that the
 * name server is given the clause again.
 */
export function claimClauseChange(db: Db, id: number, claim: string): void {
  db.prepare(`UPDATE zone SET pending = 'apply', claim = ?, claimed_at = ?, applied_acl = NULL, updated_at = ? WHERE id = ?`).run(claim, now(), now(), id);
}

/** The ids of the account's zones. */
export function zoneIdsOfOwner(db: Db, ownerId: number): number[] {
  return db.prepare('SELECT id FROM zone WHERE owner_id = ?').pluck().all(ownerId) as number[];
}
