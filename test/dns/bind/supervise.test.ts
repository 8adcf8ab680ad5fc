// named's supervisor with a stand-in for named (a tiny program run the same way): restarts with backoff, reports each
// event, stops without a restart; and the record that lets a later run tell its own leftover named from a stranger.
import { spawn } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { BACKOFF, NamedSupervisor, recordChild, recordedChild, restartDelayMs, startTimeOf, terminate } from '../../../src/dns/bind/supervise';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-supervise-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('restartDelayMs', () => {
  it('doubles from a second up to a minute', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 20].map(restartDelayMs)).toEqual([1000, 2000, 4000, 8000, 16_000, 32_000, 60_000, 60_000, 60_000]);
    expect(BACKOFF.stableMs).toBeGreaterThanOrEqual(BACKOFF.maxMs);
  });
});

describe('NamedSupervisor', () => {
  it('restarts what dies, says so, calls onRestart, and on stop ends it without a restart', async () => {
    const reports: string[] = [];
    const pids: number[] = [];
    let restarted = 0;
    // The stand-in answers "ready" as soon as it runs; it is killed from outside, as named was in the issue.
    const sup = new NamedSupervisor({
      command: process.execPath,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      logFd: openSync(join(tmp, 'child.log'), 'a'),
      ready: async () => pids.length > 0 && startTimeOf(pids.at(-1) as number) !== undefined,
      startTimeoutMs: 5000,
      report: (m) => reports.push(m),
      onSpawn: (pid) => pids.push(pid),
      onRestart: async () => { restarted += 1; },
    });
    const started = await sup.start();
    expect(started).toEqual({ ok: true, pid: pids[0] });
    process.kill(pids[0] as number, 'SIGKILL');
    await waitUntil(() => restarted === 1, 5000);
    expect(reports[0]).toMatch(/^named exited \(signal SIGKILL\) after [\d.]+ s; restarting it in 1 s$/);
    expect(reports[1]).toBe(`named restarted (pid ${pids[1]})`);
    expect(sup.pid).toBe(pids[1]);
    await sup.stop();
    expect(startTimeOf(pids[1] as number)).toBeUndefined();
    expect(reports).toHaveLength(2);
    expect(pids).toHaveLength(2);
  });

  it('gives up at the first start when named exits, with the reason', async () => {
    const sup = new NamedSupervisor({
      command: process.execPath, args: ['-e', 'process.exit(3)'], logFd: openSync(join(tmp, 'child.log'), 'a'),
      ready: async () => false, startTimeoutMs: 5000, report: () => undefined, onSpawn: () => undefined, onRestart: async () => undefined,
    });
    expect(await sup.start()).toEqual({ ok: false, why: 'named exited at start (status 3)' });
  });
});

describe('the record of run\'s named', () => {
  it('names a live process only while that very process lives; a recycled pid does not match its start time', async () => {
    const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    const file = join(tmp, 'named.child');
    recordChild(file, child.pid as number);
    expect(recordedChild(file)).toBe(child.pid);
    writeFileSync(file, `${child.pid} 1\n`);
    expect(recordedChild(file)).toBeUndefined();
    recordChild(file, child.pid as number);
    await terminate(child.pid as number);
    expect(recordedChild(file)).toBeUndefined();
  });
});

async function waitUntil(done: () => boolean, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 50));
  }
}
