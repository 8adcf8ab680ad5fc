// Directories dnsmgr makes for named take the owner of the directory they are made in.
import { execFileSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { mkdirLikeParent } from '../../src/files/mkdir-like-parent';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-mkdir-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const bind = { uid: Number(execFileSync('id', ['-u', 'bind'], { encoding: 'utf8' })), gid: Number(execFileSync('id', ['-g', 'bind'], { encoding: 'utf8' })) };

describe('mkdirLikeParent', () => {
  it('gives every directory it creates the owner of the one it was created in, and leaves existing ones alone', () => {
    const zones = join(tmp, 'slave');
    mkdirSync(zones);
    chownSync(zones, bind.uid, bind.gid);
    mkdirLikeParent(join(zones, 'alice', 'deeper'));
    for (const d of [join(zones, 'alice'), join(zones, 'alice', 'deeper')]) expect([statSync(d).uid, statSync(d).gid]).toEqual([bind.uid, bind.gid]);
    mkdirLikeParent(join(tmp, 'root-owned', 'view'));
    expect(statSync(join(tmp, 'root-owned', 'view')).uid).toBe(0);
    chownSync(join(zones, 'alice'), 0, 0);
    mkdirLikeParent(join(zones, 'alice'));
    expect(statSync(join(zones, 'alice')).uid).toBe(0);
  });
});
