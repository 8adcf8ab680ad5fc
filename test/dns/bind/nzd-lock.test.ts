// NzdLock: the shared side for commands that make named read or write a new-zones database, the exclusive side for a
// bulk rewrite. Two instances on one file stand for two processes (SQLite's locks hold between connections as between
// processes).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { NzdLock } from '../../../src/dns/bind/nzd-lock';
import { ToolError } from '../../../src/errors';

const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-nzd-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const lockFile = (): string => join(dir, 'run', `nzd-${++n}.lock`);
const quick = { sharedWaitMs: 150, exclusiveWaitMs: 150 };

/** A promise and the function that settles it. */
function gate(): { opened: Promise<void>; open: () => void } {
  let open = (): void => undefined;
  const opened = new Promise<void>((resolve) => { open = resolve; });
  return { opened, open };
}

describe('NzdLock', () => {
  it('gives up the exclusive side (undefined, nothing run) while another process holds the shared one, and takes it after', async () => {
    const file = lockFile();
    const a = new NzdLock(file, quick);
    const b = new NzdLock(file, quick);
    const g = gate();
    const held = a.shared(() => g.opened);
    await new Promise((r) => setTimeout(r, 20));
    let ran = false;
    expect(await b.exclusive(async () => { ran = true; })).toBeUndefined();
    expect(ran).toBe(false);
    g.open();
    await held;
    expect(await b.exclusive(async () => 'done')).toEqual({ value: 'done' });
  });

  it('keeps the shared side waiting while another process holds the exclusive one, and fails it clearly past the wait', async () => {
    const file = lockFile();
    const a = new NzdLock(file, quick);
    const b = new NzdLock(file, quick);
    const g = gate();
    const loading = a.exclusive(() => g.opened);
    await new Promise((r) => setTimeout(r, 20));
    await expect(b.shared(async () => 'sent')).rejects.toBeInstanceOf(ToolError);
    const waiting = b.shared(async () => 'sent');
    g.open();
    await loading;
    expect(await waiting).toBe('sent');
  });

  it('in one process: holders share one read lock; the exclusive side waits for them, and they for it', async () => {
    const lock = new NzdLock(lockFile(), { sharedWaitMs: 5_000, exclusiveWaitMs: 5_000 });
    const order: string[] = [];
    const g = gate();
    const first = lock.shared(async () => { order.push('shared 1'); await g.opened; order.push('shared 1 done'); });
    const second = lock.shared(async () => { order.push('shared 2'); });
    await new Promise((r) => setTimeout(r, 20));
    const bulk = lock.exclusive(async () => { order.push('exclusive'); });
    const after = (async () => { await new Promise((r) => setTimeout(r, 40)); await lock.shared(async () => { order.push('shared 3'); }); })();
    await new Promise((r) => setTimeout(r, 20));
    g.open();
    await Promise.all([first, second, bulk, after]);
    expect(order).toEqual(['shared 1', 'shared 2', 'shared 1 done', 'exclusive', 'shared 3']);
  });

  it('gives the lock back when the work throws, on either side', async () => {
    const file = lockFile();
    const a = new NzdLock(file, quick);
    const b = new NzdLock(file, quick);
    await expect(a.shared(async () => { throw new Error('boom'); })).rejects.toThrow('boom');
    await expect(a.exclusive(async () => { throw new Error('bang'); })).rejects.toThrow('bang');
    expect(await b.exclusive(async () => 1)).toEqual({ value: 1 });
    expect(await b.shared(async () => 2)).toBe(2);
  });
});
