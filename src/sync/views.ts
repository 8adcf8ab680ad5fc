// Carries the namespaces in the database to the name server: its views and listened addresses (the newest state
// winning over concurrent writers), then every zone whose namespace now says another view or other ACLs.
import type { App } from '../app';
import { newClaim } from '../app';
import { msg } from '../i18n/msg';
import { InternalError } from '../errors';
import { duePlacements, getNamespace, listNamespaces, markPlaced, namespacesWithOwnView, ownViewOf, placeVersions, requireViewPerNamespace, SHARED_VIEW, viewsGeneration } from '../store/namespaces';
import { getMeta, setMeta } from '../store/health';
import { writeTx } from '../store/db';
import { boundAddresses } from '../store/ipaddrs';
import type { Db } from '../store/db';
import { claimMisplaced } from '../store/zones';
import type { ServerConfig } from '../dns/backend';
import { placeOf } from './place';
import { applyZones } from './zones';

/**
 * Applies the views and listened addresses (a reconfig only when they changed: a namespace's own view, or the pool),
 * then moves the zones whose place changed: those of the namespaces the caller changed (`changed`) and of any left
 * behind by a request that did not finish, or of every namespace when the views themselves changed; then forgets the
 * views named no longer has, their zones moved. Throws the first refusal; what is left is done by the next request
 * (recoverPlacement).
 */
export async function syncViews(app: App, changed: readonly number[] | 'all' = 'all'): Promise<void> {
  const { db } = app;
  const applied = await applyConfig(app, getMeta(db, 'reconfig_due') === '1');
  await placeZones(app, applied === 'applied' || changed === 'all' ? 'all' : [...new Set([...changed, ...duePlacements(db)])]);
  forgetGoneViews(app);
}

/** Finishes what a request left half-way: a reconfig named may not have done, zones not yet where their namespace says. */
export async function recoverPlacement(app: App): Promise<void> {
  const { db } = app;
  // A name server without a shared view (PowerDNS): every namespace gets a view of its own, its zones moved there.
  requireViewPerNamespace(db, app.backend.viewPerNamespace);
  const due = duePlacements(db);
  if (due.length > 0 || getMeta(db, 'reconfig_due') === '1') await syncViews(app, due);
}

/** The views named had before and has no more: their new-zones databases and zone directories go. */
function forgetGoneViews(app: App): void {
  const { db, backend } = app;
  const configured = serverConfig(db).views.map((v) => v.name);
  const before = JSON.parse(getMeta(db, 'named_views') ?? '[]') as string[];
  for (const view of before) if (!configured.includes(view)) backend.forgetView(view);
  if (before.join(',') !== configured.join(',')) writeTx(db, () => setMeta(db, 'named_views', JSON.stringify(configured)));
}

/** The shared view, the namespaces' own views, and the pool's addresses (but hidden ones) to listen on. */
function serverConfig(db: Db): ServerConfig {
  const own = namespacesWithOwnView(db).map((n) => ({ name: ownViewOf(n.id), ips: n.ips }));
  // Hidden addresses are not dnsmgr's to use: not bound, not listened on.
  const listen = boundAddresses(db);
  return { views: [...own, { name: SHARED_VIEW }], listen };
}

async function applyConfig(app: App, force: boolean): Promise<'unchanged' | 'applied'> {
  const { db, backend } = app;
  for (let attempt = 0; attempt < 10; attempt++) {
    const { generation, config } = db.transaction(() => ({ generation: viewsGeneration(db), config: serverConfig(db) }))();
    // The rename happens under the write lock, only if nobody changed the namespaces since this render; until named
    // has read the new files, reconfig_due says so.
    const result = await backend.applyViews(config, (replace) =>
      writeTx(db, () => {
        if (viewsGeneration(db) !== generation) return false;
        replace();
        setMeta(db, 'reconfig_due', '1');
        return true;
      }), force);
    if (result === 'applied') writeTx(db, () => setMeta(db, 'reconfig_due', '0'));
    if (result !== 'stale') return result;
  }
  throw new InternalError(msg`the namespaces kept changing while their configuration was written; try again`);
}

/**
 * Every zone of these namespaces that named holds elsewhere than its namespace now says (another view, other
 * addresses or transfer list) is claimed and changed through the batch path; no name server call when none. The
 * namespaces are then recorded as placed for the versions of their place this moved them to.
 */
export async function placeZones(app: App, namespaces: readonly number[] | 'all'): Promise<void> {
  const { db } = app;
  const claim = newClaim();
  const { ids, versions } = writeTx(db, () => {
    const list = namespaces === 'all' ? listNamespaces(db) : namespaces.flatMap((id) => getNamespace(db, id) ?? []);
    return {
      versions: placeVersions(db, list.map((ns) => ns.id)),
      ids: claimMisplaced(db, list.map((ns) => ({ namespaceId: ns.id, ...placeOf(ns) })), claim),
    };
  });
  if (ids.length > 0) {
    const outcome = await applyZones(app, ids, claim);
    if (outcome.failed[0]) throw outcome.failed[0].error;
  }
  writeTx(db, () => markPlaced(db, versions));
}
