// addon/dnsmgr starts lib/dnsmgr.cjs through V8's code cache: the cache is written beside it by the first run,
// used by the next, and never used for another bundle (V8 itself checks only the source's length); the first run of
// each new kind of request takes what it compiled into it, and rare commands leave it alone.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A copy of the built addon (test/global-setup.ts builds it): `-i` needs no database, so no node_modules either.
const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-launcher-'));
cpSync(resolve('addon'), dir, { recursive: true });
rmSync(join(dir, 'dnsmgr.cache'), { force: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bundle = join(dir, 'lib', 'dnsmgr.cjs');
const cache = join(dir, 'dnsmgr.cache');
const describeAll = (): string => execFileSync(process.execPath, [join(dir, 'dnsmgr'), '-i'], { encoding: 'utf8' });
/** A function run against a root with no installation: it fails, but it is a request, and it ran its own code. */
const emptyRoot = mkdtempSync(join(tmpdir(), 'dnsmgr-launcher-root-'));
afterAll(() => rmSync(emptyRoot, { recursive: true, force: true }));
const listDomains = (): number | null => spawnSync(process.execPath, [join(dir, 'dnsmgr'), '--root', emptyRoot, 'domain'], { encoding: 'utf8' }).status;
const coveredOf = (): string => readFileSync(cache, 'latin1').split('\n')[1] ?? '';
const keyOf = (): string => {
  const st = statSync(bundle);
  return `${st.size}:${st.mtimeMs}:${st.ino}:${process.version}\n`;
};

describe('the launcher', () => {
  const expected = execFileSync(process.execPath, [bundle, '-i'], { encoding: 'utf8' });

  it('writes the cache beside the bundle on the first run, keyed by the bundle file and the Node that wrote it', () => {
    expect(existsSync(cache)).toBe(false);
    expect(describeAll()).toBe(expected);
    expect(readFileSync(cache).subarray(0, keyOf().length).toString()).toBe(keyOf());
    expect(statSync(cache).size).toBeGreaterThan(10_000);
  });

  it('uses it as it is on the next runs', () => {
    const before = statSync(cache);
    expect(describeAll()).toBe(expected);
    expect(describeAll()).toBe(expected);
    expect(statSync(cache).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(cache).ino).toBe(before.ino);
  });

  it('ignores and replaces a cache written for another bundle', () => {
    const old = readFileSync(cache);
    utimesSync(bundle, new Date(), new Date(Date.now() - 60_000));
    expect(describeAll()).toBe(expected);
    const now = readFileSync(cache);
    expect(now.subarray(0, keyOf().length).toString()).toBe(keyOf());
    expect(now.equals(old)).toBe(false);
  });

  it('names what it covers, and takes in a new kind of request once, with what it had', () => {
    expect(coveredOf()).toBe('describe');
    const before = statSync(cache);
    expect(listDomains()).not.toBe(0);
    const after = statSync(cache);
    expect(coveredOf()).toBe('describe domain');
    expect(after.ino).not.toBe(before.ino);
    expect(after.size).toBeGreaterThan(before.size);
    expect(listDomains()).not.toBe(0);
    expect(describeAll()).toBe(expected);
    expect(statSync(cache).ino).toBe(after.ino);
  });

  it('is not written by a rare command (version, init, install…), whose code every request would then read', () => {
    rmSync(cache);
    expect(execFileSync(process.execPath, [join(dir, 'dnsmgr'), 'version'], { encoding: 'utf8' })).toMatch(/^dnsmgr /);
    expect(existsSync(cache)).toBe(false);
  });
});
