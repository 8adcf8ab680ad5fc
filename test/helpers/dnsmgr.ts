// A dnsmgr installation under test: its own root, its named in the slave namespace, and each front door to drive it.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { nsExec, nsSpawn } from './netns';
import type { TestNet } from './netns';
import { startNamed } from './named-process';
import type { NamedProcess } from './named-process';

export const DNSMGR = resolve('addon/dnsmgr');
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
  await writeFile(join(root, 'etc', 'dnsmgr.conf'), conf);
  let servePort = 0;
  let serveHost = '127.0.0.1';
  const stoppers: (() => Promise<void>)[] = [];

  const run = async (file: string, args: readonly string[], env?: Record<string, string>): Promise<Result> => {
    const r = await nsExec(ns, file, args, { reject: false, exact: true, timeout: 60_000, ...(env ? { env } : {}) });
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
    cli: (args, opts) => run(process.execPath, [DNSMGR, '--root', root, ...(opts?.out ? ['-o', opts.out] : []), ...args]),
    handler: (params, auth) => run(process.execPath, [DNSMGR], {
      DNSMGR_ROOT: root,
      AUTH_USER: auth.user,
      AUTH_LEVEL: String(auth.level),
      ...Object.fromEntries(Object.entries(params).map(([k, v]) => [`PARAM_${k}`, v])),
    }),
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
    },
  };
  return inst;
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
