// Carries the namespaces in the database to the name server: its views and listened addresses (the newest state
// winning over concurrent writers), then every zone whose namespace now says another view or other ACLs.
import type { App } from '../funcs/app';
import { newClaim } from '../funcs/app';
import { msg } from '../i18n/msg';
import { InternalError } from '../errors';
import { getNamespace, listNamespaces, namespacesWithOwnView, SHARED_VIEW, viewsGeneration } from '../store/namespaces';
import { writeTx } from '../store/db';
import type { Db } from '../store/db';
import { claimMisplaced } from '../store/zones';
import type { ServerConfig } from '../dns/backend';
import { placeOf } from './place';
import { applyZones } from './zones';

/**
 * Applies the views and listened addresses (a reconfig only when they changed: a namespace's own view, or the pool),
 * forgets views no longer configured, then moves the zones whose place changed: those of the namespaces the caller
 * changed (`changed`), or of every namespace when the views themselves changed or the caller cannot say. Throws the
 * first refusal.
 */
export async function syncViews(app: App, changed: readonly number[] | 'all' = 'all'): Promise<void> {
  const applied = await applyConfig(app);
  const configured = new Set(serverConfig(app.db).views.map((v) => v.name));
  for (const view of app.backend.knownViews()) if (!configured.has(view)) app.backend.forgetView(view);
  await placeZones(app, applied === 'applied' ? 'all' : changed);
}

/** The shared view, the namespaces' own views, and the whole pool to listen on. */
function serverConfig(db: Db): ServerConfig {
  const own = namespacesWithOwnView(db).map((n) => ({ name: n.name, ips: n.ips }));
  const listen = db.prepare('SELECT addr FROM ipaddr ORDER BY addr').pluck().all() as string[];
  return { views: [...own, { name: SHARED_VIEW }], listen };
}

async function applyConfig(app: App): Promise<'unchanged' | 'applied'> {
  const { db, backend } = app;
  for (let attempt = 0; attempt < 10; attempt++) {
    const { generation, config } = db.transaction(() => ({ generation: viewsGeneration(db), config: serverConfig(db) }))();
    // The rename happens under the write lock, only if nobody changed the namespaces since this render.
    const result = await backend.applyViews(config, (replace) =>
      writeTx(db, () => {
        if (viewsGeneration(db) !== generation) return false;
        replace();
        return true;
      }));
    if (result !== 'stale') return result;
  }
  throw new InternalError(msg`the namespaces kept changing while their configuration was written; try again`);
}

/**
 * Every zone of these namespaces that named holds elsewhere than its namespace now says (another view, other
 * addresses or transfer list) is claimed and changed through the batch path; no name server call when none.
 */
export async function placeZones(app: App, namespaces: readonly number[] | 'all'): Promise<void> {
  const { db } = app;
  const claim = newClaim();
  const ids = writeTx(db, () => {
    const list = namespaces === 'all' ? listNamespaces(db) : namespaces.flatMap((id) => getNamespace(db, id) ?? []);
    return claimMisplaced(db, list.map((ns) => ({ namespaceId: ns.id, ...placeOf(ns) })), claim);
  });
  if (ids.length === 0) return;
  const outcome = await applyZones(app, ids, claim);
  if (outcome.failed[0]) throw outcome.failed[0].error;
}
