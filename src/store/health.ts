// Zone health: what the name server last reported for each zone, the failures seen in its log, and the status an
// operator reads (ok, waiting, problem with a reason, expired, missing, suspended).
import type { Db } from './db';
import { now, writeTx } from './db';
import type { ZoneEvent, ZoneState } from '../dns/backend';
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';
import { VIEW_OF_NAMESPACE } from './namespaces';
import { storedMasters } from './zones';

export type HealthStatus = 'ok' | 'waiting' | 'problem' | 'expired' | 'missing' | 'suspended';

/** A zone added less than this long ago that has not loaded yet is waiting for its first transfer, not a problem. */
export const WAITING_SECONDS = 300;

/**
 * Zones the health refresh acts on: the view named has it in, its name and namespace, and the row behind them. The
 * name was validated before it was stored: the row types here brand it, as store/zones.ts does.
 */
export interface ZoneRef {
  zoneId: number;
  view: string;
  name: ZoneName;
  namespace: string;
}

/** A row whose masters column (addresses joined by ',') is read as the addresses. */
function withMasters<T extends { masters: string }>(r: T): Omit<T, 'masters'> & { masters: IpAddress[] } {
  return { ...r, masters: storedMasters(r.masters) };
}

/** The columns of a ZoneRef, over zone z and namespace n: the view named has the zone in, else the one it goes to. */
const REF = `z.id AS zoneId, coalesce(z.applied_view, ${VIEW_OF_NAMESPACE}) AS view, z.name AS name, n.name AS namespace`;

interface HealthRow {
  serial: number | null;
  loaded_at: number | null;
  expires_at: number | null;
  refresh_at: number | null;
  expire_span: number | null;
  last_ok_at: number | null;
  failure: string | null;
  failed_at: number | null;
}

/**
 * Writes what one refresh learns, zone by zone, in short transactions of a bounded batch: memory stays flat however
 * many zones stream past, and panel requests writing meanwhile wait milliseconds, never for the name server. A zone
 * whose state did not change is not written at all (at 100,000 zones every 30 s that is most of them); which zones the
 * name server reported goes into a temporary table, for computeStatuses. `flush()` writes the last batch.
 */
export class HealthWriter {
  private readonly zoneId;
  private readonly ensureRow;
  private readonly readRow;
  private readonly markSeen;
  private readonly writeState;
  private readonly writeFailure;
  private readonly writeOk;
  private batch: (ZoneState | ZoneEvent)[] = [];

  constructor(private readonly db: Db) {
    resetSeen(db);
    // The view named reports a zone in says which namespace's it is: a name is in a view once.
    this.zoneId = db.prepare('SELECT id FROM zone WHERE name = ? AND applied_view = ?').pluck();
    this.ensureRow = db.prepare('INSERT INTO zone_health (zone_id) VALUES (?) ON CONFLICT DO NOTHING');
    this.readRow = db.prepare('SELECT serial, loaded_at, expires_at, refresh_at, expire_span, last_ok_at, failure, failed_at FROM zone_health WHERE zone_id = ?');
    this.markSeen = db.prepare('INSERT OR IGNORE INTO temp.health_seen (zone_id) VALUES (?)');
    this.writeState = db.prepare(`UPDATE zone_health SET serial = ?, loaded_at = ?, expires_at = ?, refresh_at = ?, expire_span = ?,
        last_ok_at = ?,
        failure = CASE WHEN failed_at IS NOT NULL AND failed_at < ? THEN NULL ELSE failure END,
        failure_detail = CASE WHEN failed_at IS NOT NULL AND failed_at < ? THEN NULL ELSE failure_detail END
      WHERE zone_id = ?`);
    this.writeFailure = db.prepare(`UPDATE zone_health SET failure = ?, failure_detail = ?, failed_at = ?
      WHERE zone_id = ? AND (last_ok_at IS NULL OR last_ok_at <= ?)`);
    this.writeOk = db.prepare(`UPDATE zone_health SET last_ok_at = max(coalesce(last_ok_at, 0), ?),
        failure = CASE WHEN failed_at <= ? THEN NULL ELSE failure END,
        failure_detail = CASE WHEN failed_at <= ? THEN NULL ELSE failure_detail END
      WHERE zone_id = ?`);
  }

  add(item: ZoneState | ZoneEvent): void {
    this.batch.push(item);
    if (this.batch.length >= BATCH) this.flush();
  }

  flush(): void {
    const items = this.batch;
    this.batch = [];
    if (items.length > 0) writeTx(this.db, () => { for (const item of items) this.write(item); });
  }

  private write(item: ZoneState | ZoneEvent): void {
    const id = this.zoneId.get(item.name, item.view) as number | undefined;
    if (id === undefined) return;
    this.ensureRow.run(id);
    if ('outcome' in item) this.event(id, item);
    else this.state(id, item);
  }

  /** The name server's current view of a zone. A later load or a pushed-out expiry means a transfer or refresh worked. */
  private state(id: number, s: ZoneState): void {
    this.markSeen.run(id);
    const old = this.readRow.get(id) as HealthRow;
    const reloaded = s.loaded !== null && s.loaded !== old.loaded_at;
    const span = reloaded && s.expires !== null ? s.expires - (s.loaded as number) : old.expire_span;
    const okByExpiry = span !== null && s.expires !== null && s.loaded !== null ? s.expires - span : 0;
    const lastOk = Math.max(old.last_ok_at ?? 0, s.loaded ?? 0, okByExpiry) || null;
    const clears = old.failure !== null && old.failed_at !== null && old.failed_at < (lastOk ?? 0);
    const same = old.serial === s.serial && old.loaded_at === s.loaded && old.expires_at === s.expires && old.refresh_at === s.refresh
      && old.expire_span === span && old.last_ok_at === lastOk;
    if (same && !clears) return;
    this.writeState.run(s.serial, s.loaded, s.expires, s.refresh, span, lastOk, lastOk ?? 0, lastOk ?? 0, id);
  }

  /** A line of the name server's log about a zone. */
  private event(id: number, e: ZoneEvent): void {
    if (e.outcome === 'ok') this.writeOk.run(e.at, e.at, e.at, id);
    else this.writeFailure.run(e.outcome, e.detail, e.at, id, e.at);
  }
}

/** The zones the current refresh saw in the name server: a temporary table of this connection, emptied per refresh. */
function resetSeen(db: Db): void {
  db.prepare('CREATE TEMP TABLE IF NOT EXISTS health_seen (zone_id INTEGER PRIMARY KEY)').run();
  db.prepare('DELETE FROM temp.health_seen').run();
}

const BATCH = 2000;

/**
 * The first rule that holds sets a zone's status and reason (SQL over zone z and zone_health h; @t now; @seen the time
 * the refresh began reading the name server, whose zones are in temp.health_seen, or NULL when it did not read them).
 */
const STATUS_RULES: readonly (readonly [when: string, status: string, reason: string])[] = [
  // Suspended, unless a request is resuming it: a refresh meeting the zone then would leave 'suspended' behind it.
  ['z.suspended_at IS NOT NULL AND z.pending IS NULL', "'suspended'", 'h.reason'],
  // A change on its way to the name server: the request carrying it decides.
  ['z.pending IS NOT NULL', 'h.status', 'h.reason'],
  ['@seen IS NOT NULL AND z.applied_masters IS NOT NULL AND z.updated_at < @seen AND z.id NOT IN (SELECT zone_id FROM temp.health_seen)', "'missing'", "'missing'"],
  // named drops the serial of a zone that expired but keeps when it loaded and expired.
  ['h.loaded_at IS NOT NULL AND h.expires_at IS NOT NULL AND h.expires_at <= @t', "'expired'", "'expired'"],
  ['h.failure IS NOT NULL', "'problem'", 'h.failure'],
  ['h.serial IS NOT NULL', "'ok'", 'NULL'],
  // Added, resumed or given new masters a moment ago.
  [`z.updated_at > @t - ${WAITING_SECONDS}`, "'waiting'", 'NULL'],
  ['1', "'problem'", "'never-loaded'"],
];

/**
 * Sets every zone's status from what was gathered: `seenAt` is the refresh that just read the name server (a zone it
 * did not see and that was in place before is missing). Also keeps `failing_since` and schedules retransfers of zones
 * that never loaded and failed.
 */
export function computeStatuses(db: Db, t: number, seenAt: number | null): void {
  db.prepare('CREATE TEMP TABLE IF NOT EXISTS health_seen (zone_id INTEGER PRIMARY KEY)').run();
  db.prepare('INSERT INTO zone_health (zone_id) SELECT id FROM zone WHERE id NOT IN (SELECT zone_id FROM zone_health)').run();
  const cases = (pick: 0 | 1): string => STATUS_RULES.map((rule) => `WHEN ${rule[0]} THEN ${rule[pick + 1]}`).join(' ');
  // Only rows whose status or reason changes are written: most refreshes change few zones.
  const status = `CASE ${cases(0)} END`;
  const reason = `CASE ${cases(1)} END`;
  db.prepare(`UPDATE zone_health AS h SET status = ${status}, reason = ${reason}
      FROM zone z WHERE z.id = h.zone_id AND (h.status IS NOT ${status} OR h.reason IS NOT ${reason})`).run({ t, seen: seenAt });
  db.prepare(`UPDATE zone_health SET failing_since = CASE
        WHEN status IN ('problem', 'expired', 'missing') THEN coalesce(failing_since, CASE WHEN failure IS NOT NULL THEN failed_at END, @t)
        WHEN status = 'suspended' THEN failing_since
        ELSE NULL END
      WHERE (failing_since IS NULL) = (status IN ('problem', 'expired', 'missing', 'suspended'))`).run({ t });
  // A zone that never loaded and failed sits in named's back-off for up to hours: dnsmgr retransfers it soon.
  db.prepare(`UPDATE zone_health SET retransfer_due = coalesce(failed_at, @t) + ${RETRANSFER_FIRST_SECONDS}, retransfers = 0
      WHERE retransfer_due IS NULL AND serial IS NULL AND status = 'problem'`).run({ t });
  // Suspended zones keep theirs: it says when their master is asked again.
  db.prepare(`UPDATE zone_health SET retransfer_due = NULL, retransfers = 0
      WHERE retransfer_due IS NOT NULL AND status <> 'suspended' AND (serial IS NOT NULL OR status <> 'problem')`).run();
}

export const RETRANSFER_FIRST_SECONDS = 15;

/** A zone due for a look at its master, to be retransferred if the master serves it. */
export interface DueZone extends ZoneRef {
  masters: IpAddress[];
  /** Looks so far. */
  attempts: number;
}

/** Zones whose automatic retransfer is due, the longest-waiting first. */
export function dueRetransfers(db: Db, t: number, limit: number): DueZone[] {
  return (db.prepare(`SELECT ${REF}, z.masters AS masters, h.retransfers AS attempts
      FROM zone_health h JOIN zone z ON z.id = h.zone_id JOIN namespace n ON n.id = z.namespace_id
      WHERE h.retransfer_due <= ? AND z.pending IS NULL AND z.suspended_at IS NULL
      ORDER BY h.retransfer_due LIMIT ?`).all(t, limit) as (ZoneRef & { masters: string; attempts: number })[]).map(withMasters);
}

/**
 * A zone that never loaded is looked at every 15 s for the first ten minutes after its failure (a master being set up
 * is usually fixed soon), then every 45 s for good: a master fixed minutes or days later gets its zone retransferred
 * within a minute either way.
 */
export const FAST_LOOKS = 40;
export const PROBE_EVERY_SECONDS = 45;

export function retransferDelay(looks: number): number {
  return looks < FAST_LOOKS ? RETRANSFER_FIRST_SECONDS : PROBE_EVERY_SECONDS;
}

export function noteRetransfer(db: Db, zoneId: number, t: number): void {
  const sent = (db.prepare('SELECT retransfers FROM zone_health WHERE zone_id = ?').pluck().get(zoneId) as number | undefined) ?? 0;
  db.prepare('UPDATE zone_health SET retransfers = ?, retransfer_due = ? WHERE zone_id = ?').run(sent + 1, t + retransferDelay(sent + 1), zoneId);
}

/** After a zone is added again (resumed) or retransferred by hand, it starts over as waiting. */
export function resetHealth(db: Db, zoneId: number): void {
  db.prepare('UPDATE zone SET updated_at = ? WHERE id = ?').run(now(), zoneId);
  db.prepare(`UPDATE zone_health SET status = 'waiting', reason = NULL, failure = NULL, failure_detail = NULL, failed_at = NULL,
      failing_since = NULL, retransfer_due = NULL, retransfers = 0 WHERE zone_id = ?`).run(zoneId);
}

/** Zones failing since before `before` that the dead-zone policy acts on (not yet suspended, no change in flight). */
export function deadZones(db: Db, before: number, includeSuspended: boolean): (ZoneRef & { failingSince: number; reason: string })[] {
  return db.prepare(`SELECT ${REF}, h.failing_since AS failingSince, coalesce(h.reason, '') AS reason
      FROM zone_health h JOIN zone z ON z.id = h.zone_id JOIN namespace n ON n.id = z.namespace_id
      WHERE h.failing_since IS NOT NULL AND h.failing_since <= ? AND z.pending IS NULL
        -- A zone named merely lost is added back, never taken for dead.
        AND h.status <> 'missing'
        AND (z.suspended_at IS NULL OR ?)
      ORDER BY h.failing_since`).all(before, includeSuspended ? 1 : 0) as (ZoneRef & { failingSince: number; reason: string })[];
}

/** Zones the name server lost (status missing), with their masters, to add back. */
export function missingZones(db: Db, limit: number): (ZoneRef & { masters: IpAddress[] })[] {
  return (db.prepare(`SELECT ${REF}, z.masters AS masters FROM zone_health h
      JOIN zone z ON z.id = h.zone_id JOIN namespace n ON n.id = z.namespace_id
      WHERE h.status = 'missing' AND z.pending IS NULL AND z.suspended_at IS NULL ORDER BY z.id LIMIT ?`).all(limit) as (ZoneRef & { masters: string })[]).map(withMasters);
}

/**
 * Suspended zones the name server still holds (a suspension interrupted half-way), as the current refresh saw it; not
 * one a request is resuming, which the name server holds again for that reason.
 */
export function suspendedButServed(db: Db): ZoneRef[] {
  db.prepare('CREATE TEMP TABLE IF NOT EXISTS health_seen (zone_id INTEGER PRIMARY KEY)').run();
  return db.prepare(`SELECT ${REF} FROM temp.health_seen s
      JOIN zone z ON z.id = s.zone_id JOIN namespace n ON n.id = z.namespace_id
      WHERE z.suspended_at IS NOT NULL AND z.pending IS NULL`).all() as ZoneRef[];
}

/** Suspended zones whose master is due to be asked again whether it serves them. */
export function suspendedDue(db: Db, t: number, limit: number): (ZoneRef & { masters: IpAddress[] })[] {
  return (db.prepare(`SELECT ${REF}, z.masters AS masters FROM zone_health h
      JOIN zone z ON z.id = h.zone_id JOIN namespace n ON n.id = z.namespace_id
      WHERE z.suspended_at IS NOT NULL AND z.pending IS NULL AND coalesce(h.retransfer_due, 0) <= ?
      ORDER BY h.retransfer_due LIMIT ?`).all(t, limit) as (ZoneRef & { masters: string })[]).map(withMasters);
}

export function setProbeDue(db: Db, zoneId: number, due: number): void {
  db.prepare('UPDATE zone_health SET retransfer_due = ? WHERE zone_id = ?').run(due, zoneId);
}

export interface ProblemZone {
  name: ZoneName;
  owner: string;
  namespace: string;
  masters: IpAddress[];
  status: HealthStatus;
  reason: string;
  detail: string;
  failingSince: number;
  lastOk: number | null;
  serial: number | null;
}

/** Zones that are problems (or expired, missing, suspended), the newest first; of the given owners, or everyone's. */
export function listProblemZones(db: Db, ownerIds: readonly number[] | undefined): ProblemZone[] {
  const where = ownerIds === undefined ? '' : 'AND z.owner_id IN (SELECT value FROM json_each(@owners))';
  return (db.prepare(`SELECT z.name, a.name AS owner, n.name AS namespace, z.masters, h.status, coalesce(h.reason, '') AS reason,
        coalesce(h.failure_detail, '') AS detail, h.failing_since AS failingSince, h.last_ok_at AS lastOk, h.serial
      FROM zone_health h JOIN zone z ON z.id = h.zone_id JOIN account a ON a.id = z.owner_id JOIN namespace n ON n.id = z.namespace_id
      WHERE h.failing_since IS NOT NULL ${where}
      ORDER BY h.failing_since DESC, z.name`).all(ownerIds === undefined ? {} : { owners: JSON.stringify(ownerIds) }) as (Omit<ProblemZone, 'masters'> & { masters: string })[])
    .map(withMasters);
}

/** Counts for monitoring: zones by status, and namespaces. */
export function healthCounts(db: Db): { byStatus: Record<string, number>; namespaces: number; zones: number; longFailing: (before: number) => number } {
  const rows = db.prepare(`SELECT coalesce(h.status, 'waiting') AS status, count(*) AS n FROM zone z LEFT JOIN zone_health h ON h.zone_id = z.id GROUP BY 1`).all() as { status: string; n: number }[];
  const byStatus = Object.fromEntries(rows.map((r) => [r.status, r.n]));
  return {
    byStatus,
    zones: rows.reduce((sum, r) => sum + r.n, 0),
    namespaces: db.prepare('SELECT count(*) FROM namespace').pluck().get() as number,
    longFailing: (before) => db.prepare('SELECT count(*) FROM zone_health WHERE failing_since <= ?').pluck().get(before) as number,
  };
}

/**
 * Whether the zone still fails since before `before`: checked again in the transaction that acts on it, since a request
 * may have resumed it or given it new masters after deadZones listed it.
 */
export function stillDead(db: Db, zoneId: number, before: number): boolean {
  return db.prepare(`SELECT 1 FROM zone_health WHERE zone_id = ? AND failing_since IS NOT NULL AND failing_since <= ?
      AND status <> 'missing'`).get(zoneId, before) !== undefined;
}

/** Zones named should hold (applied, not suspended). */
export function appliedZoneCount(db: Db): number {
  return db.prepare('SELECT count(*) FROM zone WHERE applied_masters IS NOT NULL AND suspended_at IS NULL').pluck().get() as number;
}

export function zoneCount(db: Db): number {
  return db.prepare('SELECT count(*) FROM zone').pluck().get() as number;
}

/** The serial named last reported for a zone; null when it never loaded (or no refresh saw it yet). */
export function loadedSerial(db: Db, zoneId: number): number | null {
  return (db.prepare('SELECT serial FROM zone_health WHERE zone_id = ?').pluck().get(zoneId) as number | null | undefined) ?? null;
}

/** The meta key naming the name server a `backend.migrate` is moving to, until it has finished. */
export const MIGRATION_META = 'backend_migration';

/** The name server a migration under way is moving to, or undefined. */
export function migrationUnderWay(db: Db): string | undefined {
  return getMeta(db, MIGRATION_META);
}

/** The migration has finished. */
export function endMigration(db: Db): void {
  db.prepare('DELETE FROM meta WHERE key = ?').run(MIGRATION_META);
}

export function getMeta(db: Db, key: string): string | undefined {
  return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key) as string | undefined;
}

export function setMeta(db: Db, key: string, value: string): void {
  db.prepare('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value').run(key, value);
}
