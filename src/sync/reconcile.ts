// Makes named hold exactly the zones the database says, view by view: after a restart from old files, a lost
// new-zones database, or hands that changed named behind dnsmgr's back. Plans first; the plan is data, shown or applied.
import type { App } from '../funcs/app';
import { listNamespaces } from '../store/namespaces';
import { allZones } from '../store/zones';
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';
import { syncViews } from './views';
import type { ZoneOp } from '../dns/backend';

export interface Correction {
  action: 'add' | 'modify' | 'delete';
  view: string;
  zone: string;
  masters: string[];
}

export async function planReconcile(app: App): Promise<Correction[]> {
  const { db, backend } = app;
  const plan: Correction[] = [];
  const all = allZones(db);
  const known = new Set(all.map((z) => `${z.namespaceId} ${z.name}`));
  const zones = all.filter((z) => z.pending === null && z.suspendedAt === null);
  const suspended = new Set(all.filter((z) => z.suspendedAt !== null && z.pending === null).map((z) => `${z.namespaceId} ${z.name}`));
  for (const ns of listNamespaces(db)) {
    const inNamed = new Map((await backend.listZones(ns.name)).map((z) => [z.name, z.masters]));
    for (const z of zones.filter((x) => x.namespaceId === ns.id)) {
      const have = inNamed.get(z.name);
      inNamed.delete(z.name);
      if (have === undefined) plan.push({ action: 'add', view: ns.name, zone: z.name, masters: z.masters });
      else if (have.join(',') !== z.masters.join(',')) plan.push({ action: 'modify', view: ns.name, zone: z.name, masters: z.masters });
    }
    for (const [zone, masters] of inNamed) {
      // A zone whose change is under way belongs to the request carrying it, not to this plan; a suspended zone
      // stays out of the name server.
      const key = `${ns.id} ${zone}`;
      if (!known.has(key) || suspended.has(key)) plan.push({ action: 'delete', view: ns.name, zone, masters });
    }
  }
  return plan;
}

/**
 * Applies the views, then the plan through the backend's batch path (bounded parallelism); returns what it did. Every
 * correction is tried; the first one named refused is thrown after the others are done.
 */
export async function reconcile(app: App, onProgress?: (done: number, total: number) => void): Promise<Correction[]> {
  await syncViews(app);
  const plan = await planReconcile(app);
  const ops: ZoneOp[] = plan.map((c) => {
    const name = c.zone as ZoneName;
    if (c.action === 'delete') return { action: 'delete', view: c.view, name };
    return { action: c.action, zone: { view: c.view, name, masters: c.masters as IpAddress[] } };
  });
  let done = 0;
  const results = await app.backend.applyZones(ops, { onResult: () => onProgress?.(++done, ops.length) });
  const failed = results.find((r) => !r.ok);
  if (failed && !failed.ok) throw failed.error;
  return plan;
}
