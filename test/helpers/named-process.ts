// One named process inside a test namespace: started, awaited until it serves, stopped.
import { readFile } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { nsExec, nsSpawn } from './netns';

export interface NamedProcess {
  pid: number;
  /** SIGTERM, up to 5 s to exit, then SIGKILL. Resolves once the process is gone; safe to call twice. */
  stop(): Promise<void>;
  /** Exit code, or null when named ended by a signal. Never rejects. */
  exited: Promise<number | null>;
}

export interface StartNamedOptions {
  /** Receives named's stdout and stderr (appended). */
  logFile: string;
  /** Polled every 100 ms; named counts as started once it resolves true. */
  ready: () => Promise<boolean>;
  /** Default 10 000 ms. */
  timeoutMs?: number;
  /** Extra named arguments after `-f -c <confFile>`, e.g. ['-4'] or ['-d', '3']. */
  args?: string[];
}

const STOP_GRACE_MS = 5000;

/**
 * Runs `named -f -c <confFile>` as root inside namespace `ns` and waits until `ready()` says it serves. Fails early
 * when named exits during startup, and on timeout; either way the error carries the tail of the log and named is
 * stopped.
 */
export async function startNamed(ns: string, confFile: string, opts: StartNamedOptions): Promise<NamedProcess> {
  const timeoutMs = opts.timeoutMs ?? 10_000;
  const child = nsSpawn(ns, 'named', ['-f', '-c', confFile, ...(opts.args ?? [])], { logFile: opts.logFile });
  const pid = child.pid;
  let exitCode: number | null | undefined;
  const exited = child.then(
    (result) => (exitCode = result.exitCode ?? null),
    () => (exitCode = null),
  );
  if (pid === undefined) {
    await exited;
    throw new Error(`named did not start in ${ns}: ${await logTail(opts.logFile)}`);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitCode !== undefined) return;
      child.kill('SIGTERM');
      const done = await Promise.race([exited.then(() => true), sleep(STOP_GRACE_MS).then(() => false)]);
      if (!done) child.kill('SIGKILL');
      await exited;
    })();
    return stopping;
  };

  const started = Date.now();
  for (;;) {
    if (exitCode !== undefined) {
      throw new Error(
        `named exited with ${exitCode ?? 'a signal'} while starting in ${ns} (${confFile}); log tail:\n` +
          `${await logTail(opts.logFile)}\n${await checkConf(ns, confFile)}`,
      );
    }
    if (await opts.ready().catch(() => false)) break;
    if (Date.now() - started >= timeoutMs) {
      await stop();
      throw new Error(
        `named in ${ns} (${confFile}) not ready after ${timeoutMs} ms; log tail:\n${await logTail(opts.logFile)}`,
      );
    }
    await sleep(100);
  }
  return { pid, stop, exited };
}

// With -f, named reports errors found before its logging statement takes effect to syslog only, which nobody reads
// here: named-checkconf says what is wrong with the file.
async function checkConf(ns: string, confFile: string): Promise<string> {
  const result = await nsExec(ns, 'named-checkconf', [confFile], { reject: false, timeout: 10_000 });
  const output = `${result.stdout}\n${result.stderr}`.trim();
  return `named-checkconf ${confFile}: exit ${result.exitCode ?? 'signal'}${output === '' ? '' : `\n${output}`}`;
}

/** The last `lines` lines of a log file, or a note that it cannot be read. */
export async function logTail(file: string, lines = 30): Promise<string> {
  try {
    const text = await readFile(file, 'utf8');
    return text.trimEnd().split('\n').slice(-lines).join('\n');
  } catch (error) {
    return `(cannot read ${file}: ${(error as Error).message})`;
  }
}
