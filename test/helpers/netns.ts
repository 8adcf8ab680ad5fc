// Two network namespaces joined by a veth pair: the "master" side plays a primary name server, the "slave" side runs
// the named that dnsmgr manages. Nothing here touches the host's own interfaces or namespace.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { execa } from 'execa';
import type { ResultPromise } from 'execa';

export interface TestNet {
  /** Namespace of the primary (master) side. */
  master: string;
  /** Namespace of the secondary (slave) side. */
  slave: string;
  masterIp: '198.51.100.1';
  masterIp6: '2001:db8:100::1';
  slaveIface: 'veth-s';
  slaveIp: '198.51.100.2';
  slaveIp6: '2001:db8:100::2';
  /** Stops every process in both namespaces and deletes them. Safe to call twice. */
  destroy(): Promise<void>;
}

export interface NsExecOptions {
  env?: Record<string, string | undefined>;
  input?: string;
  /** Milliseconds; the process gets SIGTERM, then SIGKILL a second later. */
  timeout?: number;
  /** Default true, as in execa: a non-zero exit rejects. */
  reject?: boolean;
  /** Keep stdout byte-exact (execa strips the final newline by default). */
  exact?: boolean;
}

export interface NsSpawnOptions {
  /** File that receives stdout and stderr (appended). */
  logFile: string;
  env?: Record<string, string | undefined>;
}

const PREFIX = 'dnsmgr';
// <prefix>-<tag>-<pid>-<random>-<m|s>; the pid lets a later run recognise namespaces a dead process left behind.
const NAME_PATTERN = /^dnsmgr-[a-z0-9]+-(\d+)-[a-z0-9]+-[ms]$/;

/** Namespaces this process created and has not deleted yet; the exit handler removes what is left. */
const live = new Set<string>();
let exitHandlerInstalled = false;

/** Runs `file args` inside namespace `ns` (`ip netns exec`), capturing stdout/stderr as strings. */
export function nsExec(
  ns: string,
  file: string,
  args: readonly string[],
  opts: NsExecOptions = {},
): ResultPromise<{ reject: boolean }> {
  return execa('ip', ['netns', 'exec', ns, file, ...args], {
    reject: opts.reject ?? true,
    stripFinalNewline: !(opts.exact ?? false),
    ...(opts.env === undefined ? {} : { env: opts.env }),
    ...(opts.input === undefined ? {} : { input: opts.input }),
    ...(opts.timeout === undefined ? {} : { timeout: opts.timeout, forceKillAfterDelay: 1000 }),
  });
}

// A long-running process in `ns` with its output appended to a file. The kernel sends it SIGTERM when this process
// dies without cleaning up (setpriv --pdeathsig): even a SIGKILLed test worker leaves no server behind.
// `ip netns exec` and setpriv both exec, so the subprocess pid is the program's own pid.
export function nsSpawn(
  ns: string,
  file: string,
  args: readonly string[],
  opts: NsSpawnOptions,
): ResultPromise<{ reject: false; stdin: 'ignore' }> {
  return execa('ip', ['netns', 'exec', ns, 'setpriv', '--pdeathsig', 'TERM', '--', file, ...args], {
    reject: false,
    stdin: 'ignore',
    stdout: { file: opts.logFile, append: true },
    stderr: { file: opts.logFile, append: true },
    ...(opts.env === undefined ? {} : { env: opts.env }),
  });
}

/** Creates the master and slave namespaces, the veth pair between them and its addresses. */
export async function createTestNet(tag: string): Promise<TestNet> {
  await sweepStaleNamespaces();
  installExitHandler();
  const safeTag = tag.toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 12) || 'net';
  const base = `${PREFIX}-${safeTag}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const master = `${base}-m`;
  const slave = `${base}-s`;

  let destroying: Promise<void> | undefined;
  const destroy = (): Promise<void> => {
    destroying ??= destroyNamespaces([master, slave]);
    return destroying;
  };

  try {
    for (const ns of [master, slave]) {
      await execa('ip', ['netns', 'add', ns]);
      live.add(ns);
    }
    // One `ip -batch` per side; the veth pair is created inside the master namespace with its peer moved straight
    // into the slave namespace, so no interface ever exists in the host namespace.
    await ipBatch(master, [
      'link set lo up',
      `link add veth-m type veth peer name veth-s netns ${slave}`,
      'addr add 198.51.100.1/24 dev veth-m',
      'addr add 2001:db8:100::1/64 dev veth-m nodad',
      'link set veth-m up',
    ]);
    await ipBatch(slave, [
      'link set lo up',
      'addr add 198.51.100.2/24 dev veth-s',
      'addr add 2001:db8:100::2/64 dev veth-s nodad',
      'link set veth-s up',
    ]);
  } catch (error) {
    await destroy();
    throw error;
  }

  return {
    master,
    slave,
    masterIp: '198.51.100.1',
    masterIp6: '2001:db8:100::1',
    slaveIface: 'veth-s',
    slaveIp: '198.51.100.2',
    slaveIp6: '2001:db8:100::2',
    destroy,
  };
}

/** Pids of every process whose network namespace is `ns` (empty if the namespace is gone). */
export async function nsPids(ns: string): Promise<number[]> {
  const result = await execa('ip', ['netns', 'pids', ns], { reject: false });
  return result.exitCode === 0 ? parsePids(result.stdout) : [];
}

/** Namespaces that exist right now (`ip netns list`), names only. */
export async function listNamespaces(): Promise<string[]> {
  const result = await execa('ip', ['netns', 'list']);
  return parseNetnsList(result.stdout);
}

async function ipBatch(ns: string, commands: string[]): Promise<void> {
  await execa('ip', ['-n', ns, '-batch', '-'], { input: `${commands.join('\n')}\n` });
}

// SIGTERM first so named can shut down cleanly, SIGKILL for whatever is still there after 3 s.
async function destroyNamespaces(names: string[]): Promise<void> {
  for (const ns of names) signalAll(await nsPids(ns), 'SIGTERM');
  const deadline = Date.now() + 3000;
  for (const ns of names) {
    while ((await nsPids(ns)).length > 0 && Date.now() < deadline) await sleep(50);
    signalAll(await nsPids(ns), 'SIGKILL');
  }
  for (const ns of names) {
    if ((await listNamespaces()).includes(ns)) await execa('ip', ['netns', 'del', ns]);
    live.delete(ns);
  }
}

function signalAll(pids: number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

function parsePids(text: string): number[] {
  return text
    .split('\n')
    .map((line) => Number.parseInt(line.trim(), 10))
    .filter((pid) => Number.isInteger(pid) && pid > 0);
}

function parseNetnsList(text: string): string[] {
  // Lines look like "name" or "name (id: 3)".
  return text
    .split('\n')
    .map((line) => line.trim().split(/\s+/)[0] ?? '')
    .filter((name) => name !== '');
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

// A test worker killed outright (SIGKILL, OOM) runs no exit handler; its namespaces carry its pid, so the next run
// removes those whose owner is gone. Namespaces of live processes (other test files running now) are left alone.
async function sweepStaleNamespaces(): Promise<void> {
  for (const ns of await listNamespaces()) {
    const owner = NAME_PATTERN.exec(ns)?.[1];
    if (owner === undefined || isAlive(Number(owner))) continue;
    await destroyNamespaces([ns]).catch(() => undefined);
  }
}

// Last resort when a test forgot destroy() or threw before afterAll. 'exit' covers a normal end (handlers must be
// synchronous); the signals cover how test runners end workers: vitest's fork pool sends SIGTERM (SIGKILL a second
// later), and SIGTERM ends node without an 'exit' event. After cleaning up, the signal is raised again so whoever
// else listens (execa's child cleanup) runs and the process still dies of it.
function installExitHandler(): void {
  if (exitHandlerInstalled) return;
  exitHandlerInstalled = true;
  process.on('exit', removeLiveNamespacesSync);
  for (const signal of ['SIGTERM', 'SIGINT', 'SIGHUP'] as const) {
    const onSignal = (): void => {
      removeLiveNamespacesSync();
      process.removeListener(signal, onSignal);
      process.kill(process.pid, signal);
    };
    process.on(signal, onSignal);
  }
}

function removeLiveNamespacesSync(): void {
  for (const ns of live) {
    try {
      const pids = parsePids(execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' }));
      signalAll(pids, 'SIGKILL');
      execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' });
    } catch {
      // nothing more can be done while exiting
    }
  }
  live.clear();
}
