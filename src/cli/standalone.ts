// `dnsmgr run`: the standalone server — the name server supervised (named as a child; PowerDNS's instances), namespace addresses bound, the HTTP API served.
// `dnsmgr serve`: the HTTP API alone. Either holds the root's lock: one server per root.
import type { Server } from 'node:net';
import { App } from '../app';
import { dispatch } from '../funcs/dispatch';
import { logEvent } from '../files/event-log';
import { renderDoc } from '../protocol/render';
import { createHost } from '../dns/create-host';
import { recoverStaleZones } from '../sync/zones';
import { syncViews } from '../sync/views';
import { DeletionsNeedForce, reconcile, SYNC_DELETE_LIMIT } from '../sync/reconcile';
import type { Correction } from '../sync/plan';
import { planServer, serve } from './http';
import type { ServerPlan } from './http';
import { init } from './init';
import { keepWholePageCache } from '../store/db';
import { lockRoot } from './lock';
import type { TlsFiles } from './tls';

export interface ServerOptions {
  listen?: string;
  tls?: TlsFiles;
  insecure: boolean;
}

/** `dnsmgr serve`: the API until SIGTERM/SIGINT. */
export async function runServe(root: string, opts: ServerOptions, prepare: (app: App) => void = () => undefined): Promise<number> {
  const plan = planServer(opts);
  keepWholePageCache();
  const app = new App(root);
  prepare(app);
  const lock = await lockRoot(root);
  const stop = stopSignal();
  try {
    const server = await serve(app, plan);
    await stop.requested;
    closeServer(server);
    app.close();
    say('stopped');
    return 0;
  } finally {
    stop.dispose();
    lock.release();
  }
}

/** `dnsmgr run`: the name server and the API until SIGTERM/SIGINT; the name server restarted whenever it dies meanwhile. */
export async function runStandalone(root: string, opts: ServerOptions): Promise<number> {
  const plan = planServer(opts);
  const lock = await lockRoot(root);
  const stop = stopSignal();
  try {
    return await runLocked(root, plan, stop);
  } finally {
    stop.dispose();
    lock.release();
  }
}

async function runLocked(root: string, plan: ServerPlan, stop: StopSignal): Promise<number> {
  process.stdout.write(await init(root, { force: false }));
  keepWholePageCache();
  const app = new App(root);
  const host = createHost(app.settings);
  const report = (message: string): void => {
    say(message);
    logEvent(app.settings.logFile, host.eventCategory, message);
  };
  const nameServer = await host.supervise(app.backend, {
    say,
    report,
    // What was asked of the name server while it was down is carried to it now; its zones it reads back itself.
    onRestart: async () => {
      await recoverStaleZones(app);
      const corrections = await reconcileAtStart(app, report);
      if (corrections.length > 0) report(`brought the restarted name server in line with the database: ${corrections.length} correction(s)`);
    },
  });

  // The addresses first: the name server listens on the namespace addresses that exist when it starts.
  const bound = await dispatch(app, 'bindip', {}, { name: 'root', level: 30 });
  if (bound.kind === 'error') process.stderr.write(`dnsmgr: bindip: ${renderDoc(bound, 'text')}`);

  stop.onRequest(() => void nameServer.stop().catch((err: unknown) => report(`stopping the name server: ${err instanceof Error ? err.message : String(err)}`)));
  const started = await nameServer.start();
  if (!started.ok) {
    if (stop.isRequested()) {
      say('stopped');
      return 0;
    }
    say(started.why);
    return 1;
  }
  say(started.running);

  try {
    await recoverStaleZones(app);
    // Every namespace's view (PowerDNS: its instance) as the database has them. A refusal is said, and the server
    // starts with what the name server has (the next change applies the views again).
    await syncViews(app, []).catch((err: unknown) => report(`applying the views at start: ${err instanceof Error ? err.message : String(err)}`));
    const corrections = await reconcileAtStart(app, say);
    if (corrections.length > 0) say(`brought the name server in line with the database: ${corrections.length} correction(s)`);
    // Master zone changes still waiting for the slave servers (src/slaves/) are sent on.
    (await import('../slaves/push')).resumeSlavePush(app);
    nameServer.watch();
    const server = stop.isRequested() ? undefined : await serve(app, plan);
    await stop.requested;
    if (server) closeServer(server);
  } finally {
    await nameServer.stop();
    app.close();
  }
  say('stopped');
  return 0;
}

/** Stops listening and ends idle keep-alive connections, which would otherwise hold the process for seconds. */
function closeServer(server: Server): void {
  server.close();
  (server as Server & { closeAllConnections?: () => void }).closeAllConnections?.();
}

function say(message: string): void {
  process.stderr.write(`dnsmgr: ${message}\n`);
}

interface StopSignal {
  /** Resolves at the first SIGTERM or SIGINT. */
  requested: Promise<void>;
  isRequested(): boolean;
  onRequest(fn: () => void): void;
  dispose(): void;
}

function stopSignal(): StopSignal {
  let requested = false;
  const listeners: (() => void)[] = [];
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((r) => { resolve = r; });
  const onSignal = (): void => {
    if (requested) return;
    requested = true;
    for (const fn of listeners) fn();
    resolve();
  };
  process.on('SIGTERM', onSignal);
  process.on('SIGINT', onSignal);
  return {
    requested: promise,
    isRequested: () => requested,
    onRequest: (fn) => {
      if (requested) fn();
      else listeners.push(fn);
    },
    dispose: () => {
      process.removeListener('SIGTERM', onSignal);
      process.removeListener('SIGINT', onSignal);
    },
  };
}

/**
 * The start-up reconcile: named brought in line with the database, except that mass deletion waits for the
 * administrator (domain.sync lists it, domain.sync.apply force=on does it); the server starts either way.
 */
async function reconcileAtStart(app: App, say: (line: string) => void): Promise<Correction[]> {
  const plan = await reconcile(app, { manyDeletions: 'keep' });
  const deletions = plan.filter((c) => c.action === 'delete').length;
  if (deletions <= SYNC_DELETE_LIMIT) return plan;
  say(`${new DeletionsNeedForce(deletions).messageIn('en')}; they are left in the name server`);
  return plan.filter((c) => c.action !== 'delete');
}
