import Database from 'better-sqlite3';
import { existsSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { now, openDb, writeTx } from '../../src/store/db';
import { allAddresses } from '../../src/store/ipaddrs';
import { MIGRATIONS, migrate, SCHEMA_VERSION } from '../../src/store/migrations';
import { getNamespace, insertNamespace, listNamespaces, viewsGeneration } from '../../src/store/namespaces';
import { allZones } from '../../src/store/zones';
import { useTempDbs } from './temp-db';

const dbs = useTempDbs();

function tables(db: Database.Database): string[] {
  return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[])
    .map((r) => r.name);
}

describe('openDb', () => {
  it('creates the file, its directory (0700) and the schema, and sets user_version', () => {
    const file = dbs.file();
    expect(existsSync(file)).toBe(false);
    const db = dbs.open(file);
    expect(existsSync(file)).toBe(true);
    expect(statSync(dirname(file)).mode & 0o777).toBe(0o700);
    expect(tables(db)).toEqual(['account', 'ipaddr', 'meta', 'namespace', 'namespace_dns', 'panel_admin', 'passwd_dirty', 'passwd_written', 'restricted', 'session', 'sqlite_sequence', 'zone', 'zone_health', 'zone_record', 'zone_record_unsent', 'zone_soa']);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(viewsGeneration(db)).toBe(1);
  });

  it('sets up the connection for many concurrent processes', () => {
    const db = dbs.open();
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('busy_timeout', { simple: true })).toBe(15000);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('opening an existing database again changes nothing', () => {
    const file = dbs.file();
    const first = dbs.open(file);
    insertNamespace(first, 'alice', null);
    const generation = viewsGeneration(first);
    const schema = first.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    first.close();

    const second = dbs.open(file);
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(second.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(viewsGeneration(second)).toBe(generation);
    expect(listNamespaces(second).map((n) => n.name)).toEqual(['alice']);
    expect(second.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 5 });
  });

  it('two connections open at once share one migrated schema', () => {
    const file = dbs.file();
    const a = dbs.open(file);
    const b = dbs.open(file);
    insertNamespace(a, 'alice', null);
    expect(listNamespaces(b).map((n) => n.name)).toEqual(['alice']);
    expect(b.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('refuses a database written by a newer dnsmgr, and leaves it as it was', () => {
    const file = dbs.file();
    dbs.open(file).pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => openDb(file)).toThrow(`database schema version ${SCHEMA_VERSION + 1} is newer than this dnsmgr knows (${SCHEMA_VERSION}): upgrade dnsmgr`);
    const raw = new Database(file, { readonly: true });
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION + 1);
    } finally {
      raw.close();
    }
  });
});

describe('migrate', () => {
  it('brings an empty database to the current version, then does nothing', () => {
    const file = dbs.file();
    const first = dbs.open(file); // creates the directory
    first.close();
    const raw = new Database(`${file}-raw`);
    try {
      expect(raw.pragma('user_version', { simple: true })).toBe(0);
      migrate(raw);
      expect(raw.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
      const schema = raw.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
      migrate(raw);
      expect(raw.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    } finally {
      raw.close();
    }
  });

  it('rolls a failing step back whole: user_version stays where it was', () => {
    const file = dbs.file();
    dbs.open(file).close();
    // Claiming version 0 over an existing schema makes step 1 fail on its first CREATE TABLE.
    const broken = new Database(file);
    try {
      broken.pragma('user_version = 0');
      expect(() => migrate(broken)).toThrow(/already exists/);
      expect(broken.pragma('user_version', { simple: true })).toBe(0);
      // The rows every migration put there, and none twice.
      expect(broken.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 5 });
    } finally {
      broken.close();
    }
  });
});

describe('migration 2', () => {
  /** A database exactly as migration 1 left it, with data written by that version. */
  function version1(file: string): void {
    dbs.open(file).close(); // creates the directory
    rmSync(file);
    const raw = new Database(file);
    try {
      raw.pragma('foreign_keys = ON');
      raw.exec(MIGRATIONS[0] as string);
      raw.pragma('user_version = 1');
      raw.exec(`
        INSERT INTO namespace (id, name, allow_transfer, created_at) VALUES
          (10, 'alice', '', 1), (20, 'team', '198.51.100.0/24,2001:db8::/32', 1), (30, 'orphan', 'any', 1);
        INSERT INTO account (id, name, level, reseller_id, password_hash, disabled, namespace_id, created_at) VALUES
          (1, 'alice', 16, NULL, 'ha', 0, 10, 1),
          (2, 'carol', 24, NULL, 'hc', 0, NULL, 1),
          (3, 'erin', 16, 2, 'he', 1, 20, 1),
          (4, 'dave', 16, 2, 'hd', 0, 20, 1);
        INSERT INTO namespace_ip (addr, namespace_id) VALUES ('192.0.2.1', 10), ('2001:db8::2', 20), ('192.0.2.2', 20);
        INSERT INTO zone (name, namespace_id, owner_id, masters, applied_masters, created_at, updated_at) VALUES
          ('example.com', 10, 1, '198.51.100.53', '198.51.100.53', 1, 1), ('example.net', 20, 4, '198.51.100.53', NULL, 1, 1);
        INSERT INTO session (key, account_name, level, expires_at) VALUES ('k', 'alice', 16, 4000000000);
      `);
    } finally {
      raw.close();
    }
  }

  it('turns every namespace address into an address assigned to the first account of its namespace', () => {
    const file = dbs.file();
    version1(file);
    const db = dbs.open(file);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(tables(db)).not.toContain('namespace_ip');
    expect(allAddresses(db)).toEqual([
      { addr: '192.0.2.1', family: 4, status: 'assigned', holderId: null, assigneeId: 1, namespaceId: 10 },
      { addr: '192.0.2.2', family: 4, status: 'assigned', holderId: null, assigneeId: 3, namespaceId: 20 },
      { addr: '2001:db8::2', family: 6, status: 'assigned', holderId: null, assigneeId: 3, namespaceId: 20 },
    ]);
    const createdAt = db.prepare('SELECT DISTINCT typeof(created_at) AS t, created_at FROM ipaddr').all() as { t: string; created_at: number }[];
    expect(createdAt).toHaveLength(1);
    expect(createdAt[0]?.t).toBe('integer');
    expect(Math.abs((createdAt[0]?.created_at ?? 0) - now())).toBeLessThan(5);
  });

  it('gives every namespace the first of its accounts as owner, keeping its name and allow-transfer', () => {
    const file = dbs.file();
    version1(file);
    const db = dbs.open(file);
    expect(listNamespaces(db)).toEqual([
      { id: 10, name: 'alice', ownerId: 1, allowTransfer: 'none', ips: ['192.0.2.1'], ownView: false },
      { id: 30, name: 'orphan', ownerId: null, allowTransfer: 'any', ips: [], ownView: false },
      { id: 20, name: 'team', ownerId: 3, allowTransfer: '198.51.100.0/24,2001:db8::/32', ips: ['192.0.2.2', '2001:db8::2'], ownView: false },
    ]);
    expect(getNamespace(db, 20)?.ownerId).toBe(3);
  });

  it('keeps accounts (with no limits yet), zones, sessions and the views generation', () => {
    const file = dbs.file();
    version1(file);
    const db = dbs.open(file);
    expect(db.prepare('SELECT id, name, disabled, reseller_id, namespace_id, domain_limit, user_limit, ip_limit, passwd_level FROM account ORDER BY id').all()).toEqual([
      { id: 1, name: 'alice', disabled: 0, reseller_id: null, namespace_id: 10, domain_limit: null, user_limit: null, ip_limit: null, passwd_level: null },
      { id: 2, name: 'carol', disabled: 0, reseller_id: null, namespace_id: null, domain_limit: null, user_limit: null, ip_limit: null, passwd_level: null },
      { id: 3, name: 'erin', disabled: 1, reseller_id: 2, namespace_id: 20, domain_limit: null, user_limit: null, ip_limit: null, passwd_level: null },
      { id: 4, name: 'dave', disabled: 0, reseller_id: 2, namespace_id: 20, domain_limit: null, user_limit: null, ip_limit: null, passwd_level: null },
    ]);
    expect(allZones(db).map((z) => `${z.name}@${z.namespaceId}:${z.ownerId}`)).toEqual(['example.com@10:1', 'example.net@20:4']);
    expect(db.prepare('SELECT account_name FROM session').all()).toEqual([{ account_name: 'alice' }]);
    expect(viewsGeneration(db)).toBe(1);
    expect(db.prepare('SELECT COUNT(*) AS n FROM restricted').get()).toEqual({ n: 0 });
    expect(db.pragma('foreign_key_check')).toEqual([]);
  });
});

describe('writeTx', () => {
  it('commits what the function did and returns its value', () => {
    const db = dbs.open();
    const id = writeTx(db, () => insertNamespace(db, 'alice', null));
    expect(listNamespaces(db).map((n) => n.id)).toEqual([id]);
  });

  it('rolls everything back when the function throws', () => {
    const db = dbs.open();
    expect(() => writeTx(db, () => {
      insertNamespace(db, 'alice', null);
      throw new Error('boom');
    })).toThrow('boom');
    expect(listNamespaces(db)).toEqual([]);
    expect(viewsGeneration(db)).toBe(1);
  });
});

describe('now', () => {
  it('is the Unix time in whole seconds', () => {
    const t = now();
    expect(Number.isInteger(t)).toBe(true);
    expect(Math.abs(t - Date.now() / 1000)).toBeLessThan(2);
  });
});

/** A database file exactly as the first `version` migrations left it, holding what `sql` writes. */
function databaseAt(version: number, sql: string): string {
  const file = dbs.file();
  dbs.open(file).close(); // creates the directory
  rmSync(file);
  const raw = new Database(file);
  try {
    raw.pragma('foreign_keys = ON');
    for (const m of MIGRATIONS.slice(0, version)) {
      if (typeof m === 'string') raw.exec(m);
      else m(raw);
    }
    raw.pragma(`user_version = ${version}`);
    raw.exec(sql);
  } finally {
    raw.close();
  }
  return file;
}

describe('migration 5', () => {
  it('counts the zones each account has and gives every zone its reversed name', () => {
    const db = dbs.open(databaseAt(4, `
      INSERT INTO account (id, name, level, password_hash, created_at) VALUES (1, 'alice', 16, 'ha', 1), (2, 'bob', 16, 'hb', 1), (3, 'carol', 16, 'hc', 1);
      INSERT INTO namespace (id, name, created_at, owner_id) VALUES (10, 'alice', 1, 1), (20, 'bob', 1, 2);
      INSERT INTO zone (name, namespace_id, owner_id, masters, created_at, updated_at) VALUES
        ('example.com', 10, 1, '198.51.100.53', 1, 1), ('a.example.com', 20, 1, '198.51.100.53', 1, 1),
        ('example.net', 20, 2, '198.51.100.53', 1, 1);
    `));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT name, zones_used AS used, zones_shared AS shared FROM account ORDER BY id').all()).toEqual([
      { name: 'alice', used: 2, shared: 1 }, { name: 'bob', used: 1, shared: 0 }, { name: 'carol', used: 0, shared: 0 },
    ]);
    expect(db.prepare('SELECT name, rname FROM zone ORDER BY rname').all()).toEqual([
      { name: 'example.com', rname: 'com.example.' }, { name: 'a.example.com', rname: 'com.example.a.' }, { name: 'example.net', rname: 'net.example.' },
    ]);
  });
});

describe('migration 6', () => {
  it('records that named has each applied zone in its namespace\'s old view, and gives a view of its own to every namespace but the first holding a name', () => {
    const db = dbs.open(databaseAt(5, `
      INSERT INTO account (id, name, level, password_hash, created_at) VALUES (1, 'alice', 16, 'ha', 1), (2, 'bob', 16, 'hb', 1), (3, 'carol', 16, 'hc', 1);
      INSERT INTO namespace (id, name, created_at, owner_id) VALUES (10, 'alice', 1, 1), (20, 'bob', 1, 2), (30, 'carol', 1, 3);
      INSERT INTO zone (name, namespace_id, owner_id, masters, applied_masters, created_at, updated_at) VALUES
        ('shared.example', 10, 1, '198.51.100.53', '198.51.100.53', 1, 1), ('shared.example', 20, 2, '198.51.100.53', '198.51.100.53', 1, 1),
        ('only.example', 30, 3, '198.51.100.53', '198.51.100.53', 1, 1), ('new.example', 30, 3, '198.51.100.53', NULL, 1, 1);
    `));
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(db.prepare('SELECT name, own_view AS own FROM namespace ORDER BY id').all()).toEqual([
      { name: 'alice', own: 0 }, { name: 'bob', own: 1 }, { name: 'carol', own: 0 },
    ]);
    expect(db.prepare('SELECT name, namespace_id AS ns, applied_view AS view, applied_acl AS acl FROM zone ORDER BY id').all()).toEqual([
      { name: 'shared.example', ns: 10, view: 'alice', acl: null }, { name: 'shared.example', ns: 20, view: 'bob', acl: null },
      { name: 'only.example', ns: 30, view: 'carol', acl: null }, { name: 'new.example', ns: 30, view: null, acl: null },
    ]);
  });
});
