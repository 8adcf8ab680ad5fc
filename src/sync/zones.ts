// Carries zone changes from the database (desired state) to the name server, and finishes what a dead process left.
import type { App } from '../funcs/app';
import { newClaim } from '../funcs/app';
import { getNamespace } from '../store/namespaces';
import { now, writeTx } from '../store/db';
import { deleteZoneRow, getZone, hasPendingZones, markApplied, pendingZones, revertPending, takeClaim } from '../store/zones';
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';
import type { ZoneOp, ZoneOpResult } from '../dns/backend';
import type { Zone } from '../store/zones';

/** A claim older than this is taken over even if its process still exists: it is hung (rndc gives up after 30 s). */
const STALE_CLAIM_SECONDS = 300;

/** Applies the pending change of one zone that this request claimed. Throws what the name server said. */
export async function applyZone(app: App, zoneId: number, claim: string): Promise<void> {
  const { db, backend } = app;
  const zone = getZone(db, zoneId);
  if (!zone || zone.claim !== claim || zone.pending === null) return;
  const ns = getNamespace(db, zone.namespaceId);
  if (!ns) return;
  // Stored names and masters were validated on the way in.
  const name = zone.name as ZoneName;
  if (zone.pending === 'delete') {
    await backend.deleteZone(ns.name, name);
    writeTx(db, () => deleteZoneRow(db, zone.id, claim));
    return;
  }
  const spec = { view: ns.name, name, masters: zone.masters as IpAddress[] };
  // A suspended zone is not in named, whatever it had before.
  if (zone.appliedMasters === null || zone.suspendedAt !== null) {
    if ((await backend.addZone(spec)) === 'exists') await backend.modifyZone(spec);
  } else if (zone.appliedMasters.join(',') !== zone.masters.join(',')) {
    await backend.modifyZone(spec);
  }
  writeTx(db, () => markApplied(db, zone.id, zone.masters, claim));
}

/** Applies a claimed change; when the name server refuses it, the database goes back to what named has. */
export async function applyOrRevert(app: App, zoneId: number, claim: string): Promise<void> {
  try {
    await applyZone(app, zoneId, claim);
  } catch (err) {
    writeTx(app.db, () => revertPending(app.db, zoneId, claim));
    throw err;
  }
}

/** What became of each zone of a batch, by zone id: done (with what named said), or refused with its error. */
export interface BatchOutcome {
  done: { id: number; name: string; outcome: 'added' | 'exists' | 'modified' | 'deleted' | 'missing' | 'unchanged' }[];
  failed: { id: number; name: string; error: unknown }[];
}

/** How often a batch records in the database what named already has: a killed run then redoes at most this much. */
const FLUSH_EVERY = 200;
const FLUSH_MS = 1000;

/**
 * Applies the pending changes of many zones this request claimed, with the backend's bounded parallelism; each zone
 * is recorded (applied, deleted, or reverted when named refused it) as its result comes, in small transactions. A
 * process killed half-way leaves the rest pending under its claim, which the next request completes
 * (recoverStaleZones) exactly as after a single change.
 */
export async function applyZones(app: App, zoneIds: readonly number[], claim: string, onProgress?: (done: number, total: number) => void): Promise<BatchOutcome> {
  const { db, backend } = app;
  const outcome: BatchOutcome = { done: [], failed: [] };
  const work: { zone: Zone; op: ZoneOp | undefined }[] = [];
  for (const id of zoneIds) {
    const zone = getZone(db, id);
    if (!zone || zone.claim !== claim || zone.pending === null) continue;
    const ns = getNamespace(db, zone.namespaceId);
    if (!ns) continue;
    work.push({ zone, op: opOf(zone, ns.name) });
  }
  const total = work.length;
  let finished = 0;
  let unrecorded: { zone: Zone; result: ZoneOpResult | undefined }[] = [];
  let flushedAt = Date.now();
  const flush = (): void => {
    flushedAt = Date.now();
    const batch = unrecorded;
    unrecorded = [];
    writeTx(db, () => {
      for (const { zone, result } of batch) {
        if (result !== undefined && !result.ok) revertPending(db, zone.id, claim);
        else if (zone.pending === 'delete') deleteZoneRow(db, zone.id, claim);
        else markApplied(db, zone.id, zone.masters, claim);
      }
    });
  };
  const record = (zone: Zone, result: ZoneOpResult | undefined): void => {
    if (result === undefined || result.ok) outcome.done.push({ id: zone.id, name: zone.name, outcome: result === undefined ? 'unchanged' : result.outcome });
    else outcome.failed.push({ id: zone.id, name: zone.name, error: result.error });
    unrecorded.push({ zone, result });
    if (unrecorded.length >= FLUSH_EVERY || Date.now() - flushedAt >= FLUSH_MS) flush();
    onProgress?.(++finished, total);
  };
  // Zones whose change needs nothing of named (the masters it already has) are only recorded.
  for (const w of work) if (w.op === undefined) record(w.zone, undefined);
  const sent = work.filter((w) => w.op !== undefined);
  try {
    await backend.applyZones(sent.map((w) => w.op as ZoneOp), { onResult: (i, result) => record((sent[i] as { zone: Zone }).zone, result) });
  } finally {
    if (unrecorded.length > 0) flush();
  }
  return outcome;
}

/** The name server's side of a claimed zone's pending change; undefined when named already has it. */
function opOf(zone: Zone, view: string): ZoneOp | undefined {
  const name = zone.name as ZoneName;
  if (zone.pending === 'delete') return { action: 'delete', view, name };
  const spec = { view, name, masters: zone.masters as IpAddress[] };
  // A suspended zone is not in named, whatever it had before.
  if (zone.appliedMasters === null || zone.suspendedAt !== null) return { action: 'add', zone: spec };
  if (zone.appliedMasters.join(',') !== zone.masters.join(',')) return { action: 'modify', zone: spec };
  return undefined;
}

/**
 * Completes the changes of processes that died mid-way (killed, crashed, hung). Cheap when there are none: one indexed
 * query. A change that still fails is discarded: its request never answered OK, so nobody was told it happened.
 * Many at once (a bulk run killed half-way) go through the batch path.
 */
export async function recoverStaleZones(app: App): Promise<void> {
  const { db } = app;
  if (!hasPendingZones(db)) return;
  const pending = pendingZones(db);
  const dead = [...new Set(pending.map((z) => z.claim).filter((c): c is string => c !== null && !claimAlive(c)))];
  const claim = newClaim();
  const taken = writeTx(db, () => pending.filter((zone) => takeClaim(db, zone.id, claim, now() - STALE_CLAIM_SECONDS, dead)).map((z) => z.id));
  if (taken.length === 0) return;
  await applyZones(app, taken, claim).catch(() => undefined);
}

function claimAlive(claim: string): boolean {
  return processAlive(Number(claim.split(':')[0]));
}

/** Whether a process with this pid exists (one of another user counts). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
