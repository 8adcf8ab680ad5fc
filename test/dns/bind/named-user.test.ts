// Who named runs as, and the files given to it: named's trees become bind's, dnsmgr's own stay root's, rndc.key is
// group-readable by bind, and a root named cannot reach is refused with a message saying what to do.
import { execFileSync } from 'node:child_process';
import { chmodSync, chownSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DnsmgrError } from '../../../src/errors';
import { loadSettings } from '../../../src/files/settings';
import { giveNamedItsFiles, namedCannotReach, namedDirsOf, resolveNamedUser } from '../../../src/dns/bind/named-user';
import type { NamedUser } from '../../../src/dns/bind/named-user';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-named-user-'));
chmodSync(tmp, 0o755);
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const id = (flag: string): number => Number(execFileSync('id', [flag, 'bind'], { encoding: 'utf8' }).trim());
const BIND: NamedUser = { name: 'bind', uid: id('-u'), gid: id('-g') };

/** A root laid out as init lays it out, with `conf` as its dnsmgr.conf. */
function makeRoot(name: string, conf = ''): string {
  const root = join(tmp, name);
  for (const d of ['etc/named', 'var/named/nzd', 'var/named/slave/alice', 'var/run/named', 'var/log/named']) mkdirSync(join(root, d), { recursive: true });
  writeFileSync(join(root, 'etc', 'dnsmgr.conf'), conf);
  for (const f of ['etc/named/named.conf', 'etc/named/dnsmgr-views.conf', 'etc/named/dnsmgr-listen.conf', 'var/dnsmgr.db', 'var/log/dnsmgr.log', 'var/named/slave/alice/a.example.db']) {
    writeFileSync(join(root, f), '');
  }
  writeFileSync(join(root, 'etc', 'named', 'rndc.key'), 'key', { mode: 0o600 });
  return root;
}

describe('resolveNamedUser', () => {
  it('defaults to Debian\'s bind, takes NamedUID/NamedGID, refuses names the system does not have, and root is root', async () => {
    expect(await resolveNamedUser(loadSettings(makeRoot('u1')))).toEqual({ user: BIND });
    expect(await resolveNamedUser(loadSettings(makeRoot('u2', 'NamedUID bind\nNamedGID bind\n')))).toEqual({ user: BIND });
    // named -u runs with the user's own groups: a group bind is not in would lock it out of rndc.key.
    await expect(resolveNamedUser(loadSettings(makeRoot('u6', 'NamedUID bind\nNamedGID root\n')))).rejects.toThrow(/'NamedGID': 'bind' \(NamedUID\) is not a member of this group/);
    expect(await resolveNamedUser(loadSettings(makeRoot('u3', 'NamedUID root\n')))).toEqual({});
    await expect(resolveNamedUser(loadSettings(makeRoot('u4', 'NamedUID nosuchuser\n')))).rejects.toThrow(/'NamedUID': no such user on this system/);
    await expect(resolveNamedUser(loadSettings(makeRoot('u5', 'NamedGID nosuchgroup\n')))).rejects.toThrow(/'NamedGID': no such group on this system/);
  });
});

describe('giveNamedItsFiles', () => {
  it('gives named its trees and the key\'s group, keeps dnsmgr\'s files root\'s, and is idempotent', () => {
    const root = makeRoot('give');
    const s = loadSettings(root);
    expect(giveNamedItsFiles(s, BIND)).toEqual([]);
    for (const p of ['var/named', 'var/named/nzd', 'var/named/slave/alice', 'var/named/slave/alice/a.example.db', 'var/run/named', 'var/log/named']) {
      expect([p, statSync(join(root, p)).uid, statSync(join(root, p)).gid]).toEqual([p, BIND.uid, BIND.gid]);
    }
    for (const p of ['etc/named/named.conf', 'var/dnsmgr.db', 'var/log/dnsmgr.log', 'var/log', 'var/run', 'etc/named']) {
      expect([p, statSync(join(root, p)).uid]).toEqual([p, 0]);
    }
    const key = statSync(join(root, 'etc', 'named', 'rndc.key'));
    expect([key.uid, key.gid, key.mode & 0o777]).toEqual([0, BIND.gid, 0o640]);
    expect(giveNamedItsFiles(s, BIND)).toEqual([]);
  });

  it('leaves a zone log sharing dnsmgr\'s directory as a file, and a directory outside the root alone, saying so', () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'dnsmgr-elsewhere-'));
    chmodSync(elsewhere, 0o755);
    try {
      const root = makeRoot('shared', `path NamedZoneLog ${tmp}/shared/var/log/zones.log\npath NamedZoneDir ${elsewhere}\n`);
      writeFileSync(join(root, 'var', 'log', 'zones.log'), '');
      const s = loadSettings(root);
      expect(namedDirsOf(s).files).toContain(join(root, 'var', 'log', 'zones.log'));
      const warnings = giveNamedItsFiles(s, BIND);
      expect(warnings).toEqual([
        `${elsewhere} is not a directory of named's under ${root}: make sure bind may write there`,
        `${join(root, 'var', 'log', 'zones.log')} shares its directory with dnsmgr's files: named cannot rotate it there (set path NamedZoneLog to a directory of its own)`,
      ]);
      expect(statSync(join(root, 'var', 'log', 'zones.log')).uid).toBe(BIND.uid);
      expect(statSync(join(root, 'var', 'log')).uid).toBe(0);
      expect(statSync(elsewhere).uid).toBe(0);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('finds a root named cannot enter, naming the directory and the way out', () => {
    const root = makeRoot('closed');
    expect(namedCannotReach(loadSettings(root), BIND)).toBeUndefined();
    chmodSync(root, 0o700);
    const err = namedCannotReach(loadSettings(root), BIND);
    expect(err).toBeInstanceOf(DnsmgrError);
    expect(err?.type).toBe('access');
    expect(err?.message).toBe(`named runs as bind and cannot enter ${root} (mode 0700): let it through (chmod o+x ${root}), or set NamedUID root in dnsmgr.conf`);
    // Owned by bind's group with g+x, it is enough.
    chownSync(root, 0, BIND.gid);
    chmodSync(root, 0o710);
    expect(namedCannotReach(loadSettings(root), BIND)).toBeUndefined();
  });
});
