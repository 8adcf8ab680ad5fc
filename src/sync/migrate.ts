// `dnsmgr backend.migrate bind|powerdns`: a running installation moved from one name server to the other, every zone
// kept. The old name server stops answering on the namespace addresses first (both cannot hold port 53 on them), the
// new one gets every namespace and every zone (added in bulk where it can), then the old one's zones go. Each step can
// be run again; a migration cut short is finished by running the command again, and a finished one changes nothing.
import { readFileSync } from 'node:fs';
import { App } from '../app';
import { createBackend } from '../dns/create-backend';
import { createHost } from '../dns/create-host';
import { writeFileAtomic } from '../files/atomic-write';
import { getConf, parseConf, renderConf, setConf } from '../files/conf-codec';
import type { NameServer } from '../files/settings';
import { heldZoneName } from '../model/zone-name';
import { endMigration, getMeta, MIGRATION_META, setMeta } from '../store/health';
import { writeTx } from '../store/db';
import { listNamespaces, ownViewOf, requireViewPerNamespace, resetOwnViews, SHARED_VIEW } from '../store/namespaces';
import { forgetAllPlaces } from '../store/zones';
import { reconcile } from './reconcile';
import { syncViews } from './views';


export interface MigrationReport {
  from: NameServer;
  to: NameServer;
  /** The installation was on `to` already: only brought in line with the database. */
  already: boolean;
  /** Zones moved to the new name server. */
  zones: number;
  /** What the closing reconcile (or, when already there, the reconcile) found to correct. */
  corrections: number;
  namespaces: number;
  /** Seconds from the old name server's last answer on the namespace addresses to the new one having every zone. */
  switchSeconds: number;
}

export async function migrateBackend(root: string, to: NameServer): Promise<MigrationReport> {
  let app = new App(root);
  const from = app.settings.nameServer;
  const resuming = getMeta(app.db, MIGRATION_META);
  if (from === to && resuming === undefined) {
    // Already there: only what any start-up does (finish what a request left, bring the name server in line).
    await syncViews(app, []);
    const corrections = await reconcile(app, { manyDeletions: 'keep' });
    app.close();
    return { from, to, already: true, zones: 0, corrections: corrections.length, namespaces: 0, switchSeconds: 0 };
  }
  // What the new name server needs is checked before the old one stops answering.
  createHost({ ...app.settings, nameServer: to }).preflight();
  writeTx(app.db, () => setMeta(app.db, MIGRATION_META, to));
  // The name server dnsmgr.conf names still answers until here; a migration resumed after being cut short takes
  // the other one (the one it was moving from) as the old one.
  const old = from === to ? createBackend({ ...app.settings, nameServer: otherThan(to) }) : app.backend;
  const namespaces = listNamespaces(app.db);
  const switched = Date.now();
  // 1. The old name server stops answering on the namespace addresses: no view, no instance, nothing listened on.
  await old.applyViews({ views: old.viewPerNamespace ? [] : [{ name: SHARED_VIEW }], listen: [] }, (replace) => { replace(); return true; }, true);
  await old.stopAll?.();

  // 2. dnsmgr.conf says the new one; every zone is taken as not yet in it.
  const confFile = app.settings.confFile;
  let text = '';
  try {
    text = readFileSync(confFile, 'utf8');
  } catch {
    // No dnsmgr.conf: every key at its default; the new one holds NameServer alone.
  }
  const doc = parseConf(text);
  if (getConf(doc, 'key', 'NameServer') !== to) writeFileAtomic(confFile, renderConf(setConf(doc, 'key', 'NameServer', to)), 0o644);
  app.close();
  app = new App(root);
  const zones = writeTx(app.db, () => {
    if (app.backend.viewPerNamespace) requireViewPerNamespace(app.db, true);
    else resetOwnViews(app.db);
    return forgetAllPlaces(app.db);
  });

  // 3. The new one gets every namespace and every zone.
  await syncViews(app, 'all');
  const switchSeconds = (Date.now() - switched) / 1000;

  // 4. The old one's zones go: a named keeps running (the panel's, or run's until it is restarted) and drops every
  // zone of its shared view (in bulk where there are many); the views it no longer has, and PowerDNS's instances,
  // leave files only, which go.
  if (!old.viewPerNamespace) {
    const held = await old.listZones(SHARED_VIEW).catch(() => []);
    // By the names dnsmgr could have given them (heldZoneName); anything else there is not dnsmgr's to delete.
    await old.applyZones(held.flatMap((z) => {
      const name = heldZoneName(z.name);
      return name === undefined ? [] : [{ action: 'delete' as const, view: SHARED_VIEW, name }];
    }));
  }
  for (const view of namespaces.map((n) => ownViewOf(n.id))) old.forgetView(view);
  if (old.viewPerNamespace) old.forgetView(SHARED_VIEW);
  const corrections = await reconcile(app, { manyDeletions: 'keep' });
  writeTx(app.db, () => endMigration(app.db));
  app.close();
  return { from: from === to ? otherThan(to) : from, to, already: false, zones, corrections: corrections.length, namespaces: namespaces.length, switchSeconds };
}

function otherThan(nameServer: NameServer): NameServer {
  return nameServer === 'bind' ? 'powerdns' : 'bind';
}
