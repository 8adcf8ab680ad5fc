// Carries zone changes from the database (desired state) to the name server, and finishes what a dead process left.
import type { App } from '../funcs/app';
import { newClaim } from '../funcs/app';
import { getNamespace } from '../store/namespaces';
import { now, writeTx } from '../store/db';
import { deleteZoneRow, getZone, hasPendingZones, markApplied, pendingZones, revertPending, takeClaim } from '../store/zones';
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';

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

/**
 * Completes the changes of processes that died mid-way (killed, crashed, hung). Cheap when there are none: one indexed
 * query. A change that still fails is discarded: its request never answered OK, so nobody was told it happened.
 */
export async function recoverStaleZones(app: App): Promise<void> {
  const { db } = app;
  if (!hasPendingZones(db)) return;
  const pending = pendingZones(db);
  const dead = [...new Set(pending.map((z) => z.claim).filter((c): c is string => c !== null && !claimAlive(c)))];
  for (const zone of pending) {
    const claim = newClaim();
    if (!writeTx(db, () => takeClaim(db, zone.id, claim, now() - STALE_CLAIM_SECONDS, dead))) continue;
    await applyOrRevert(app, zone.id, claim).catch(() => undefined);
  }
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
