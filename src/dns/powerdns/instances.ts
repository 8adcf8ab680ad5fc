// The PowerDNS instances, one per namespace view: their files (configuration, database, socket directory, log), their
// loopback ports, and their processes — started detached, so that they outlive the request that started them.
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { InternalError, ToolError } from '../../errors';
import { msg } from '../../i18n/msg';
import type { Settings } from '../../files/settings';
import { safeUnlink, writeFileAtomic } from '../../files/atomic-write';
import { createPdnsDb } from '../../store/pdns-db';
import { apiPortOf } from './render';

/** A view name as dnsmgr makes them (`_ns<id>`, `_dnsmgr`): it goes into file names and a command line. */
const VIEW_NAME = /^[a-z0-9_]{1,32}$/;
const CONF_FILE = /^pdns-([a-z0-9_]{1,32})\.conf$/;
const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 10_000;

export interface InstanceFiles {
  conf: string;
  /** The configuration the running instance was started with (in its socket directory, gone with it). */
  running: string;
  database: string;
  socketDir: string;
  pidFile: string;
  log: string;
}

/** The systemd unit of a view's instance (PdnsService systemd): an instance of the template install writes. */
export function unitOf(view: string): string {
  return `${PDNS_UNIT_PREFIX}${view}.service`;
}

export const PDNS_UNIT_PREFIX = 'dnsmgr-pdns@';

export class Instances {
  constructor(private readonly s: Settings['powerdns'], private readonly tools: Pick<Settings['tools'], 'pdnsServer' | 'systemctl'>) {}

  files(view: string): InstanceFiles {
    if (!VIEW_NAME.test(view)) throw new InternalError(msg`'${view}' is not a view name dnsmgr makes`);
    const socketDir = join(this.s.runDir, view);
    return {
      conf: join(this.s.confDir, `pdns-${view}.conf`),
      running: join(socketDir, 'started-with.conf'),
      database: join(this.s.dataDir, `${view}.sqlite3`),
      socketDir,
      pidFile: join(socketDir, `pdns-${view}.pid`),
      log: join(this.s.logDir, `pdns-${view}.log`),
    };
  }

  /** The views that have a configuration file, by name. */
  configured(): string[] {
    let names: string[];
    try {
      names = readdirSync(this.s.confDir);
    } catch {
      return [];
    }
    return names.flatMap((n) => CONF_FILE.exec(n)?.[1] ?? []).sort();
  }

  /**
   * The views with a configuration file or a socket directory: an instance whose configuration went (its view
   * removed) by a process that died before stopping it is still found by its directory, and stopped.
   */
  known(): string[] {
    let dirs: string[];
    try {
      dirs = readdirSync(this.s.runDir).filter((n) => VIEW_NAME.test(n));
    } catch {
      dirs = [];
    }
    return [...new Set([...this.configured(), ...dirs])].sort();
  }

  readConf(view: string): string {
    try {
      return readFileSync(this.files(view).conf, 'utf8');
    } catch {
      return '';
    }
  }

  /** The configuration the view's running instance was started with ('' when unknown). */
  startedWith(view: string): string {
    try {
      return readFileSync(this.files(view).running, 'utf8');
    } catch {
      return '';
    }
  }

  /** The API port of each configured view. */
  ports(): Map<string, number> {
    const ports = new Map<string, number>();
    for (const view of this.configured()) {
      const port = apiPortOf(this.readConf(view));
      if (port !== undefined) ports.set(view, port);
    }
    return ports;
  }

  /**
   * Ports for these views: each keeps the one its configuration has, the others get the lowest free pairs in view
   * order (the same answer for two processes rendering the same state).
   */
  allocatePorts(views: readonly string[]): Map<string, number> {
    const held = this.ports();
    const taken = new Set([...held].filter(([v]) => views.includes(v)).map(([, p]) => p));
    const out = new Map<string, number>();
    let next = this.s.portBase;
    for (const view of [...views].sort()) {
      const own = held.get(view);
      if (own !== undefined) {
        out.set(view, own);
        continue;
      }
      while (taken.has(next)) next += 2;
      if (next + 1 > 65535) throw new InternalError(msg`no loopback ports left for PowerDNS instances above PdnsPortBase ${this.s.portBase}`);
      taken.add(next);
      out.set(view, next);
    }
    return out;
  }

  /** The view's database, made from the gsqlite3 schema if it has none yet (written aside, then renamed in). */
  ensureDatabase(view: string): void {
    const { database } = this.files(view);
    if (existsSync(database)) return;
    mkdirSync(this.s.dataDir, { recursive: true, mode: 0o750 });
    let schema: string;
    try {
      schema = readFileSync(this.s.schema, 'utf8');
    } catch (err) {
      throw new ToolError('pdns_server', undefined, msg`the gsqlite3 schema ${this.s.schema} cannot be read (is pdns-backend-sqlite3 installed?): ${(err as Error).message}`);
    }
    const tmp = `${database}.${process.pid}.tmp`;
    try {
      createPdnsDb(tmp, schema);
      chmodSync(tmp, 0o640);
      renameSync(tmp, database);
    } catch (err) {
      safeUnlink(tmp);
      throw err;
    }
  }

  writeConf(view: string, text: string): void {
    mkdirSync(this.s.confDir, { recursive: true, mode: 0o750 });
    // It holds the API key.
    writeFileAtomic(this.files(view).conf, text, 0o600);
  }

  removeConf(view: string): void {
    safeUnlink(this.files(view).conf);
  }

  /** The pid of the view's running pdns_server, or undefined. */
  pid(view: string): number | undefined {
    const f = this.files(view);
    let pid: number;
    try {
      pid = Number(readFileSync(f.pidFile, 'utf8').trim());
    } catch {
      return undefined;
    }
    if (!Number.isInteger(pid) || pid <= 1) return undefined;
    try {
      // The pid file outlives the process: the pid is this instance's only if its command line says so.
      const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
      return cmdline.includes(`--config-name=${view}`) && cmdline.includes(`--config-dir=${this.s.confDir}`) ? pid : undefined;
    } catch {
      return undefined;
    }
  }

  /**
   * Starts the view's pdns_server, detached (it outlives this process; its output goes to its log), and waits until
   * `answers` says it is up. An instance already running is left alone.
   */
  async start(view: string, answers: () => Promise<boolean>): Promise<void> {
    if (this.pid(view) !== undefined) return;
    const f = this.files(view);
    mkdirSync(f.socketDir, { recursive: true, mode: 0o750 });
    mkdirSync(this.s.logDir, { recursive: true, mode: 0o750 });
    writeFileAtomic(f.running, this.readConf(view), 0o600);
    let exited: string | undefined;
    if (this.s.service === 'systemd') {
      // systemd runs it (and restarts it, and starts it at boot): enabled with its namespace, disabled with it.
      await this.systemctl(['enable', '--now', unitOf(view)]);
    } else {
      const { spawn } = await import('node:child_process');
      const log = openSync(f.log, 'a', 0o640);
      try {
        const child = spawn(this.tools.pdnsServer, [`--config-dir=${this.s.confDir}`, `--config-name=${view}`], { detached: true, stdio: ['ignore', log, log] });
        child.on('error', (err) => { exited = err.message; });
        child.on('exit', (code, signal) => { exited = signal !== null ? `signal ${signal}` : `exit code ${code ?? '?'}`; });
        child.unref();
      } finally {
        closeSync(log);
      }
    }
    const deadline = Date.now() + START_TIMEOUT_MS;
    for (;;) {
      if (exited !== undefined) throw new ToolError(`pdns_server --config-name=${view}`, undefined, `${lastLines(f.log)} (${exited})`);
      if (await answers()) return;
      if (Date.now() > deadline) throw new ToolError(`pdns_server --config-name=${view}`, undefined, '', msg`did not answer within ${START_TIMEOUT_MS / 1000} s`);
      await sleep(50);
    }
  }

  /** Stops the view's pdns_server, if it runs: TERM, then KILL after a grace period; returns once it has exited. */
  async stop(view: string): Promise<void> {
    const pid = this.pid(view);
    const f = this.files(view);
    // Its unit is enabled from its first start (the copy of the configuration it started with) until it is stopped.
    if (this.s.service === 'systemd' && (pid !== undefined || existsSync(f.running))) await this.systemctl(['disable', '--now', unitOf(view)]);
    safeUnlink(f.running);
    if (pid === undefined) return;
    signal(pid, 'SIGTERM');
    const deadline = Date.now() + STOP_TIMEOUT_MS;
    let killed = false;
    // Gone once its pid no longer is this instance's (a zombie's command line is empty: its sockets are closed).
    while (this.pid(view) === pid) {
      if (!killed && Date.now() > deadline) {
        signal(pid, 'SIGKILL');
        killed = true;
      }
      if (Date.now() > deadline + STOP_TIMEOUT_MS) throw new ToolError(`pdns_server --config-name=${view}`, undefined, '', msg`did not stop within ${(2 * STOP_TIMEOUT_MS) / 1000} s`);
      await sleep(50);
    }
    safeUnlink(f.pidFile);
  }

  private async systemctl(args: readonly string[]): Promise<void> {
    const { execFile } = await import('node:child_process');
    await new Promise<void>((resolve, reject) => {
      execFile(this.tools.systemctl, args, { timeout: START_TIMEOUT_MS }, (err, _stdout, stderr) => {
        if (err) reject(new ToolError(`systemctl ${args.join(' ')}`, typeof err.code === 'number' ? err.code : undefined, stderr || err.message));
        else resolve();
      });
    });
  }

  /** Everything the view's instance had: configuration, database, sockets, log. The caller stopped it. */
  remove(view: string): void {
    const f = this.files(view);
    for (const file of [f.conf, f.database, `${f.database}-wal`, `${f.database}-shm`, `${f.database}-journal`, f.log]) safeUnlink(file);
    rmSync(f.socketDir, { recursive: true, force: true });
  }
}

/**
 * Whether the socket listening on 127.0.0.1:`port` is the instance's own (one of `pid`'s open files): the API key is
 * sent only to it, never to whatever else took the port while the instance was down.
 */
export function listensOn(pid: number, port: number): boolean {
  const local = `0100007F:${port.toString(16).toUpperCase().padStart(4, '0')}`;
  let inode: string | undefined;
  try {
    for (const line of readFileSync('/proc/net/tcp', 'utf8').split('\n').slice(1)) {
      const f = line.trim().split(/\s+/);
      // local_address, rem_address, st (0A: LISTEN), … inode is the tenth field.
      if (f[1] === local && f[3] === '0A') inode = f[9];
    }
    if (inode === undefined) return false;
    const want = `socket:[${inode}]`;
    const dir = `/proc/${pid}/fd`;
    return readdirSync(dir).some((fd) => {
      try {
        return readlinkSync(join(dir, fd)) === want;
      } catch {
        return false;
      }
    });
  } catch {
    return false;
  }
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // Gone already.
  }
}

function lastLines(file: string): string {
  try {
    return readFileSync(file, 'utf8').trim().split('\n').slice(-3).join(' | ');
  } catch {
    return '';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
