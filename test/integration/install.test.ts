// Issue 4: one command installs dnsmgr into a panel tree; twice changes nothing; uninstall keeps data and configuration.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DNSMGR } from '../helpers/dnsmgr';

let base: string;
let prefix: string;
let systemd: string;
let rcLocal: string;

function dnsmgr(args: string[], env: Record<string, string> = {}, exe = DNSMGR): string {
  return execFileSync(process.execPath, [exe, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

function installArgs(cmd: 'install' | 'uninstall'): string[] {
  return [cmd, '--prefix', prefix, '--panel', 'both', '--systemd-dir', systemd, '--rc-local', rcLocal, '--no-activate'];
}

/** Every path under a directory with a digest of its content (links by target), to compare whole trees. */
function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = st.isSymbolicLink() ? `link` : `${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'dnsmgr-install-'));
  prefix = join(base, 'mgr5');
  systemd = join(base, 'systemd');
  rcLocal = join(base, 'rc.local');
  writeFileSync(rcLocal, '#!/bin/sh -e\n# local boot commands\nexit 0\n');
});

describe('install', () => {
  it('puts a complete, executable tree in the prefix', () => {
    const out = dnsmgr(installArgs('install'), { DNSMGR_ROOT_PASSWORD: 'install-pw' });
    expect(out).toContain('linked addon/dnsmgr');
    for (const p of ['addon/dnsmgr', 'addon/dnsmgr-ispmgr', 'etc/xml/dnsmgr_mod_dnsmgr.xml', 'etc/xml/ispmgr_mod_dnsmgr.xml', 'etc/dnsmgr.conf',
      'etc/named/named.conf', 'etc/named/rndc.key', 'etc/named/dnsmgr-views.conf', 'lib/dnsmgr/node_modules/better-sqlite3/package.json']) {
      expect(existsSync(join(prefix, p)), p).toBe(true);
    }
    expect(statSync(join(prefix, 'addon', 'dnsmgr')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(systemd, 'dnsmgr-bindip.service'), 'utf8')).toContain(`ExecStart=${join(prefix, 'addon', 'dnsmgr')} --root ${prefix} bindip`);
    expect(readFileSync(join(systemd, 'dnsmgr-named.service'), 'utf8')).toContain(`-c ${join(prefix, 'etc', 'named', 'named.conf')}`);
    expect(readFileSync(rcLocal, 'utf8')).toBe(`#!/bin/sh -e\n# local boot commands\n# dnsmgr: bind the namespace addresses at boot\n${join(prefix, 'addon', 'dnsmgr')} --root ${prefix} bindip\nexit 0\n`);
    execFileSync('named-checkconf', [join(prefix, 'etc', 'named', 'named.conf')]);
  });

  it('answers requests from the installed tree, as the panel runs it, on both sides', () => {
    const installed = join(prefix, 'addon', 'dnsmgr');
    expect(execFileSync(installed, ['--root', prefix, '-i', 'domain'], { encoding: 'utf8' })).toContain('domain (list');
    const handler = execFileSync(installed, [], { env: { ...process.env, DNSMGR_ROOT: prefix, PARAM_func: 'user', AUTH_USER: 'root', AUTH_LEVEL: '30' }, encoding: 'utf8' });
    expect(handler).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc/>\n');
    const isp = execFileSync(join(prefix, 'addon', 'dnsmgr-ispmgr'), [], { env: { ...process.env, DNSMGR_ROOT: prefix, PARAM_func: 'dnsslave.settings', AUTH_USER: 'root', AUTH_LEVEL: '30' }, encoding: 'utf8' });
    expect(isp).toContain('<enabled>off</enabled>');
    const hookDoc = '<?xml version="1.0"?>\n<doc><ok/></doc>\n';
    const hook = execFileSync(join(prefix, 'addon', 'dnsmgr-ispmgr'), [], { env: { ...process.env, DNSMGR_ROOT: prefix, PARAM_func: 'domain.edit', PARAM_name: 'example.com', PARAM_sok: 'ok', AUTH_USER: 'root', AUTH_LEVEL: '30' }, input: hookDoc, encoding: 'utf8' });
    expect(hook).toBe(hookDoc);
  });

  it('a second run changes nothing and never overwrites the administrator\'s configuration', () => {
    const conf = join(prefix, 'etc', 'dnsmgr.conf');
    writeFileSync(conf, '// mine\nNetworkInterface eth9\n');
    const before = { tree: treeDigest(prefix), systemd: treeDigest(systemd), rc: readFileSync(rcLocal, 'utf8') };
    expect(dnsmgr(installArgs('install'))).toBe('nothing to do: already installed\n');
    const after = { tree: treeDigest(prefix), systemd: treeDigest(systemd), rc: readFileSync(rcLocal, 'utf8') };
    // The database may have been checkpointed by the second run: compare everything but SQLite's own files.
    const strip = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([p]) => !/\.db(-wal|-shm)?$/.test(p)));
    expect(strip(after.tree)).toEqual(strip(before.tree));
    expect(after.systemd).toEqual(before.systemd);
    expect(after.rc).toBe(before.rc);
    expect(readFileSync(conf, 'utf8')).toBe('// mine\nNetworkInterface eth9\n');
  });
});

describe('uninstall', () => {
  it('removes what install put in and keeps configuration and data', () => {
    dnsmgr(installArgs('uninstall'));
    for (const p of ['addon/dnsmgr', 'addon/dnsmgr-ispmgr', 'lib/dnsmgr', 'etc/xml/dnsmgr_mod_dnsmgr.xml', 'etc/xml/ispmgr_mod_dnsmgr.xml']) {
      expect(existsSync(join(prefix, p)), p).toBe(false);
    }
    expect(readdirSync(systemd)).toEqual([]);
    expect(readFileSync(rcLocal, 'utf8')).toBe('#!/bin/sh -e\n# local boot commands\nexit 0\n');
    for (const p of ['etc/dnsmgr.conf', 'etc/dnsmgr.passwd', 'etc/named/named.conf', 'var/dnsmgr.db']) expect(existsSync(join(prefix, p)), p).toBe(true);
  });
});
