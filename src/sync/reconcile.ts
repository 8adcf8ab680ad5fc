// Makes named hold exactly the zones the database says, view by view: after a restart from old files, a lost
// new-zones database, or hands that changed named behind dnsmgr's back. Plans first; the plan is data, shown or applied.
import type { App } from '../app';
import { listNamespaces, SHARED_VIEW } from '../store/namespaces';
import { allZones, claimToRepair, recordPlace } from '../store/zones';
import { newClaim } from '../app';
import { applyZones } from './zones';
import { writeTx } from '../store/db';
import { syncViews } from './views';
import { placeOf } from './place';
import { planView } from './plan';
import type { Correction, Placed } from './plan';
import type { ZonePlace } from './place';
import type { ZoneOp, ZoneOpResult } from '../dns/backend';
import { asDnsmgrError, LimitError } from '../errors';
import { msg } from '../i18n/msg';
import type { Zone } from '../store/zones';
import { diffServed, recordsBusy, repairRecords } from './records';
import { getZoneSoa, zoneRecords } from '../store/records';

/**
 * More zones than this to delete from named (zones it holds that dnsmgr does not know) and a reconcile asks for
 * force=on first: a database restored from an old backup, or pointed at the wrong named, must not empty the server.
 */
export const SYNC_DELETE_LIMIT = 100;

/** A reconcile that would delete more than SYNC_DELETE_LIMIT zones, asked without force: nothing was changed. */
export class DeletionsNeedForce extends LimitError {
  constructor(readonly deletions: number) {
    super('domain', String(deletions), msg`the name server holds ${deletions} zones dnsmgr does not know; deleting more than ${SYNC_DELETE_LIMIT} at once needs force=on (domain.sync lists them)`);
  }
}

/** Master zones read back at once while a plan compares their records: transfers over the loopback, each a few ms. */
const READ_PARALLEL = 8;

/**
 * What named lacks, has otherwise (masters, ACLs) or has too many, view by view: the shared view, the namespaces' own
 * views. Zones named already has right are recorded as placed (`placed`), for a reconcile to write down. With
 * `records`, each master zone named holds as such is read back and its records compared with the database's (one
 * transfer per zone: domain.sync's, not every start's).
 */
export async function planReconcile(app: App, placed: Placed[] = [], opts: { records?: boolean } = {}): Promise<Correction[]> {
  const { db, backend } = app;
  const plan: Correction[] = [];
  const places = new Map(listNamespaces(db).map((ns) => [ns.id, placeOf(ns)]));
  const byView = new Map<string, { zone: ReturnType<typeof allZones>[number]; place: ZonePlace }[]>([[SHARED_VIEW, []]]);
  for (const place of places.values()) if (!byView.has(place.view)) byView.set(place.view, []);
  for (const zone of allZones(db)) {
    const place = places.get(zone.namespaceId);
    if (place) byView.get(place.view)?.push({ zone, place });
  }
  const masters: { zone: Zone; place: ZonePlace }[] = [];
  for (const [view, zones] of byView) {
    const held = await backend.listZones(view);
    const { corrections, placed: right } = planView(view, zones, held);
    plan.push(...corrections);
    placed.push(...right);
    const asMaster = new Set(held.filter((z) => z.type === 'master').map((z) => z.name));
    const corrected = new Set<string>(corrections.map((c) => c.zone));
    masters.push(...zones.filter(({ zone }) => zone.dtype === 'master' && zone.pending === null && zone.suspendedAt === null && asMaster.has(zone.name) && !corrected.has(zone.name)));
  }
  if (opts.records) plan.push(...await planRecords(app, masters));
  return plan;
}

/**
 * The master zones whose records named holds otherwise than the database: one correction each, saying how many it
 * lacks and has too many, or why it could not be read. Zones a request is changing are that request's.
 */
async function planRecords(app: App, zones: readonly { zone: Zone; place: ZonePlace }[]): Promise<Correction[]> {
  const found: (Correction | undefined)[] = new Array<Correction | undefined>(zones.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < zones.length) {
      const i = next++;
      const { zone, place } = zones[i] as { zone: Zone; place: ZonePlace };
      if (recordsBusy(app, zone.id)) continue;
      const want = zoneRecords(app.db, zone.id);
      const target = { id: zone.id, place };
      const base = { action: 'update' as const, view: place.view, zone: zone.name, masters: [], target };
      try {
        const wantPrimary = getZoneSoa(app.db, zone.id)?.mname;
        const have = await app.backend.readRecords(place.view, zone.name);
        if (have === undefined) continue;
        const diff = diffServed(want, wantPrimary, have);
        if (diff.lacks.length + diff.extra.length > 0) found[i] = { ...base, reason: msg`the name server lacks ${diff.lacks.length} of its records and has ${diff.extra.length} too many` };
        else if (diff.primary !== undefined) found[i] = { ...base, reason: msg`its SOA names ${have.primary} as its primary name server, not ${diff.primary}` };
      } catch (err) {
        found[i] = { ...base, reason: msg`its records could not be read back from the name server: ${asDnsmgrError(err).text}` };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(READ_PARALLEL, zones.length) }, worker));
  return found.filter((c): c is Correction => c !== undefined);
}

/**
 * Applies the views (moving zones whose namespace changed), then the plan: each zone of the database named lacks or
 * holds otherwise is claimed and put right through the batch path like any change (so a concurrent change of the
 * same zone or of its namespace is never overwritten with what this plan read); zones named has that nobody owns are
 * deleted — more than SYNC_DELETE_LIMIT only with `force`; else DeletionsNeedForce and no correction is made, or with
 * `manyDeletions: 'keep'` the other corrections are made and the strays stay.
 * Records where named has the zones it already had right; returns the plan. Every correction is tried; the first one
 * named refused is thrown after the others are done.
 */
export async function reconcile(app: App, opts: { force?: boolean; manyDeletions?: 'refuse' | 'keep'; records?: boolean; onProgress?: (done: number, total: number) => void } = {}): Promise<Correction[]> {
  const { db } = app;
  const { onProgress } = opts;
  await syncViews(app, 'all');
  const placed: Placed[] = [];
  const plan = await planReconcile(app, placed, { records: opts.records });
  const deletions = plan.filter((c) => c.action === 'delete').length;
  const keepStrays = deletions > SYNC_DELETE_LIMIT && !opts.force;
  if (keepStrays && opts.manyDeletions !== 'keep') throw new DeletionsNeedForce(deletions);
  writeTx(db, () => { for (const p of placed) recordPlace(db, p.id, p.masters, p.place); });
  const claim = newClaim();
  const repairs = writeTx(db, () => plan.flatMap((c) => (c.target && c.action !== 'update' && claimToRepair(db, c.target.id, claim, c.action === 'add' ? 'lacks' : 'differs') ? [c.target.id] : [])));
  const strays: ZoneOp[] = plan.filter((c) => c.action === 'delete' && !keepStrays).map((c) => ({ action: 'delete', view: c.view, name: c.zone }));
  // Each zone's records are read back again when they are put right: a request may have changed them since the plan.
  const updates = plan.flatMap((c) => (c.action === 'update' && c.target ? [c.target.id] : []));
  const total = repairs.length + strays.length + updates.length;
  let done = 0;
  const outcome = await applyZones(app, repairs, claim, () => onProgress?.(++done, total));
  const results = await app.backend.applyZones(strays, { onResult: () => onProgress?.(++done, total) });
  let refused: unknown;
  for (const id of updates) {
    await repairRecords(app, id).catch((err: unknown) => { refused ??= err; });
    onProgress?.(++done, total);
  }
  const failed = outcome.failed[0]?.error ?? results.find((r): r is Extract<ZoneOpResult, { ok: false }> => !r.ok)?.error ?? refused;
  if (failed !== undefined) throw failed;
  return plan;
}
