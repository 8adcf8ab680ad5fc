import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import { describe, expect, it } from 'vitest';
import { insertNamespace, listNamespaces, viewsGeneration } from '../../src/store/accounts';
import { now, openDb, writeTx } from '../../src/store/db';
import { migrate, SCHEMA_VERSION } from '../../src/store/migrations';
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
    expect(tables(db)).toEqual(['account', 'meta', 'namespace', 'namespace_ip', 'session', 'sqlite_sequence', 'zone']);
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
    insertNamespace(first, 'alice', ['192.0.2.1'], []);
    const generation = viewsGeneration(first);
    const schema = first.prepare('SELECT sql FROM sqlite_master ORDER BY name').all();
    first.close();

    const second = dbs.open(file);
    expect(second.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
    expect(second.prepare('SELECT sql FROM sqlite_master ORDER BY name').all()).toEqual(schema);
    expect(viewsGeneration(second)).toBe(generation);
    expect(listNamespaces(second).map((n) => n.name)).toEqual(['alice']);
    expect(second.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 1 });
  });

  it('two connections open at once share one migrated schema', () => {
    const file = dbs.file();
    const a = dbs.open(file);
    const b = dbs.open(file);
    insertNamespace(a, 'alice', [], []);
    expect(listNamespaces(b).map((n) => n.name)).toEqual(['alice']);
    expect(b.pragma('user_version', { simple: true })).toBe(SCHEMA_VERSION);
  });

  it('refuses a database written by a newer dnsmgr, and leaves it as it was', () => {
    const file = dbs.file();
    dbs.open(file).pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    expect(() => openDb(file)).toThrow(`database schema version ${SCHEMA_VERSION + 1} is newer than this dnsmgr (${SCHEMA_VERSION})`);
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
      expect(broken.prepare('SELECT COUNT(*) AS n FROM meta').get()).toEqual({ n: 1 });
    } finally {
      broken.close();
    }
  });
});

describe('writeTx', () => {
  it('commits what the function did and returns its value', () => {
    const db = dbs.open();
    const id = writeTx(db, () => insertNamespace(db, 'alice', [], []));
    expect(listNamespaces(db).map((n) => n.id)).toEqual([id]);
  });

  it('rolls everything back when the function throws', () => {
    const db = dbs.open();
    expect(() => writeTx(db, () => {
      insertNamespace(db, 'alice', ['192.0.2.1'], []);
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
