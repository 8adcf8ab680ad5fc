// addon/dnsmgr starts lib/dnsmgr.cjs through V8's code cache: a cache per kind of request, written beside it by the
// first run of that kind (provisional) and again by the next one that succeeds (for good), used by the runs after, and
// never used for another bundle (V8 itself checks only the source's length); rare commands write none.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

// A copy of the built addon (test/global-setup.ts builds it): `-i` needs no database, so no node_modules either.
const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-launcher-'));
cpSync(resolve('addon'), dir, { recursive: true });
rmSync(join(dir, 'dnsmgr-cache'), { recursive: true, force: true });
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const bundle = join(dir, 'lib', 'dnsmgr.cjs');
const caches = join(dir, 'dnsmgr-cache');
const cacheOf = (kind: string): string => join(caches, kind);
const describeAll = (): string => execFileSync(process.execPath, [join(dir, 'dnsmgr'), '-i'], { encoding: 'utf8' });
/** A function run against a root with no installation: it fails, but it is a request, and it ran its own code. */
const emptyRoot = mkdtempSync(join(tmpdir(), 'dnsmgr-launcher-root-'));
afterAll(() => rmSync(emptyRoot, { recursive: true, force: true }));
const run = (...args: string[]): number | null => spawnSync(process.execPath, [join(dir, 'dnsmgr'), '--root', emptyRoot, ...args], { encoding: 'utf8' }).status;
const asPanel = (env: Record<string, string>): number | null =>
  spawnSync(process.execPath, [join(dir, 'dnsmgr')], { encoding: 'utf8', env: { ...process.env, DNSMGR_ROOT: emptyRoot, AUTH_USER: 'root', AUTH_LEVEL: '30', ...env } }).status;
/** The first line of a cache: the bundle file and the Node that wrote it, and whether it is provisional. */
const keyOf = (provisional = false): string => {
  const st = statSync(bundle);
  return `${st.size}:${st.mtimeMs}:${st.ino}:${process.version}${provisional ? ' provisional' : ''}\n`;
};
const headerOf = (kind: string): string => {
  const file = readFileSync(cacheOf(kind));
  return file.subarray(0, file.indexOf(10) + 1).toString();
};

// What the bundle says with no cache at all: from a copy of its own, whose launcher compiles it from source.
const reference = mkdtempSync(join(tmpdir(), 'dnsmgr-launcher-ref-'));
cpSync(dir, reference, { recursive: true });
afterAll(() => rmSync(reference, { recursive: true, force: true }));

describe('the launcher', () => {
  const expected = execFileSync(process.execPath, [join(reference, 'dnsmgr'), '-i'], { encoding: 'utf8' });

  it('writes the cache of a kind beside the bundle on its first run, provisional, keyed by the bundle file and the Node that wrote it', () => {
    expect(expected).toMatch(/^domain\.edit +form /m);
    expect(existsSync(caches)).toBe(false);
    expect(describeAll()).toBe(expected);
    expect(readdirSync(caches)).toEqual(['describe']);
    expect(headerOf('describe')).toBe(keyOf(true));
    expect(statSync(cacheOf('describe')).size).toBeGreaterThan(10_000);
  });

  it('writes it for good on the next run that succeeds, and uses it as it is on the runs after', () => {
    const provisional = statSync(cacheOf('describe'));
    expect(describeAll()).toBe(expected);
    expect(headerOf('describe')).toBe(keyOf());
    const before = statSync(cacheOf('describe'));
    expect(before.ino).not.toBe(provisional.ino);
    expect(describeAll()).toBe(expected);
    expect(describeAll()).toBe(expected);
    expect(statSync(cacheOf('describe')).mtimeMs).toBe(before.mtimeMs);
    expect(statSync(cacheOf('describe')).ino).toBe(before.ino);
  });

  it('ignores and replaces a cache written for another bundle', () => {
    const old = readFileSync(cacheOf('describe'));
    utimesSync(bundle, new Date(), new Date(Date.now() - 60_000));
    expect(describeAll()).toBe(expected);
    const now = readFileSync(cacheOf('describe'));
    expect(headerOf('describe')).toBe(keyOf(true));
    expect(now.equals(old)).toBe(false);
  });

  it('gives each kind of request a cache of its own: the function, +sok for a submitted form, from the command line or PARAM_*', () => {
    expect(run('domain')).not.toBe(0);
    expect(run('-o', 'json', 'domain.edit', 'name=x.example', 'sok=ok')).not.toBe(0);
    expect(asPanel({ PARAM_func: 'user.edit' })).not.toBe(undefined);
    expect(asPanel({ PARAM_func: 'user.edit', PARAM_sok: 'ok' })).not.toBe(undefined);
    expect(readdirSync(caches).sort()).toEqual(['describe', 'domain', 'domain.edit+sok', 'user.edit', 'user.edit+sok']);
    const domain = statSync(cacheOf('domain'));
    // A run that fails does not make a provisional cache final.
    expect(run('domain')).not.toBe(0);
    expect(describeAll()).toBe(expected);
    expect(statSync(cacheOf('domain')).ino).toBe(domain.ino);
    expect(headerOf('domain')).toBe(keyOf(true));
  });

  it('is not written by a rare command (version, init, install…) nor for a function that does not exist', () => {
    rmSync(caches, { recursive: true });
    expect(execFileSync(process.execPath, [join(dir, 'dnsmgr'), 'version'], { encoding: 'utf8' })).toMatch(/^dnsmgr /);
    expect(run('no.such.func')).not.toBe(0);
    expect(existsSync(caches) ? readdirSync(caches) : []).toEqual([]);
  });
});
