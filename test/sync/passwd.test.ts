import { chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
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
import { passwdEntriesOf, writePasswd, writePasswdAhead } from '../../src/sync/passwd';
import { useTempDbs } from '../store/temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

/** A bcrypt-shaped hash per account, so the file can be checked line by line. */
const hash = (c: string): string => `$2b$04$rmSfXHwhDVK4BCdI702a2Oki4oN9QH6YnpnOKWjCW//h90JbA6H2${c}`;

/**
 * alice (limit 10) owns namespace 'alice'; reseller carol owns namespace 'team', where her users erin (imported from
 * a passwd file with level 10) and alice have zones too; dave has no zones; zed's zone lives in the admin's namespace.
 * Inserted out of name order: the file follows the account ids.
 */
function world(db: Db): Record<'alice' | 'carol' | 'erin' | 'dave' | 'zed', number> {
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

describe('writePasswd', () => {
  const roots: string[] = [];
  const apps: App[] = [];
  afterEach(() => {
    for (const app of apps.splice(0)) app.close();
  });
  afterAll(() => {
    for (const root of roots) rmSync(root, { recursive: true, force: true });
  });

  /** A real installation root whose dnsmgr.conf moves the database and the passwd file away from their defaults. */
  function installation(): { app: App; passwdFile: string } {
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-passwd-'));
    roots.push(root);
    mkdirSync(join(root, 'etc'));
    const passwdFile = join(root, 'etc', 'accounts.passwd');
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), `path Database ${join(root, 'data', 'dnsmgr.db')}\npath Passwd ${passwdFile}\n`);
    const app = new App(root);
    apps.push(app);
    return { app, passwdFile };
  }

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

  it('ahead: writes the file as it will be once a change is committed, and leaves the database as it was', async () => {
    const { app, passwdFile } = installation();
    const { erin } = world(app.db);
    writePasswd(app);
    const now = readFileSync(passwdFile, 'utf8');
    const zones = (): number => (app.db.prepare('SELECT count(*) AS n FROM zone').get() as { n: number }).n;
    const before = zones();
    const erins = app.db.prepare('SELECT id FROM zone WHERE owner_id = ?').all(erin) as { id: number }[];
    await writePasswdAhead(app, () => { for (const z of erins) deleteZoneRow(app.db, z.id, 'c'); });
    expect(zones()).toBe(before);
    expect(readFileSync(passwdFile, 'utf8')).toBe(now.replace(`erin:carol:${hash('E')}:10:2:3:2`, `erin:carol:${hash('E')}:10:0:3:0`));
    expect(statSync(passwdFile).mode & 0o777).toBe(0o600);
    // The guess was for a change that did not happen: writePasswd puts the file back as the database says.
    writePasswd(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe(now);
    expect(readdirSync(join(app.root, 'etc')).sort()).toEqual(['accounts.passwd', 'dnsmgr.conf']);
  });

  it('ahead: with no change, writes what the database says, and nothing when the file holds it', async () => {
    const { app, passwdFile } = installation();
    world(app.db);
    await writePasswdAhead(app);
    expect(readFileSync(passwdFile, 'utf8')).toBe(renderPasswdEntries(passwdEntriesOf(app.db)));
    const ino = statSync(passwdFile).ino;
    await writePasswdAhead(app);
    expect(statSync(passwdFile).ino).toBe(ino);
  });
});
