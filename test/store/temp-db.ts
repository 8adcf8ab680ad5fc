// Real SQLite files for the store tests: each test gets its own database file in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { Level } from '../../src/model/level';
import { insertAccount, insertNamespace } from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/db';

/** Registers the hooks that close every database and remove the directory; returns a factory for fresh files. */
export function useTempDbs(): { file: (name?: string) => string; open: (file?: string) => Db } {
  const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-store-'));
  const opened: Db[] = [];
  let n = 0;
  afterEach(() => {
    for (const db of opened.splice(0)) if (db.open) db.close();
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name = `db-${++n}`): string => join(dir, name, 'dnsmgr.db');
  const open = (path = file()): Db => {
    const db = openDb(path);
    opened.push(db);
    return db;
  };
  return { file, open };
}

export interface Fixture {
  nsAlice: number;
  nsBob: number;
  alice: number;
  bob: number;
}

/** Two namespaces with one user each: the smallest world zones can live in. */
export function seed(db: Db): Fixture {
  const nsAlice = insertNamespace(db, 'alice', ['192.0.2.1'], []);
  const nsBob = insertNamespace(db, 'bob', ['192.0.2.2', '2001:db8::2'], ['any']);
  const user = { level: Level.user, resellerId: null, passwordHash: 'x', disabled: false };
  const alice = insertAccount(db, { ...user, name: 'alice', namespaceId: nsAlice });
  const bob = insertAccount(db, { ...user, name: 'bob', namespaceId: nsBob });
  return { nsAlice, nsBob, alice, bob };
}
