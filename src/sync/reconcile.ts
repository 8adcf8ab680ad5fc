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
import { LimitError } from '../errors';
import { msg } from '../i18n/msg';

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

/**
 * What named lacks, has otherwise (masters, ACLs) or has too many, view by view: the shared view, the namespaces' own
 * views. Zones named already has right are recorded as placed (`placed`), for a reconcile to write down.
 */
export async function planReconcile(app: App, placed: Placed[] = []): Promise<Correction[]> {
  const { db, backend } = app;
  const plan: Correction[] = [];
  const places = new Map(listNamespaces(db).map((ns) => [ns.id, placeOf(ns)]));
  const byView = new Map<string, { zone: ReturnType<typeof allZones>[number]; place: ZonePlace }[]>([[SHARED_VIEW, []]]);
  for (const place of places.values()) if (!byView.has(place.view)) byView.set(place.view, []);
  for (const zone of allZones(db)) {
    const place = places.get(zone.namespaceId);
    if (place) byView.get(place.view)?.push({ zone, place });
  }
  for (const [view, zones] of byView) {
    const { corrections, placed: right } = planView(view, zones, await backend.listZones(view));
    plan.push(...corrections);
    placed.push(...right);
  }
  return plan;
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
export async function reconcile(app: App, opts: { force?: boolean; manyDeletions?: 'refuse' | 'keep'; onProgress?: (done: number, total: number) => void } = {}): Promise<Correction[]> {
  const { db } = app;
  const { onProgress } = opts;
  await syncViews(app, 'all');
  const placed: Placed[] = [];
  const plan = await planReconcile(app, placed);
  const deletions = plan.filter((c) => c.action === 'delete').length;
  const keepStrays = deletions > SYNC_DELETE_LIMIT && !opts.force;
  if (keepStrays && opts.manyDeletions !== 'keep') throw new DeletionsNeedForce(deletions);
  writeTx(db, () => { for (const p of placed) recordPlace(db, p.id, p.masters, p.place); });
  const claim = newClaim();
  const repairs = writeTx(db, () => plan.flatMap((c) => (c.target && claimToRepair(db, c.target.id, claim, c.action === 'add' ? 'lacks' : 'differs') ? [c.target.id] : [])));
  const strays: ZoneOp[] = plan.filter((c) => c.action === 'delete' && !keepStrays).map((c) => ({ action: 'delete', view: c.view, name: c.zone }));
  const total = repairs.length + strays.length;
  let done = 0;
  const outcome = await applyZones(app, repairs, claim, () => onProgress?.(++done, total));
  const results = await app.backend.applyZones(strays, { onResult: () => onProgress?.(++done, total) });
  const failed = outcome.failed[0]?.error ?? results.find((r): r is Extract<ZoneOpResult, { ok: false }> => !r.ok)?.error;
  if (failed !== undefined) throw failed;
  return plan;
}
