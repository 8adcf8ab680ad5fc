// FileLock: the lock between processes under the root lock, NzdLock and the PowerDNS instances' lock (their own tests
// exercise the sides). Two connections on one file stand for two processes.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { FileLock, holdExclusiveNow } from '../../src/store/file-lock';

const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-file-lock-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const busy = (): Error => new Error('busy');
const quick = { sharedWaitMs: 100, exclusiveWaitMs: 100 };

describe('FileLock', () => {
  it('refuses the exclusive side now while the shared one is held, and the shared side while it is held now', async () => {
    const file = join(dir, 'a', 'x.lock');
    const lock = new FileLock(file, quick, busy);
    await lock.shared(async () => {
      expect(holdExclusiveNow(file)).toBeUndefined();
    });
    const held = holdExclusiveNow(file);
    expect(held).toBeDefined();
    await expect(lock.shared(async () => 'ran')).rejects.toThrow('busy');
    held?.release();
    held?.release();
    expect(await lock.shared(async () => 'ran')).toBe('ran');
  });

  it('writes nothing beside the lock file, on either side', async () => {
    const sub = join(dir, 'b');
    const lock = new FileLock(join(sub, 'x.lock'), quick, busy);
    await lock.exclusive(async () => {
      expect(readdirSync(sub)).toEqual(['x.lock']);
    });
    await lock.shared(async () => {
      expect(readdirSync(sub)).toEqual(['x.lock']);
    });
  });
});
