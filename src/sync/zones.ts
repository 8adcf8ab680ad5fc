// Carries zone changes from the database (desired state) to the name server, and finishes what a dead process left.
import { processAlive } from '../system/process';
import type { App } from '../app';
import { newClaim } from '../app';
import { getNamespace } from '../store/namespaces';
import { now, writeTx } from '../store/db';
import { deleteZoneRow, getZone, hasPendingZones, markApplied, markForDelete, pendingZones, releaseClaim, revertPending, takeClaim } from '../store/zones';
import { setTimeout as sleep } from 'node:timers/promises';
import { ExistsError } from '../errors';
import { msg } from '../i18n/msg';
import type { ZoneOp, ZoneOpResult, ZoneOutcome } from '../dns/backend';
import type { Place, Zone } from '../store/zones';
import { notifyList, notifySources, placeOf } from './place';
import type { Db } from '../store/db';
import { getZoneSoa, zoneRecords } from '../store/records';
import { renderZoneFile } from '../dns/zone-file';
import { InternalError } from '../errors';
import type { PrimarySpec } from '../dns/backend';
import { zoneOp } from './plan';
import type { ZonePlace } from './place';
import { recoverPlacement, syncViews } from './views';
import { recoverUnsentRecords } from './records';
import { NO_SLAVES, slaveAddresses } from '../slaves/addresses';
import type { SlaveAddresses } from '../slaves/addresses';

/** A claim older than this is taken over even if its process still exists: it is hung (rndc gives up after 30 s). */
const STALE_CLAIM_SECONDS = 300;

/**
 * Applies a claimed change of one zone; when the name server refuses it, the database goes back to what named has
 * (revertPending), and what named said is thrown.
 */
export async function applyOrRevert(app: App, zoneId: number, claim: string): Promise<void> {
  const outcome = await applyZones(app, [zoneId], claim);
  const failed = outcome.failed[0];
  if (failed) throw failed.error;
}

/** What became of each zone of a batch, by zone id: done (with what named said), or refused with its error. */
export interface BatchOutcome {
  done: { id: number; name: string; outcome: ZoneOutcome | 'unchanged' }[];
  failed: { id: number; name: string; error: unknown }[];
}

/** How often a batch records in the database what named already has: a killed run then redoes at most this much. */
const FLUSH_EVERY = 200;
const FLUSH_MS = 1000;

/**
 * Applies the pending changes of many zones this request claimed (one, for a single change), with the backend's
 * bounded parallelism; each zone is recorded (applied, deleted, or reverted when named refused it) as its result
 * comes, in small transactions. A process killed half-way leaves the rest pending under its claim, which the next
 * request completes (recoverStaleZones) exactly as after a single change.
 */
export async function applyZones(app: App, zoneIds: readonly number[], claim: string, onProgress?: (done: number, total: number) => void): Promise<BatchOutcome> {
  const { db, backend } = app;
  const outcome: BatchOutcome = { done: [], failed: [] };
  const places = new Map<number, ZonePlace | undefined>();
  const placeIn = (namespaceId: number): ZonePlace | undefined => {
    if (!places.has(namespaceId)) {
      const ns = getNamespace(db, namespaceId);
      places.set(namespaceId, ns && placeOf(ns));
    }
    return places.get(namespaceId);
  };
  const work: { zone: Zone; place: ZonePlace; op: ZoneOp | undefined }[] = [];
  // The slave servers a master zone's clause names, read once per batch and only for one with a master zone.
  let slaves: SlaveAddresses | undefined;
  const slavesNow = (): SlaveAddresses => (slaves ??= slaveAddresses(app.root));
  for (const id of zoneIds) {
    const zone = getZone(db, id);
    if (!zone || zone.claim !== claim || zone.pending === null) continue;
    const place = placeIn(zone.namespaceId);
    if (!place) continue;
    work.push({ zone, place, op: zoneOp(zone, place, zone.dtype === 'master' ? primaryOf(db, zone, place, slavesNow()) : undefined) });
  }
  const total = work.length;
  let finished = 0;
  let unrecorded: { zone: Zone; place: ZonePlace; result: ZoneOpResult | undefined }[] = [];
  let flushedAt = Date.now();
  const flush = (): void => {
    flushedAt = Date.now();
    const batch = unrecorded;
    unrecorded = [];
    writeTx(db, () => {
      // What the namespaces say now: a zone applied at a place changed meanwhile stays pending, for the next request.
      places.clear();
      for (const { zone, place, result } of batch) {
        if (result !== undefined && !result.ok) {
          // Unsettled: neither done nor undone, left pending for the next request.
          if (result.unsettled) releaseClaim(db, zone.id, claim);
          else revertPending(db, zone.id, claim);
        }
        else if (zone.pending === 'delete') deleteZoneRow(db, zone.id, claim);
        else markApplied(db, zone.id, zone.masters, place, samePlace(placeIn(zone.namespaceId), place), claim);
      }
    });
  };
  const record = (zone: Zone, place: ZonePlace, result: ZoneOpResult | undefined): void => {
    if (result === undefined || result.ok) outcome.done.push({ id: zone.id, name: zone.name, outcome: result === undefined ? 'unchanged' : result.outcome });
    else outcome.failed.push({ id: zone.id, name: zone.name, error: result.error });
    unrecorded.push({ zone, place, result });
    if (unrecorded.length >= FLUSH_EVERY || Date.now() - flushedAt >= FLUSH_MS) flush();
    onProgress?.(++finished, total);
  };
  // Zones whose change needs nothing of named (it already has them so) are only recorded.
  for (const w of work) if (w.op === undefined) record(w.zone, w.place, undefined);
  const sent = work.filter((w) => w.op !== undefined);
  try {
    const viewsReady = await ensureViews(app, sent.map((w) => w.place.view)).then(() => undefined, (error: unknown) => error);
    if (viewsReady !== undefined) {
      for (const w of sent) record(w.zone, w.place, { ok: false, error: viewsReady });
    } else {
      await backend.applyZones(sent.map((w) => w.op as ZoneOp), {
        onResult: (i, result) => { const w = sent[i] as (typeof sent)[number]; record(w.zone, w.place, result); },
      });
    }
  } finally {
    if (unrecorded.length > 0) flush();
  }
  return outcome;
}

/**
 * What the name server needs of a master zone: its file from the database (read only if asked), NOTIFY's list (with
 * the slave servers, told from the namespace's address), who else may transfer it (the slave servers), signing.
 */
function primaryOf(db: Db, zone: Zone, place: ZonePlace, slaves: SlaveAddresses = NO_SLAVES): PrimarySpec {
  const soa = getZoneSoa(db, zone.id);
  return {
    content: () => {
      if (soa === undefined) throw new InternalError(msg`master zone ${zone.name} has no SOA in the database`);
      // A zone made again (the name server lost it) starts above any serial it may have served.
      return renderZoneFile(zone.name, { ...soa, serial: Math.max(soa.serial, now()) }, zoneRecords(db, zone.id));
    },
    alsoNotify: [...new Set([...notifyList(place.allowTransfer), ...slaves.notify])],
    transferTo: slaves.transfer,
    notifySource: notifySources(place.queryOn),
    dnssec: soa?.dnssec ?? false,
    ...(soa?.signedBefore === true ? { unsigned: true } : {}),
  };
}

/**
 * The views the zones go to exist before they are sent: a namespace given a view of its own (domain.edit adding a
 * name another namespace has) gets it made, its zones moved there; an installation whose views file predates the
 * shared view gets it. A read of the small views file; syncViews only when one is missing, which is rare.
 */
async function ensureViews(app: App, views: readonly string[]): Promise<void> {
  if ([...new Set(views)].some((v) => !app.backend.hasView(v))) await syncViews(app, 'all');
}

function samePlace(a: Place | undefined, b: Place): boolean {
  return a !== undefined && a.view === b.view && a.acl === b.acl;
}

/**
 * Completes the changes of processes that died mid-way (killed, crashed, hung). Cheap when there are none: one indexed
 * query. A change that still fails is discarded: its request never answered OK, so nobody was told it happened.
 * Many at once (a bulk run killed half-way) go through the batch path.
 */
export async function recoverStaleZones(app: App): Promise<void> {
  await recoverClaims(app);
  // Record changes of master zones a dead request committed here but never saw named apply.
  await recoverUnsentRecords(app).catch(() => undefined);
  // A namespace change, a new view or an update a request did not see through: its zones are moved now.
  await recoverPlacement(app).catch(() => undefined);
}

async function recoverClaims(app: App): Promise<void> {
  const { db } = app;
  if (!hasPendingZones(db)) return;
  const pending = pendingZones(db);
  const dead = [...new Set(pending.map((z) => z.claim).filter((c): c is string => c !== null && !claimAlive(c)))];
  const claim = newClaim();
  const taken = writeTx(db, () => pending.filter((zone) => takeClaim(db, zone.id, claim, now() - STALE_CLAIM_SECONDS, dead)).map((z) => z.id));
  if (taken.length === 0) return;
  await applyZones(app, taken, claim).catch(() => undefined);
}

/**
 * Marks zones for deletion under `claim`, waiting (up to BUSY_WAIT_MS) for any another live request is changing — a
 * namespace's zones being moved, say — rather than taking it from under that request, which would put the zone back
 * in named after it was deleted. Returns the ids marked; throws for a zone still busy.
 */
export async function markForDeleteWhenFree(app: App, ids: readonly number[], claim: string): Promise<number[]> {
  const { db } = app;
  const marked: number[] = [];
  let left = [...ids];
  for (const started = Date.now(); ; await sleep(BUSY_POLL_MS)) {
    left = writeTx(db, () => left.filter((id) => {
      const zone = getZone(db, id);
      if (!zone) return false;
      const takeable = zone.claim !== null && (!claimAlive(zone.claim) || (zone.claimedAt ?? 0) < now() - STALE_CLAIM_SECONDS) ? [zone.claim] : [];
      if (!markForDelete(db, id, claim, takeable)) return true;
      marked.push(id);
      return false;
    }));
    if (left.length === 0) return marked;
    if (Date.now() - started >= BUSY_WAIT_MS) {
      const name = getZone(db, left[0] as number)?.name ?? '';
      throw new ExistsError('domain', name, msg`Domain '${name}' is being changed by another request; try again`);
    }
  }
}

/** How long a deletion waits for another request to finish with a zone, and how often it looks. */
const BUSY_WAIT_MS = 30_000;
const BUSY_POLL_MS = 100;

function claimAlive(claim: string): boolean {
  return processAlive(Number(claim.split(':')[0]));
}

/** Whether a request still carries what it claimed: its process is alive and the claim not stale (hung). */
export function claimHeld(claim: string, claimedAt: number): boolean {
  return claimAlive(claim) && claimedAt >= now() - STALE_CLAIM_SECONDS;
}

