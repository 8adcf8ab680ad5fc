// A handler reads the page's document the panel writes to its standard input, even when it has no use for it, and
// never hangs on a standard input left open and empty.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { DNSMGR } from '../helpers/dnsmgr';

const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-stdin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const ispmgrExe = join(dir, 'dnsmgr-ispmgr');
symlinkSync(DNSMGR, ispmgrExe);

/** A page's document far larger than a pipe holds: the panel's write fails (EPIPE) unless the handler reads it all. */
const BIG_DOC = `<?xml version="1.0" encoding="UTF-8"?>\n<doc>${'<elem><name>x.example</name></elem>'.repeat(40_000)}</doc>\n`;
const env = (func: string) => ({ ...process.env, DNSMGR_ROOT: dir, AUTH_USER: 'root', AUTH_LEVEL: '30', PARAM_func: func });

describe('the page\'s document on standard input', () => {
  it.each([
    ['a panel plugin\'s function', ispmgrExe, 'dnsslave.queue'],
    ['dnsmgr\'s own function', DNSMGR, 'domain'],
  ])('is read to its end by %s, which answers XML', (_what, exe, func) => {
    const r = spawnSync(process.execPath, [exe], { env: env(func), input: BIG_DOC, encoding: 'utf8', argv0: exe });
    expect(r.stderr).toBe('');
    expect(r.error).toBeUndefined();
    expect(r.stdout).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<doc/);
  });

  it('left open and empty (a caller that never closes it) delays the answer a little, never holds it', async () => {
    const r = await execa(process.execPath, [ispmgrExe], { env: env('dnsslave.queue'), timeout: 10_000, reject: false });
    expect(r.timedOut).toBe(false);
    expect(r.stdout).toMatch(/^<\?xml/);
  });
});
