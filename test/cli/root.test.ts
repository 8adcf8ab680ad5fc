// The root a run works on: --root, else DNSMGR_ROOT, else the prefix the executable was installed into, else the default.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { findRoot, installedPrefix } from '../../src/cli/root';

function installedTree(): { prefix: string; link: string; real: string } {
  const prefix = mkdtempSync(join(tmpdir(), 'dnsmgr-root-'));
  const real = join(prefix, 'lib', 'dnsmgr', 'dnsmgr');
  mkdirSync(join(prefix, 'lib', 'dnsmgr'), { recursive: true });
  mkdirSync(join(prefix, 'addon'));
  writeFileSync(real, '#!/usr/bin/env node\n');
  const link = join(prefix, 'addon', 'dnsmgr');
  symlinkSync(join('..', 'lib', 'dnsmgr', 'dnsmgr'), link);
  return { prefix, link, real };
}

describe('installedPrefix', () => {
  it('follows addon/dnsmgr to <prefix>/lib/dnsmgr/dnsmgr', () => {
    const t = installedTree();
    expect(installedPrefix(t.link)).toBe(t.prefix);
    expect(installedPrefix(t.real)).toBe(t.prefix);
  });

  it('is nothing for an executable elsewhere (the source tree) or one that does not exist', () => {
    const t = installedTree();
    const elsewhere = join(t.prefix, 'addon', 'other');
    writeFileSync(elsewhere, '');
    expect(installedPrefix(elsewhere)).toBeUndefined();
    expect(installedPrefix(join(t.prefix, 'lib', 'dnsmgr', 'missing'))).toBeUndefined();
    expect(installedPrefix('/nonexistent/lib/dnsmgr/dnsmgr')).toBeUndefined();
  });
});

describe('findRoot', () => {
  it('--root, then DNSMGR_ROOT, then the installed prefix, then /usr/local/mgr5', () => {
    const t = installedTree();
    expect(findRoot('/srv/flag', { DNSMGR_ROOT: '/srv/env' }, t.link)).toBe('/srv/flag');
    expect(findRoot(undefined, { DNSMGR_ROOT: '/srv/env' }, t.link)).toBe('/srv/env');
    expect(findRoot(undefined, {}, t.link)).toBe(t.prefix);
    expect(findRoot(undefined, {}, '/nonexistent/addon/dnsmgr')).toBe('/usr/local/mgr5');
  });

  it('an empty DNSMGR_ROOT is a mistake, not the installed prefix', () => {
    expect(() => findRoot(undefined, { DNSMGR_ROOT: '' }, installedTree().link)).toThrow(/expected an absolute path/);
  });
});
