import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn, spawnSync } from 'node:child_process';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { PasswdEntry } from '../../src/files/passwd-codec';
import { parsePasswd, passwdEntries, renderPasswdEntries } from '../../src/files/passwd-codec';
import { App } from '../../src/app';
import { Level } from '../../src/model/level';
import type { NewAccount } from '../../src/store/accounts';
import { insertAccount, updateAccount } from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import { insertNamespace } from '../../src/store/namespaces';
import { deleteZoneRow, insertZone } from '../../src/store/zones';
import { applyWritingPasswd, passwdEntriesOf, writePasswd, writePasswdFile } from '../../src/sync/passwd';
import { writeTx } from '../../src/store/db';
import { useTempDbs } from '../store/temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

/** A bcrypt-shaped hash per account, so the file can be checked line by line. */
const hash = (c: string): string => `$2b$04$rmSfXHwhDVK4BCdI702a2Oki4oN9QH6YnpnOKWjCW//h90JbA6H2${c}`;

/**
 * alice (limit 10) owns namespace 'alice'; reseller carol owns namespace 'team', where her users erin (imported from
 * a passwd file with level 10) and alice have zones too; dave has no zones; zed's zone lives in the admin's namespace.
 * Inserted out of name order: the file follows the account ids. `crowd`: 70 more accounts after them, more than the
 * few whose file is rendered whole on every write (src/sync/passwd.ts), so that the file is patched line by line.
 */
function world(db: Db, { crowd = false } = {}): Record<'alice' | 'carol' | 'erin' | 'dave' | 'zed', number> {
  const base: NewAccount = { name: '', level: Level.user, resellerId: null, passwordHash: '', disabled: false, namespaceId: null };
  const alice = insertAccount(db, { ...base, name: 'alice', passwordHash: hash('A'), domainLimit: 10 });
  const carol = insertAccount(db, { ...base, name: 'carol', passwordHash: hash('C'), level: Level.reseller, userLimit: 5 });
  const erin = insertAccount(db, { ...base, name: 'erin', passwordHash: hash('E'), resellerId: carol, passwdLevel: 10, domainLimit: 3 });
  const dave = insertAccount(db, { ...base, name: 'dave', passwordHash: hash('D'), resellerId: carol, disabled: true });
  const zed = insertAccount(db, { ...base, name: 'zed', passwordHash: hash('Z'), domainLimit: 0 });
  const nsAlice = insertNamespace(db, 'alice', alice);
  const team = insertNamespace(db, 'team', carol);
  const admins = insertNamespace(db, 'default', null);
  updateAccount(db, alice, { namespaceId: nsAlice });
  for (const id of [carol, erin, dave]) updateAccount(db, id, { namespaceId: team });
  updateAccount(db, zed, { namespaceId: admins });
  const zone = (name: string, namespaceId: number, ownerId: number): void => {
    insertZone(db, { name: zn(name), namespaceId, ownerId, masters: ips('198.51.100.53'), claim: 'c' });
  };
  zone('alice.example', nsAlice, alice);
  zone('alice2.example', nsAlice, alice);
  zone('alice-shared.example', team, alice);
  zone('carol.example', team, carol);
  zone('erin.example', team, erin);
  zone('erin2.example', team, erin);
  zone('zed.example', admins, zed);
  if (crowd) for (let i = 0; i < 70; i++) insertAccount(db, { ...base, name: `c${i}`, passwordHash: hash('X'), domainLimit: i });
  return { alice, carol, erin, dave, zed };
}

describe('passwdEntriesOf', () => {
  it('is empty for a database without accounts', () => {
    expect(passwdEntriesOf(dbs.open())).toEqual([]);
  });

  it('gives every account in id order with reseller, level, zone counts and domain limit', () => {
    const db = dbs.open();
    world(db);
    expect(passwdEntriesOf(db)).toEqual<PasswdEntry[]>([
      // shared: zones the account owns in a namespace it does not own (alice's zone in carol's namespace).
      { login: 'alice', reseller: '', hash: hash('A'), level: Level.user, used: 3, allowed: 10, shared: 1 },
      // No domain limit: allowed 0.
      { login: 'carol', reseller: '', hash: hash('C'), level: Level.reseller, used: 1, allowed: 0, shared: 0 },
      // The level the imported file carried, not the panel's.
      { login: 'erin', reseller: 'carol', hash: hash('E'), level: 10, used: 2, allowed: 3, shared: 2 },
      { login: 'dave', reseller: 'carol', hash: hash('D'), level: Level.user, used: 0, allowed: 0, shared: 0 },
      // The admin's namespace has no owner: every zone in it is shared.
      { login: 'zed', reseller: '', hash: hash('Z'), level: Level.user, used: 1, allowed: 0, shared: 1 },
    ]);
  });

  it('follows changes of level, limit and namespace owner', () => {
    const db = dbs.open();
    const { alice, erin } = world(db);
    updateAccount(db, erin, { passwdLevel: null, level: Level.reseller });
    updateAccount(db, alice, { domainLimit: null });
    db.prepare("UPDATE namespace SET owner_id = ? WHERE name = 'team'").run(alice);
    const byLogin = new Map(passwdEntriesOf(db).map((e) => [e.login, e]));
    expect(byLogin.get('erin')).toMatchObject({ level: Level.reseller, used: 2, shared: 2 });
    expect(byLogin.get('alice')).toMatchObject({ allowed: 0, used: 3, shared: 0 });
    expect(byLogin.get('carol')).toMatchObject({ used: 1, shared: 1 });
  });

  it('renders to a file that parses back to the same entries', () => {
    const db = dbs.open();
    world(db);
    const entries = passwdEntriesOf(db);
    expect(passwdEntries(parsePasswd(renderPasswdEntries(entries)))).toEqual(entries);
  });
});

const roots: string[] = [];
const apps: App[] = [];
afterEach(() => {
  for (const app of apps.splice(0)) app.close();
});
afterAll(() => {
  for (const root of roots) rmSync(root, { recursive: true, force: true });
});

/** A real installation root whose dnsmgr.conf moves the database and the passwd file away from their defaults. */
function installation(): { app: App; passwdFile: string; etc: string } {
  const root = mkdtempSync(join(tmpdir(), 'dnsmgr-passwd-'));
  roots.push(root);
  mkdirSync(join(root, 'etc'));
  const passwdFile = join(root, 'etc', 'accounts.passwd');
  writeFileSync(join(root, 'etc', 'dnsmgr.conf'), `path Database ${join(root, 'data', 'dnsmgr.db')}\npath Passwd ${passwdFile}\n`);
  const app = new App(root);
  apps.push(app);
  return { app, passwdFile, etc: dirname(passwdFile) };
}

describe('writePasswd', () => {
  it('writes the rendered entries of the database to the configured file, mode 0600', () => {
    const { app, passwdFile } = installation();
    world(app.db);
    expect(app.settings.passwdFile).toBe(passwdFile);
    writePasswd(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    expect(readFileSync(passwdFile, 'utf8').split('\n')[2]).toBe(`erin:carol:${hash('E')}:10:2:3:2`);
    expect(statSync(passwdFile).mode & 0o777).toBe(0o600);
  });

  it('replaces a readable file whole, leaving it 0600 and no temporary file behind', () => {
    const { app, passwdFile } = installation();
    writeFileSync(passwdFile, 'old:content\n', { mode: 0o644 });
    const { dave } = world(app.db);
    writePasswd(app);
    updateAccount(app.db, dave, { domainLimit: 4 });
    writePasswd(app);
    const text = readFileSync(passwdFile, 'utf8');
    expect(text).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    expect(text).toContain(`dave:carol:${hash('D')}:16:0:4:0\n`);
    expect(text).not.toContain('old:content');
    expect(statSync(passwdFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(app.root, 'etc')).sort()).toEqual(['accounts.passwd', 'dnsmgr.conf']);
  });

  it('leaves a file that already holds the text alone, and rewrites one whose mode or text differs', () => {
    const { app, passwdFile } = installation();
    const { dave } = world(app.db);
    writePasswd(app);
    const first = statSync(passwdFile).ino;
    writePasswd(app);
    // Not replaced: the same inode (an atomic write renames a new file over it).
    expect(statSync(passwdFile).ino).toBe(first);
    chmodSync(passwdFile, 0o644);
    writePasswd(app);
    expect(statSync(passwdFile).mode & 0o777).toBe(0o600);
    const second = statSync(passwdFile).ino;
    expect(second).not.toBe(first);
    updateAccount(app.db, dave, { domainLimit: 7 });
    writePasswd(app);
    expect(statSync(passwdFile).ino).not.toBe(second);
    expect(readFileSync(passwdFile, 'utf8')).toContain(`dave:carol:${hash('D')}:16:0:7:0\n`);
  });

  it('writes an empty file for a database without accounts', () => {
    const { app, passwdFile } = installation();
    writePasswd(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe('');
  });

  it('leaves a file that holds the text, recorded, alone without reading it: a stat and a query', () => {
    const { app, passwdFile } = installation();
    world(app.db, { crowd: true });
    writePasswd(app);
    const before = statSync(passwdFile, { bigint: true });
    writePasswd(app);
    const after = statSync(passwdFile, { bigint: true });
    expect([after.ino, after.ctimeNs]).toEqual([before.ino, before.ctimeNs]);
    expect(app.db.prepare('SELECT count(*) FROM passwd_dirty').pluck().get()).toBe(0);
  });

  it('with few accounts, renders the file whole each time and records nothing: no write to the database', () => {
    const { app, passwdFile } = installation();
    const { dave } = world(app.db);
    writePasswd(app);
    const changes = (): number => app.db.prepare('SELECT total_changes()').pluck().get() as number;
    const before = changes();
    updateAccount(app.db, dave, { domainLimit: 21 });
    const afterChange = changes();
    writePasswd(app);
    expect(changes()).toBe(afterChange);
    expect(afterChange).toBeGreaterThan(before);
    expect(readFileSync(passwdFile, 'utf8')).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    expect(app.db.prepare('SELECT count(*) FROM passwd_written').pluck().get()).toBe(0);
  });

  it('replaces only the marked lines of a file still as written: a line not marked is not read again', () => {
    const { app, passwdFile } = installation();
    const { alice, dave } = world(app.db, { crowd: true });
    writePasswd(app);
    // Changed with the triggers off, so nothing marks carol's line: a patch leaves it as the file has it.
    const triggers = app.db.prepare("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'account_passwd_%'").pluck().all() as string[];
    app.db.exec("DROP TRIGGER account_passwd_changed; DROP TRIGGER account_passwd_renamed; DROP TRIGGER account_passwd_added; DROP TRIGGER account_passwd_removed");
    app.db.prepare("UPDATE account SET password_hash = ? WHERE name = 'carol'").run(hash('X'));
    for (const sql of triggers) app.db.exec(sql);
    updateAccount(app.db, dave, { domainLimit: 9 });
    insertZone(app.db, { name: zn('alice3.example'), namespaceId: 1, ownerId: alice, claim: 'c', masters: ips('198.51.100.53') });
    writePasswd(app);
    const text = readFileSync(passwdFile, 'utf8');
    expect(text).toContain(`dave:carol:${hash('D')}:16:0:9:0\n`);
    expect(text).toContain(`alice::${hash('A')}:16:4:10:1\n`);
    expect(text).toContain(`carol::${hash('C')}:24:1:0:0\n`);
    // A file not as written (here: chmod-ed) is rendered whole, carol's new hash with it.
    chmodSync(passwdFile, 0o640);
    writePasswd(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    expect(readFileSync(passwdFile, 'utf8')).toContain(`carol::${hash('X')}:24:1:0:0\n`);
  });

  it('renders whole a file edited, removed or moved since it was written, and one never written', () => {
    const { app, passwdFile } = installation();
    world(app.db, { crowd: true });
    writePasswd(app);
    const right = readFileSync(passwdFile, 'utf8');
    // The same size, the same mode: an edit moves the change time.
    writeFileSync(passwdFile, right.replace('alice:', 'alicx:'));
    writePasswd(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe(right);
    rmSync(passwdFile);
    writePasswd(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe(right);
    const other = join(app.root, 'etc', 'other.passwd');
    writePasswdFile(app.db, other);
    expect(readFileSync(other, 'utf8')).toBe(right);
    // Back at the first path, recorded for the other one: read and compared, found right, left as it is.
    const ino = statSync(passwdFile).ino;
    writePasswd(app);
    expect(statSync(passwdFile).ino).toBe(ino);
  });

  it('a change committed by a process that stopped before writing the file is in the next write of any process', () => {
    const { app, passwdFile } = installation();
    const { dave, erin } = world(app.db, { crowd: true });
    writePasswd(app);
    updateAccount(app.db, dave, { domainLimit: 5 });
    app.close();
    const next = new App(app.root);
    apps.push(next);
    updateAccount(next.db, erin, { domainLimit: 6 });
    writePasswd(next);
    const text = readFileSync(passwdFile, 'utf8');
    expect(text).toBe(renderPasswdEntries(passwdEntriesOf(next.db)));
    expect(text).toContain(`dave:carol:${hash('D')}:16:0:5:0\n`);
    expect(text).toContain(`erin:carol:${hash('E')}:10:2:6:2\n`);
  });

  it.each([['few accounts', false], ['many accounts', true]])('stays the render of the database through any run of changes (%s)', (_title, crowd) => {
    const { app, passwdFile } = installation();
    const ids = Object.values(world(app.db, { crowd }));
    const namespaces = app.db.prepare('SELECT id FROM namespace').pluck().all() as number[];
    let seed = 7;
    const next = (n: number): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed % n; };
    let zoneNo = 0;
    let accountNo = 0;
    for (let step = 0; step < 300; step++) {
      const live = app.db.prepare('SELECT id FROM account').pluck().all() as number[];
      const kind = next(10);
      if (kind < 4) {
        insertZone(app.db, { name: zn(`z${++zoneNo}.example`), namespaceId: namespaces[next(namespaces.length)]!, ownerId: live[next(live.length)]!, claim: 'c', masters: ips('198.51.100.53') });
      } else if (kind < 6) {
        const zone = app.db.prepare('SELECT id FROM zone ORDER BY random() LIMIT 1').pluck().get() as number | undefined;
        if (zone !== undefined) deleteZoneRow(app.db, zone, 'c');
      } else if (kind === 6) {
        updateAccount(app.db, live[next(live.length)]!, { domainLimit: next(3) === 0 ? null : next(50) });
      } else if (kind === 7) {
        ids.push(insertAccount(app.db, { name: `n${++accountNo}`, level: Level.user, resellerId: null, passwordHash: hash('N'), disabled: false, namespaceId: null }));
      } else if (kind === 8 && live.length > 3) {
        const victim = live[next(live.length)]!;
        app.db.prepare('DELETE FROM zone WHERE owner_id = ?').run(victim);
        app.db.prepare('UPDATE namespace SET owner_id = NULL WHERE owner_id = ?').run(victim);
        app.db.prepare('UPDATE account SET reseller_id = NULL WHERE reseller_id = ?').run(victim);
        app.db.prepare('DELETE FROM account WHERE id = ?').run(victim);
      } else {
        // Several accounts at once, more than are patched line by line.
        app.db.prepare('UPDATE account SET domain_limit = coalesce(domain_limit, 0) + 1').run();
      }
      if (next(3) > 0) {
        writePasswd(app);
        expect(readFileSync(passwdFile, 'utf8'), `step ${step}`).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
      }
    }
  });

  it('refuses to write an entry the file could not hold, and writes nothing', () => {
    const { app, passwdFile } = installation();
    const { dave } = world(app.db, { crowd: true });
    writePasswd(app);
    const right = readFileSync(passwdFile, 'utf8');
    app.db.prepare('UPDATE account SET password_hash = ? WHERE id = ?').run('not:a:hash', dave);
    expect(() => writePasswd(app)).toThrow(/passwd entry/);
    expect(readFileSync(passwdFile, 'utf8')).toBe(right);
    expect(app.db.prepare('SELECT account_id FROM passwd_dirty').pluck().all()).toEqual([dave]);
  });
});

describe('applyWritingPasswd', () => {
  it('writes the file as it will be after the change beside it while the change runs, and puts it in place after', async () => {
    const { app, passwdFile, etc } = installation();
    const { erin } = world(app.db, { crowd: true });
    writePasswd(app);
    const now = readFileSync(passwdFile, 'utf8');
    const erins = app.db.prepare('SELECT id FROM zone WHERE owner_id = ?').pluck().all(erin) as number[];
    const change = (): void => { for (const id of erins) deleteZoneRow(app.db, id, 'c'); };
    const seen = await applyWritingPasswd(app, async () => {
      // The file is as it was; the new text waits beside it, the database as it was.
      await new Promise((resolve) => setTimeout(resolve, 20));
      const candidates = readdirSync(etc).filter((f) => f.endsWith('.tmp'));
      const during = { file: readFileSync(passwdFile, 'utf8'), candidates: candidates.map((f) => readFileSync(join(etc, f), 'utf8')), zones: erins.length };
      writeTx(app.db, change);
      return during;
    }, change);
    const after = now.replace(`erin:carol:${hash('E')}:10:2:3:2`, `erin:carol:${hash('E')}:10:0:3:0`);
    expect(seen).toEqual({ file: now, candidates: [after], zones: 2 });
    expect(readFileSync(passwdFile, 'utf8')).toBe(after);
    expect(statSync(passwdFile).mode & 0o777).toBe(0o600);
    expect(readdirSync(etc).filter((f) => f.includes('passwd')).sort()).toEqual(['accounts.passwd']);
  });

  it('with few accounts, the file as it will be is put in place while the change runs (nothing is recorded to keep)', async () => {
    const { app, passwdFile, etc } = installation();
    const { dave } = world(app.db);
    writePasswd(app);
    updateAccount(app.db, dave, { domainLimit: 31 });
    const during = await applyWritingPasswd(app, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return { file: readFileSync(passwdFile, 'utf8'), candidates: readdirSync(etc).filter((f) => f.endsWith('.tmp')) };
    });
    expect(during.candidates).toEqual([]);
    expect(during.file).toContain(`dave:carol:${hash('D')}:16:0:31:0\n`);
    expect(readFileSync(passwdFile, 'utf8')).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
  });

  it('a change that did not happen (named refused it) leaves the file as the database says, and no candidate', async () => {
    const { app, passwdFile, etc } = installation();
    const { erin } = world(app.db);
    writePasswd(app);
    const now = readFileSync(passwdFile, 'utf8');
    const erins = app.db.prepare('SELECT id FROM zone WHERE owner_id = ?').pluck().all(erin) as number[];
    await expect(applyWritingPasswd(app, async () => { throw new Error('named refused'); }, () => { for (const id of erins) deleteZoneRow(app.db, id, 'c'); }))
      .rejects.toThrow('named refused');
    expect(readFileSync(passwdFile, 'utf8')).toBe(now);
    expect(readdirSync(etc).filter((f) => f.includes('passwd'))).toEqual(['accounts.passwd']);
  });

  it('another request writing the file meanwhile: the newest state stays', async () => {
    const { app, passwdFile } = installation();
    const { dave, erin } = world(app.db, { crowd: true });
    writePasswd(app);
    updateAccount(app.db, erin, { domainLimit: 8 });
    await applyWritingPasswd(app, async () => {
      // Committed and written by another request while this one talks to named.
      updateAccount(app.db, dave, { domainLimit: 2 });
      writePasswd(app);
      updateAccount(app.db, dave, { domainLimit: 3 });
    });
    const text = readFileSync(passwdFile, 'utf8');
    expect(text).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    expect(text).toContain(`dave:carol:${hash('D')}:16:0:3:0\n`);
    expect(text).toContain(`erin:carol:${hash('E')}:10:2:8:2\n`);
  });

  it('a candidate gone before it is renamed (removed as a dead process\'s): the file is written as the database says', async () => {
    const { app, passwdFile, etc } = installation();
    const { dave } = world(app.db, { crowd: true });
    writePasswd(app);
    updateAccount(app.db, dave, { domainLimit: 12 });
    await applyWritingPasswd(app, async () => {
      for (const f of readdirSync(etc).filter((n) => n.endsWith('.tmp'))) rmSync(join(etc, f));
    });
    expect(readFileSync(passwdFile, 'utf8')).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    expect(readFileSync(passwdFile, 'utf8')).toContain(`dave:carol:${hash('D')}:16:0:12:0\n`);
  });

  it('removes the candidates of processes that no longer run, and leaves a running one\'s', async () => {
    const { app, passwdFile, etc } = installation();
    const { dave } = world(app.db, { crowd: true });
    writePasswd(app);
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    const running = spawn('sleep', ['30']);
    try {
      const name = (pid: number): string => `.${basename(passwdFile)}.${pid}.1abcdef.tmp`;
      for (const pid of [dead, running.pid!]) writeFileSync(join(etc, name(pid)), 'a candidate', { mode: 0o600 });
      updateAccount(app.db, dave, { domainLimit: 13 });
      await applyWritingPasswd(app, async () => undefined);
      expect(readdirSync(etc).filter((n) => n.endsWith('.tmp'))).toEqual([name(running.pid!)]);
    } finally {
      running.kill();
    }
  });

  it('with no change waiting, writes nothing and leaves no candidate', async () => {
    const { app, passwdFile, etc } = installation();
    world(app.db, { crowd: true });
    writePasswd(app);
    const ino = statSync(passwdFile).ino;
    await applyWritingPasswd(app, async () => readdirSync(etc).filter((f) => f.endsWith('.tmp')).length).then((n) => expect(n).toBe(0));
    expect(statSync(passwdFile).ino).toBe(ino);
  });
});
