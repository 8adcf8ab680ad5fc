// named as the child of `run`: started, watched, restarted with backoff when it dies, stopped when run stops. And
// what run leaves behind about it, so that a later run can stop a named whose run was killed outright.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { safeUnlink, writeFileAtomic } from '../../files/atomic-write';

export const BACKOFF = {
  firstMs: 1000,
  maxMs: 60_000,
  /** Up this long, named counts as healthy again: the next failure waits firstMs. */
  stableMs: 120_000,
};
const STOP_GRACE_MS = 10_000;
const READY_POLL_MS = 200;

/** The wait before restart number `failures` in a row: 1 s, 2 s, 4 s … capped at a minute. */
export function restartDelayMs(failures: number): number {
  return Math.min(BACKOFF.maxMs, BACKOFF.firstMs * 2 ** Math.max(0, failures - 1));
}

export interface SupervisorOptions {
  command: string;
  args: readonly string[];
  /** Receives named's stdout and stderr. */
  logFd: number;
  /** Whether named answers (rndc status). */
  ready(): Promise<boolean>;
  startTimeoutMs: number;
  /** Says what happened to named, where the administrator looks. */
  report(message: string): void;
  /** Called once a restarted named answers. */
  onRestart(): Promise<void>;
  /** Called with each new named's pid. */
  onSpawn(pid: number): void;
}

interface Running {
  proc: ChildProcess;
  /** How it ended ("status 1", "signal SIGKILL"); never rejects. */
  exited: Promise<string>;
  done: boolean;
}

export type StartResult = { ok: true; pid: number } | { ok: false; why: string };

export class NamedSupervisor {
  private current?: Running;
  private stopping = false;
  private wake?: () => void;
  private watching?: Promise<void>;

  constructor(private readonly o: SupervisorOptions) {}

  get pid(): number | undefined {
    return this.current?.proc.pid;
  }

  /** The first start: named must answer within startTimeoutMs, or it is stopped and the reason returned. */
  async start(): Promise<StartResult> {
    const first = this.spawn();
    const state = await this.waitReady(first);
    if (state === 'ready') {
      this.watching = this.watch(first);
      return { ok: true, pid: first.proc.pid as number };
    }
    await this.stop();
    if (state === 'exited') return { ok: false, why: `named exited at start (${await first.exited})` };
    if (state === 'stopped') return { ok: false, why: 'stopped before named answered' };
    return { ok: false, why: `named did not answer rndc within ${this.o.startTimeoutMs / 1000} s` };
  }

  /** SIGTERM to named (SIGKILL after 10 s), no restart after it; resolves once named is gone. Safe to call twice. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const running = this.current;
    if (running && !running.done) {
      running.proc.kill('SIGTERM');
      // An unref'd timer: once named is gone, the grace period must not keep the process alive.
      const gone = await Promise.race([running.exited.then(() => true), sleep(STOP_GRACE_MS, false, { ref: false })]);
      if (!gone) running.proc.kill('SIGKILL');
      await running.exited;
    }
    await this.watching;
  }

  private spawn(): Running {
    const proc = spawn(this.o.command, [...this.o.args], { stdio: ['ignore', this.o.logFd, this.o.logFd] });
    const running: Running = {
      proc,
      done: false,
      exited: new Promise<string>((resolve) => {
        proc.once('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `status ${code ?? '?'}`));
        // Could not be started at all (no such program): no 'exit' follows.
        proc.once('error', (err) => resolve(err.message));
      }).then((how) => {
        running.done = true;
        return how;
      }),
    };
    this.current = running;
    if (proc.pid !== undefined) this.o.onSpawn(proc.pid);
    return running;
  }

  private async waitReady(running: Running): Promise<'ready' | 'exited' | 'timeout' | 'stopped'> {
    const deadline = Date.now() + this.o.startTimeoutMs;
    for (;;) {
      if (this.stopping) return 'stopped';
      if (running.done) return 'exited';
      if (await this.o.ready().catch(() => false)) return running.done ? 'exited' : 'ready';
      if (Date.now() > deadline) return 'timeout';
      await Promise.race([sleep(READY_POLL_MS), running.exited]);
    }
  }

  private async watch(first: Running): Promise<void> {
    let running = first;
    let startedAt = Date.now();
    let failures = 0;
    for (;;) {
      const how = await running.exited;
      if (this.stopping) return;
      const upMs = Date.now() - startedAt;
      failures = upMs >= BACKOFF.stableMs ? 1 : failures + 1;
      const delay = restartDelayMs(failures);
      this.o.report(`named exited (${how}) after ${seconds(upMs)}; restarting it in ${seconds(delay)}`);
      await this.pause(delay);
      if (this.stopping) return;
      running = this.spawn();
      startedAt = Date.now();
      const state = await this.waitReady(running);
      if (state === 'stopped') return;
      if (state === 'timeout') {
        this.o.report(`named (pid ${running.proc.pid}) did not answer rndc within ${seconds(this.o.startTimeoutMs)}; killing it`);
        running.proc.kill('SIGKILL');
        continue;
      }
      if (state === 'exited') continue;
      this.o.report(`named restarted (pid ${running.proc.pid})`);
      await this.o.onRestart().catch((err: unknown) => this.o.report(`after named restarted: ${err instanceof Error ? err.message : String(err)}`));
    }
  }

  private async pause(ms: number): Promise<void> {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
  }
}

function seconds(ms: number): string {
  return `${Math.round(ms / 100) / 10} s`;
}

// ---- What run leaves about its named: "<pid> <start time>", so a recycled pid is never taken for it. ----

/**
 * The process's start time in clock ticks since boot (/proc/<pid>/stat field 22); undefined when it is gone or a
 * zombie (dead, waiting for a parent that may never reap it).
 */
export function startTimeOf(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields are counted after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return fields[0] === 'Z' || fields[0] === 'X' ? undefined : fields[19];
  } catch {
    return undefined;
  }
}

export function recordChild(file: string, pid: number): void {
  const start = startTimeOf(pid);
  if (start !== undefined) writeFileAtomic(file, `${pid} ${start}\n`, 0o644);
}

/** The named an earlier run recorded, if that very process is still alive. */
export function recordedChild(file: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const [pid, start] = text.trim().split(' ');
  const n = Number(pid);
  return Number.isSafeInteger(n) && n > 0 && start !== undefined && startTimeOf(n) === start ? n : undefined;
}

export function forgetChild(file: string): void {
  safeUnlink(file);
}

/** Stops a process: SIGTERM, then SIGKILL after the grace time; resolves once it is gone. */
export async function terminate(pid: number): Promise<void> {
  const start = startTimeOf(pid);
  const alive = (): boolean => start !== undefined && startTimeOf(pid) === start;
  const signal = (s: NodeJS.Signals): void => {
    try {
      process.kill(pid, s);
    } catch {
      // gone already
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (alive() && Date.now() < deadline) await sleep(100);
  if (alive()) signal('SIGKILL');
  while (alive()) await sleep(50);
}

/** Pids of the named processes started with `-c <conf>` (every way named's argv may say it), from /proc. */
export function namedProcessesUsing(conf: string): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let argv: string[];
    try {
      argv = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (basename(argv[0] ?? '') !== 'named') continue;
    if (argv.some((a, i) => (a === '-c' && argv[i + 1] === conf) || a === `-c${conf}`)) pids.push(Number(entry));
  }
  return pids;
}
