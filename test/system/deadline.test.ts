// The time limit on waits for named's answers: it fires once the time has passed, and never once cancelled.
import { describe, expect, it } from 'vitest';
import { deadline } from '../../src/system/deadline';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('deadline', () => {
  it('calls back once the time has passed, not before', async () => {
    const started = Date.now();
    let at: number | undefined;
    deadline(150, () => { at = Date.now() - started; });
    await sleep(60);
    expect(at).toBeUndefined();
    await sleep(400);
    expect(at).toBeGreaterThanOrEqual(140);
  });

  it('never calls back once cancelled, however long the wait', async () => {
    let fired = 0;
    const cancel = deadline(50, () => { fired++; });
    cancel();
    cancel();
    await sleep(200);
    expect(fired).toBe(0);
  });

  it('past the first few waits of a process (on an ordinary timer), the same: each fires unless cancelled', async () => {
    const fired: number[] = [];
    const cancels = Array.from({ length: 20 }, (_, i) => deadline(150, () => fired.push(i)));
    cancels.forEach((cancel, i) => { if (i % 2 === 1) cancel(); });
    await sleep(60);
    expect(fired).toEqual([]);
    await sleep(400);
    expect(fired.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i * 2));
  });

  it('given no time, calls back at once (after the current task)', async () => {
    let fired = false;
    deadline(0, () => { fired = true; });
    expect(fired).toBe(false);
    await sleep(20);
    expect(fired).toBe(true);
  });
});
