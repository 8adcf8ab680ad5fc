// `dnsmgr run`: the standalone server — named supervised as a child, namespace addresses bound, the HTTP API served.
// `dnsmgr serve`: the HTTP API alone. Either holds the root's lock: one server per root.
import { openSync } from 'node:fs';
import type { Server } from 'node:net';
import { join } from 'node:path';
import { DnsmgrError } from '../errors';
import { App } from '../app';
import { dispatch } from '../funcs/dispatch';
import { logEvent } from '../files/event-log';
import { msg } from '../i18n/msg';
import { renderDoc } from '../protocol/render';
import { rndc } from '../system/rndc';
import { recoverStaleZones } from '../sync/zones';
import { syncViews } from '../sync/views';
import { DeletionsNeedForce, reconcile, SYNC_DELETE_LIMIT } from '../sync/reconcile';
import type { Correction } from '../sync/plan';
import { planServer, serve } from './http';
import type { ServerPlan } from './http';
import { init } from './init';
import { lockRoot } from './lock';
import { giveNamedItsFiles, namedCannotReach, namedConfIsCurrent, resolveNamedUser } from './named-user';
import { forgetChild, NamedSupervisor, namedProcessesUsing, recordChild, recordedChild, terminate } from './supervise';
import type { TlsFiles } from './tls';

const NAMED_START_TIMEOUT_MS = 30_000;

export interface ServerOptions {
  listen?: string;
  tls?: TlsFiles;
  insecure: boolean;
}

/** `dnsmgr serve`: the API until SIGTERM/SIGINT. */
export async function runServe(root: string, opts: ServerOptions, prepare: (app: App) => void = () => undefined): Promise<number> {
  const plan = planServer(opts);
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

/** `dnsmgr run`: named and the API until SIGTERM/SIGINT; named restarted whenever it dies meanwhile. */
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
  const app = new App(root);
  const s = app.settings;
  if (app.backend.startMissing) return runInstances(app, plan, stop);
  const report = (message: string): void => {
    say(message);
    logEvent(s.logFile, 'named', message);
  };
  const childFile = join(root, 'var', 'run', 'named.child');
  await stopLeftoverNamed(childFile, s.named.conf, report);

  const args = ['-f', '-c', s.named.conf];
  if (namedConfIsCurrent(s)) {
    const { user, note } = await resolveNamedUser(s);
    if (note !== undefined) say(note);
    const blocked = user && namedCannotReach(s, user);
    if (blocked && s.named.uid !== undefined) throw blocked;
    // Debian's bind by default, where it can work: a root under /root (0700) keeps the quick start running, as root.
    if (blocked) say(`${blocked.message}; until then named runs as root`);
    else if (user) {
      for (const warning of giveNamedItsFiles(s, user)) say(warning);
      args.push('-u', user.name);
    }
  } else {
    say(`${s.named.conf} was written by an older dnsmgr: named runs as root and listens on every address ('dnsmgr init --force' rewrites it)`);
  }

  // The addresses first: named listens on the namespace addresses that exist when it starts.
  const bound = await dispatch(app, 'bindip', {}, { name: 'root', level: 30 });
  if (bound.kind === 'error') process.stderr.write(`dnsmgr: bindip: ${renderDoc(bound, 'text')}`);

  const logFile = join(root, 'var', 'log', 'named.log');
  const target = { rndc: s.tools.rndc, keyFile: s.named.rndcKey, server: s.named.rndcServer, port: s.named.rndcPort };
  // named.conf sends named's log to stderr (var/log/named.log) and to the zone log dnsmgr reads.
  const named = new NamedSupervisor({
    command: s.tools.named,
    args,
    logFd: openSync(logFile, 'a'),
    ready: () => rndc(target, ['status']).then(() => true),
    startTimeoutMs: NAMED_START_TIMEOUT_MS,
    report,
    onSpawn: (pid) => recordChild(childFile, pid),
    // What was asked of named while it was down is carried to it now; its zones it reads back itself.
    onRestart: async () => {
      await recoverStaleZones(app);
      const corrections = await reconcileAtStart(app, report);
      if (corrections.length > 0) report(`brought the restarted named in line with the database: ${corrections.length} correction(s)`);
    },
  });
  stop.onRequest(() => void named.stop());
  const started = await named.start();
  if (!started.ok) {
    forgetChild(childFile);
    if (stop.isRequested()) {
      say('stopped');
      return 0;
    }
    say(`${started.why}; see ${logFile}`);
    return 1;
  }
  say(`named is running (pid ${started.pid}${args.includes('-u') ? ` as ${args[args.indexOf('-u') + 1]}` : ''}), log ${logFile}`);

  try {
    await recoverStaleZones(app);
    const corrections = await reconcileAtStart(app, say);
    if (corrections.length > 0) say(`brought named in line with the database: ${corrections.length} correction(s)`);
    const server = stop.isRequested() ? undefined : await serve(app, plan);
    await stop.requested;
    if (server) closeServer(server);
  } finally {
    await named.stop();
    forgetChild(childFile);
    app.close();
  }
  say('stopped');
  return 0;
}

/** How often run looks for PowerDNS instances that died, and starts them again. */
const INSTANCE_WATCH_MS = 5000;

/**
 * `dnsmgr run` for a name server of several processes (PowerDNS, one per namespace): the addresses bound, every
 * instance the namespaces need started, the database's zones brought to them, the API served; an instance that dies
 * is started again within seconds; all stop with run.
 */
async function runInstances(app: App, plan: ServerPlan, stop: StopSignal): Promise<number> {
  const backend = app.backend;
  const report = (message: string): void => {
    say(message);
    logEvent(app.settings.logFile, 'name server', message);
  };
  const bound = await dispatch(app, 'bindip', {}, { name: 'root', level: 30 });
  if (bound.kind === 'error') process.stderr.write(`dnsmgr: bindip: ${renderDoc(bound, 'text')}`);
  let watch: NodeJS.Timeout | undefined;
  try {
    await recoverStaleZones(app);
    // Every namespace's instance, started if it is not running (applyViews starts the missing ones).
    await syncViews(app, []);
    await backend.startMissing?.();
    say(`PowerDNS is running, an instance per namespace; their logs are in ${app.settings.powerdns.logDir}`);
    const corrections = await reconcileAtStart(app, say);
    if (corrections.length > 0) say(`brought the name server in line with the database: ${corrections.length} correction(s)`);
    let checking = false;
    watch = setInterval(() => {
      if (checking || stop.isRequested()) return;
      checking = true;
      backend.startMissing?.().then(async (started) => {
        if (started.length === 0) return;
        report(`started again the PowerDNS instance(s) that had stopped: ${started.join(', ')}`);
        await recoverStaleZones(app);
      }, (err: unknown) => report(`a PowerDNS instance could not be started: ${err instanceof Error ? err.message : String(err)}`))
        .finally(() => { checking = false; });
    }, INSTANCE_WATCH_MS);
    const server = stop.isRequested() ? undefined : await serve(app, plan);
    await stop.requested;
    if (server) closeServer(server);
  } finally {
    if (watch) clearInterval(watch);
    await backend.stopAll?.();
    app.close();
  }
  say('stopped');
  return 0;
}

/**
 * A named this root's earlier run started and left behind (that run was killed outright, so it could not stop it) is
 * stopped: the lock says no run owns it any more. Any other named on this named.conf was started by someone else
 * (a service, an administrator): that one is left alone, and run refuses to start a second named on the same files.
 */
async function stopLeftoverNamed(childFile: string, conf: string, report: (message: string) => void): Promise<void> {
  const leftover = recordedChild(childFile);
  if (leftover !== undefined) {
    report(`stopping named (pid ${leftover}) left running by an earlier dnsmgr run that was killed`);
    await terminate(leftover);
  }
  forgetChild(childFile);
  const other = namedProcessesUsing(conf)[0];
  if (other !== undefined) {
    throw new DnsmgrError('exists', 'named', conf, msg`named (pid ${other}) is already running with ${conf}, not started by dnsmgr run: stop it first (for the panel's service: systemctl stop dnsmgr-named)`);
  }
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
  say(`${new DeletionsNeedForce(deletions).messageIn('en')}; they are left in named`);
  return plan.filter((c) => c.action !== 'delete');
}
