// A dnsmgr installation under test: its own root, its named in the slave namespace, and each front door to drive it.
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { expect } from 'vitest';
import { nsExec, nsSpawn } from './netns';
import type { TestNet } from './netns';
import { startNamed } from './named-process';
import type { NamedProcess } from './named-process';
import { parseNzf } from '../../src/dns/bind/nzd';
import type { HeldZone } from '../../src/dns/backend';

/** What the panel writes to a handler's standard input: the page's document (its shape does not matter to dnsmgr). */
const PANEL_PAGE_DOC = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><tparams/></doc>\n';

export const DNSMGR = resolve('addon/dnsmgr');

/**
 * The name server the integration suites drive: BIND unless DNSMGR_TEST_NAME_SERVER=powerdns (the PowerDNS project
 * of vitest.config.ts, which runs the same suites again against it).
 */
export const NAME_SERVER: 'bind' | 'powerdns' = process.env.DNSMGR_TEST_NAME_SERVER === 'powerdns' ? 'powerdns' : 'bind';
const HTTP_CLIENT = resolve('test/helpers/http-client.mjs');

export interface Result {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface Instance {
  root: string;
  ns: string;
  namedLog: string;
  named?: NamedProcess;
  startNamed(): Promise<void>;
  stopNamed(): Promise<void>;
  /** The name server under test started as its service would start it: named, or every PowerDNS instance configured. */
  startNameServer(): Promise<void>;
  /** ... and stopped (every instance, for PowerDNS): the zones stay in its files. */
  stopNameServer(): Promise<void>;
  /**
   * Freezes the name server (SIGSTOP to named, or to every PowerDNS instance): requests sent to it wait unanswered.
   * The function returned lets it go on (SIGCONT).
   */
  pauseNameServer(): () => void;
  /** Whether the name server holds the zone (in the shared view, for BIND; in any instance, for PowerDNS). */
  holds(zone: string): Promise<boolean>;
  /** Whether the name server has the zone's data from its master (BIND: the zone file written; PowerDNS: its SOA stored). */
  transferred(zone: string): Promise<boolean>;
  /** The masters the name server has for a zone it holds (BIND: the shared view; PowerDNS: any instance). */
  heldMasters(zone: string): Promise<string[] | undefined>;
  /**
   * Everything the name server was told, as text to compare before and after: BIND's views file and shared new-zones
   * database; PowerDNS's instance configurations and each database's zones with their masters and metadata.
   */
  snapshot(): Promise<string>;
  /**
   * Every clause the name server has for the zone, one per view holding it (BIND: each view of the views file, read
   * with rndc showzone; PowerDNS: each instance's database, and the addresses its configuration listens on), in view
   * order. Lists read as dnsmgr writes them: single addresses without their full-length prefix, `any` as `any`.
   */
  clausesOf(zone: string): Promise<(HeldZone & { view: string })[]>;
  /**
   * How many times the name server took a new configuration: BIND's reconfig commands in named.log; PowerDNS's
   * instance starts (a changed configuration restarts its instance) in the logs of the instances there now.
   */
  reconfigurations(): number;
  /**
   * Adds a secondary zone to a view behind dnsmgr's back (BIND: rndc addzone; PowerDNS: the API of the view's
   * instance).
   */
  addZoneBehind(view: string, zone: string, master: string): Promise<void>;
  /** Removes a zone from the name server behind dnsmgr's back (BIND: rndc delzone -clean; PowerDNS: its API). */
  dropZone(zone: string): Promise<void>;
  /** How many times the name server was asked to transfer the zone again (retransfer; PowerDNS: axfr-retrieve). */
  retransfersOf(zone: string): number;
  /** What the name server logged: named's log, or every PowerDNS instance's. */
  nameServerLog(): string;
  /**
   * The zone changes the name server was asked for, one line each as it logged them: BIND's control channel commands
   * (addzone, modzone, delzone, retransfer, refresh), PowerDNS's API requests that change something.
   */
  zoneCommands(): string[];
  /** mgrctl-style: addon/dnsmgr --root R [-o out] func key=value… */
  cli(args: readonly string[], opts?: { out?: 'text' | 'xml' | 'json' }): Promise<Result>;
  /** As the panel runs a handler: PARAM_*, AUTH_USER, AUTH_LEVEL in the environment. */
  handler(params: Record<string, string>, auth: { user: string; level: number }): Promise<Result>;
  /** `dnsmgr serve` inside the slave namespace, on 127.0.0.1 or another of its addresses. */
  startServe(port?: number, host?: string): Promise<void>;
  /** GET (params in the query) or POST (form body) to /dnsmgr of the running serve. */
  http(params: Record<string, string>, method?: 'GET' | 'POST', path?: string): Promise<{ status: number; body: string }>;
  stopServe(): Promise<void>;
  rndc(args: readonly string[]): Promise<Result>;
  /** As the admin: puts the addresses into the pool (bound to the interface), then makes a user with its own namespace on them. */
  addUser(name: string, passwd: string, ip: string, ip6?: string): Promise<void>;
  stop(): Promise<void>;
}

export async function createInstance(net: TestNet, conf = `NetworkInterface ${net.slaveIface}\nOption AllowIpV6\n`): Promise<Instance> {
  const root = await mkdtemp(join(tmpdir(), 'dnsmgr-it-'));
  const ns = net.slave;
  const namedLog = join(root, 'named.log');
  await nsExec(ns, process.execPath, [DNSMGR, '--root', root, 'init'], { env: { DNSMGR_ROOT_PASSWORD: 'root-secret' } });
  await writeFile(join(root, 'etc', 'dnsmgr.conf'), withNameServer(conf));
  const pdnsConfDir = join(root, 'etc', 'powerdns');
  let servePort = 0;
  let serveHost = '127.0.0.1';
  const stoppers: (() => Promise<void>)[] = [];

  // The CLI's standard input is closed (empty); a handler's carries the page's document, as the panel gives it.
  const run = async (file: string, args: readonly string[], env?: Record<string, string>, input = ''): Promise<Result> => {
    const r = await nsExec(ns, file, args, { reject: false, exact: true, timeout: 60_000, input, ...(env ? { env } : {}) });
    return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
  };

  const inst: Instance = {
    root, ns, namedLog,
    async startNamed() {
      inst.named = await startNamed(ns, join(root, 'etc', 'named', 'named.conf'), {
        logFile: namedLog,
        ready: async () => (await inst.rndc(['status'])).exitCode === 0,
      });
    },
    async stopNamed() {
      await inst.named?.stop();
      inst.named = undefined;
    },
    async startNameServer() {
      if (NAME_SERVER === 'bind') return inst.startNamed();
      for (const view of pdnsViews(pdnsConfDir)) await startPdns(ns, root, pdnsConfDir, view);
    },
    async stopNameServer() {
      if (NAME_SERVER === 'bind') return inst.stopNamed();
      await stopPdns(pdnsConfDir);
    },
    pauseNameServer() {
      const pids = NAME_SERVER === 'bind' ? (inst.named ? [inst.named.pid] : []) : pdnsPids(pdnsConfDir);
      if (pids.length === 0) throw new Error('no name server process to pause');
      for (const pid of pids) signal(pid, 'SIGSTOP');
      return () => {
        for (const pid of pids) signal(pid, 'SIGCONT');
      };
    },
    async holds(zone) {
      return (await inst.heldMasters(zone)) !== undefined;
    },
    async transferred(zone) {
      if (NAME_SERVER === 'bind') return existsSync(join(root, 'var', 'named', 'slave', '_dnsmgr', `${zone}.db`));
      return pdnsViews(pdnsConfDir).some((view) => pdnsQuery(join(root, 'var', 'lib', 'powerdns', `${view}.sqlite3`),
        "SELECT 1 FROM records r JOIN domains d ON d.id = r.domain_id WHERE d.name = ? AND r.type = 'SOA'", zone).length > 0);
    },
    async heldMasters(zone) {
      if (NAME_SERVER === 'bind') {
        const shown = await inst.rndc(['showzone', zone, 'IN', '_dnsmgr']);
        if (shown.exitCode !== 0) return undefined;
        return (/masters \{ ([^}]*)\}/.exec(shown.stdout)?.[1] ?? '').split(';').map((m) => m.trim()).filter(Boolean);
      }
      for (const view of pdnsViews(pdnsConfDir)) {
        const row = pdnsQuery(join(root, 'var', 'lib', 'powerdns', `${view}.sqlite3`), 'SELECT master FROM domains WHERE name = ?', zone)[0] as { master: string } | undefined;
        if (row) return row.master.split(',').map((m) => m.trim()).filter(Boolean);
      }
      return undefined;
    },
    async clausesOf(zone) {
      if (NAME_SERVER === 'bind') {
        const viewsFile = readFileSync(join(root, 'etc', 'named', 'dnsmgr-views.conf'), 'utf8');
        const clauses: (HeldZone & { view: string })[] = [];
        for (const [, view] of viewsFile.matchAll(/^view "([^"]+)"/gm)) {
          const shown = await inst.rndc(['showzone', zone, 'IN', view as string]);
          if (shown.exitCode === 0) clauses.push(...parseNzf(shown.stdout).map((c) => ({ view: view as string, ...c })));
        }
        return clauses;
      }
      return pdnsViews(pdnsConfDir).sort().flatMap((view) => {
        const rows = pdnsQuery(join(root, 'var', 'lib', 'powerdns', `${view}.sqlite3`), `SELECT d.name, d.master,
          (SELECT json_group_array(m.content) FROM domainmetadata m WHERE m.domain_id = d.id AND m.kind = 'ALLOW-AXFR-FROM') AS xfer
          FROM domains d WHERE d.name = ?`, zone) as { name: string; master: string; xfer: string }[];
        const conf = readFileSync(join(pdnsConfDir, `pdns-${view}.conf`), 'utf8');
        const queryOn = /^local-port=53$/m.test(conf) ? (/^local-address=(.*)$/m.exec(conf)?.[1] ?? '').split(',').map((a) => a.trim()).filter(Boolean) : [];
        return rows.map((r) => {
          const xfer = (JSON.parse(r.xfer) as string[]).map((a) => a.replace(a.includes(':') ? /\/128$/ : /\/32$/, ''));
          const any = xfer.length === 2 && xfer.includes('0.0.0.0/0') && xfer.includes('::/0');
          return { view, name: r.name, masters: r.master.split(',').map((m) => m.trim()).filter(Boolean), queryOn, allowTransfer: any ? ['any'] : xfer };
        });
      });
    },
    reconfigurations() {
      if (NAME_SERVER === 'bind') return inst.nameServerLog().split("received control channel command 'reconfig'").length - 1;
      return inst.nameServerLog().split('Primary/secondary communicator launching').length - 1;
    },
    async addZoneBehind(view, zone, master) {
      if (NAME_SERVER === 'bind') {
        const file = join(root, 'var', 'named', 'slave', view, `${zone}.db`);
        const r = await inst.rndc(['addzone', zone, 'IN', view, `{ type slave; masters { ${master}; }; file "${file}"; };`]);
        if (r.exitCode !== 0) throw new Error(`rndc addzone ${zone}: ${r.stdout}${r.stderr}`);
        return;
      }
      const conf = readFileSync(join(pdnsConfDir, `pdns-${view}.conf`), 'utf8');
      const port = /^webserver-port=(\d+)$/m.exec(conf)?.[1];
      const key = /^api-key=(\w+)$/m.exec(conf)?.[1] as string;
      const body = JSON.stringify({ name: `${zone}.`, kind: 'Slave', masters: [master] });
      const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'POST', '-H', `X-API-Key: ${key}`, '-H', 'Content-Type: application/json',
        '--data', body, `http://127.0.0.1:${port}/api/v1/servers/localhost/zones`]);
      if (r.stdout !== '201') throw new Error(`PowerDNS API POST ${zone}: ${r.stdout}${r.stderr}`);
    },
    async dropZone(zone) {
      if (NAME_SERVER === 'bind') {
        const r = await inst.rndc(['delzone', '-clean', zone, 'IN', '_dnsmgr']);
        if (r.exitCode !== 0) throw new Error(`rndc delzone ${zone}: ${r.stdout}${r.stderr}`);
        return;
      }
      const view = pdnsViews(pdnsConfDir).find((v) => pdnsQuery(join(root, 'var', 'lib', 'powerdns', `${v}.sqlite3`), 'SELECT 1 FROM domains WHERE name = ?', zone).length > 0);
      if (view === undefined) throw new Error(`no PowerDNS instance holds ${zone}`);
      const conf = readFileSync(join(pdnsConfDir, `pdns-${view}.conf`), 'utf8');
      const port = /^webserver-port=(\d+)$/m.exec(conf)?.[1];
      const key = /^api-key=(\w+)$/m.exec(conf)?.[1] as string;
      const r = await run('curl', ['-s', '-o', '/dev/null', '-w', '%{http_code}', '-X', 'DELETE', '-H', `X-API-Key: ${key}`, `http://127.0.0.1:${port}/api/v1/servers/localhost/zones/${zone}.`]);
      if (r.stdout !== '204') throw new Error(`PowerDNS API DELETE ${zone}: ${r.stdout}${r.stderr}`);
    },
    retransfersOf(zone) {
      const needle = NAME_SERVER === 'bind' ? `received control channel command 'retransfer ${zone} IN _dnsmgr'` : `"PUT /api/v1/servers/localhost/zones/${zone}./axfr-retrieve HTTP`;
      return inst.nameServerLog().split(needle).length - 1;
    },
    nameServerLog() {
      if (NAME_SERVER === 'bind') return existsSync(namedLog) ? readFileSync(namedLog, 'utf8') : '';
      const dir = join(root, 'var', 'log', 'powerdns');
      return existsSync(dir) ? readdirSync(dir).sort().map((f) => readFileSync(join(dir, f), 'utf8')).join('') : '';
    },
    zoneCommands() {
      const lines = inst.nameServerLog().split('\n');
      if (NAME_SERVER === 'bind') return lines.filter((l) => /received control channel command '(addzone|modzone|delzone|retransfer|refresh) /.test(l));
      return lines.filter((l) => /\[webserver\].*"(POST|PUT|PATCH|DELETE) \/api\/v1\/servers\/localhost\/zones/.test(l));
    },
    async snapshot() {
      if (NAME_SERVER === 'bind') {
        const views = readFileSync(join(root, 'etc', 'named', 'dnsmgr-views.conf'), 'utf8');
        const nzd = (await nsExec(ns, 'named-nzd2nzf', [join(root, 'var', 'named', 'nzd', '_dnsmgr.nzd')], { reject: false })).stdout;
        return `${views}\n${nzd}`;
      }
      return pdnsViews(pdnsConfDir).sort().map((view) => {
        const zones = pdnsQuery(join(root, 'var', 'lib', 'powerdns', `${view}.sqlite3`), `SELECT d.name, d.master, d.type,
          (SELECT group_concat(m.kind || '=' || m.content, ' ') FROM domainmetadata m WHERE m.domain_id = d.id) AS meta
          FROM domains d ORDER BY d.name`);
        return `${readFileSync(join(pdnsConfDir, `pdns-${view}.conf`), 'utf8')}${JSON.stringify(zones)}\n`;
      }).join('');
    },
    cli: (args, opts) => run(process.execPath, [DNSMGR, '--root', root, ...(opts?.out ? ['-o', opts.out] : []), ...args]),
    handler: (params, auth) => run(process.execPath, [DNSMGR], {
      DNSMGR_ROOT: root,
      AUTH_USER: auth.user,
      AUTH_LEVEL: String(auth.level),
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`PARAM_${k}`, v])),
    }, PANEL_PAGE_DOC),
    async startServe(port = 1500, host = '127.0.0.1') {
      servePort = port;
      serveHost = host;
      // Plain HTTP off the loopback is refused without --insecure; the test network is the namespaces' own.
      const insecure = /^127\./.test(host) ? [] : ['--insecure'];
      const child = nsSpawn(ns, process.execPath, [DNSMGR, '--root', root, 'serve', '--listen', `${host}:${port}`, ...insecure], { logFile: join(root, 'serve.log') });
      const stop = async () => { child.kill('SIGTERM'); await child; };
      stoppers.push(stop);
      inst.stopServe = async () => { stoppers.splice(stoppers.indexOf(stop), 1); await stop(); };
      for (let i = 0; i < 100; i++) {
        const r = await run(process.execPath, [HTTP_CLIENT, 'GET', `http://${host}:${port}/dnsmgr?func=domain`]);
        if (r.exitCode === 0) return;
        await sleep(100);
      }
      throw new Error('dnsmgr serve did not start');
    },
    async stopServe() {
      // replaced by startServe
    },
    async http(params, method = 'GET', path = '/dnsmgr') {
      const query = new URLSearchParams(params).toString();
      const url = `http://${serveHost}:${servePort}${path}${method === 'GET' && query !== '' ? `?${query}` : ''}`;
      const r = await run(process.execPath, [HTTP_CLIENT, method, url, ...(method === 'POST' ? [query] : [])]);
      if (r.exitCode !== 0) throw new Error(`HTTP client failed: ${r.stderr}`);
      const nl = r.stdout.indexOf('\n');
      return { status: Number(r.stdout.slice(0, nl)), body: r.stdout.slice(nl + 1) };
    },
    rndc: (args) => run('rndc', ['-k', join(root, 'etc', 'named', 'rndc.key'), '-s', '127.0.0.1', '-p', '953', ...args]),
    async addUser(name, passwd, ip, ip6) {
      for (const addr of [ip, ...(ip6 ? [ip6] : [])]) {
        const r = await inst.cli(['ipaddr.edit', `name=${addr}`, 'sok=ok']);
        if (r.stdout !== 'OK\n') throw new Error(`ipaddr.edit ${addr}: ${r.stdout}${r.stderr}`);
      }
      const r = await inst.cli(['user.edit', `name=${name}`, `passwd=${passwd}`, `ip=${ip}`, ...(ip6 ? [`ip6=${ip6}`] : []), 'sok=ok']);
      if (r.stdout !== 'OK\n') throw new Error(`user.edit ${name}: ${r.stdout}${r.stderr}`);
    },
    async stop() {
      for (const s of stoppers.splice(0)) await s().catch(() => undefined);
      await inst.stopNamed();
      await stopPdns(pdnsConfDir);
    },
  };
  return inst;
}

/** A dnsmgr.conf text for the name server under test: `NameServer powerdns` added for PowerDNS unless it says one. */
export function withNameServer(conf: string): string {
  return NAME_SERVER === 'powerdns' && !/^NameServer /m.test(conf) ? `${conf}NameServer powerdns\n` : conf;
}

/** The views with a PowerDNS instance configuration under this directory. */
function pdnsViews(confDir: string): string[] {
  try {
    return readdirSync(confDir).flatMap((f) => /^pdns-(.+)\.conf$/.exec(f)?.[1] ?? []);
  } catch {
    return [];
  }
}

/** The pids of the pdns_server processes started with this configuration directory. */
function pdnsPids(confDir: string): number[] {
  return readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p)).flatMap((pid) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').includes(`--config-dir=${confDir}`) ? [Number(pid)] : [];
    } catch {
      return [];
    }
  });
}

/** Starts one instance as dnsmgr does (detached, its output to its log), and waits until it says it is ready. */
async function startPdns(ns: string, root: string, confDir: string, view: string): Promise<void> {
  const log = join(root, 'var', 'log', 'powerdns', `pdns-${view}.log`);
  const readyLines = (): number => (existsSync(log) ? readFileSync(log, 'utf8').split('Primary/secondary communicator launching').length - 1 : 0);
  const before = readyLines();
  const fd = openSync(log, 'a');
  try {
    spawn('ip', ['netns', 'exec', ns, 'pdns_server', `--config-dir=${confDir}`, `--config-name=${view}`], { detached: true, stdio: ['ignore', fd, fd] }).unref();
  } finally {
    closeSync(fd);
  }
  for (let i = 0; i < 200 && readyLines() === before; i++) await sleep(50);
  if (readyLines() === before) throw new Error(`pdns_server ${view} did not start: ${readFileSync(log, 'utf8').slice(-500)}`);
}

/** TERM to every instance of the directory, KILL after 5 s; resolves when they are gone. */
async function stopPdns(confDir: string): Promise<void> {
  const pids = pdnsPids(confDir);
  for (const pid of pids) signal(pid, 'SIGTERM');
  for (let i = 0; i < 100 && pdnsPids(confDir).length > 0; i++) await sleep(50);
  for (const pid of pdnsPids(confDir)) signal(pid, 'SIGKILL');
  for (let i = 0; i < 40 && pdnsPids(confDir).length > 0; i++) await sleep(50);
}

function signal(pid: number, sig: NodeJS.Signals): void {
  try {
    process.kill(pid, sig);
  } catch {
    // gone
  }
}

function pdnsQuery(database: string, sql: string, ...params: unknown[]): unknown[] {
  if (!existsSync(database)) return [];
  const db = new Database(database, { readonly: true });
  try {
    db.pragma('busy_timeout = 5000');
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

/**
 * pdnsutil run (in the instance's namespace) on the PowerDNS instance whose database has the zone; undefined when none
 * has it.
 */
export async function pdnsutilOn(inst: Instance, zone: string, args: readonly string[]): Promise<Result | undefined> {
  const confDir = join(inst.root, 'etc', 'powerdns');
  const view = pdnsViews(confDir).find((v) => pdnsQuery(join(inst.root, 'var', 'lib', 'powerdns', `${v}.sqlite3`), 'SELECT 1 FROM domains WHERE name = ?', zone).length > 0);
  if (view === undefined) return undefined;
  const r = await nsExec(inst.ns, 'pdnsutil', [`--config-dir=${confDir}`, `--config-name=${view}`, ...args], { reject: false, timeout: 30_000 });
  return { exitCode: r.exitCode ?? -1, stdout: String(r.stdout), stderr: String(r.stderr) };
}

/** Parses mgrctl text list output: one row per line of key=value pairs (values may contain spaces). */
export function parseTextRows(stdout: string): Record<string, string>[] {
  return stdout.split('\n').filter(Boolean).map((line) => {
    const row: Record<string, string> = {};
    const re = /(\w+)=(.*?)(?= \w+=|$)/g;
    for (const m of line.matchAll(re)) row[m[1] as string] = m[2] as string;
    return row;
  });
}

/** Runs `dnsmgr <args>` on the instance and expects OK first (the command, its output and errors shown otherwise). */
export async function expectCliOk(dm: Instance, args: string[]): Promise<void> {
  const r = await dm.cli(args);
  expect(r.stdout.split('\n')[0], `${args.join(' ')}: ${r.stdout}${r.stderr}`).toBe('OK');
}
