// Real SQLite files for the store tests: each test gets its own database file in a temporary directory.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach } from 'vitest';
import { Level } from '../../src/model/level';
import { insertAccount, updateAccount } from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import { openDb } from '../../src/store/db';
import { insertAddress } from '../../src/store/ipaddrs';
import { insertNamespace, setAllowTransfer } from '../../src/store/namespaces';
import { ip } from '../helpers/brands';

/** Registers the hooks that close every database and remove the directory; returns a factory for fresh files. */
export function useTempDbs(): { dir: string; file: (name?: string) => string; open: (file?: string) => Db } {
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
  return { dir, file, open };
}

export interface Fixture {
  nsAlice: number;
  nsBob: number;
  alice: number;
  bob: number;
}

/**
 * Two users, each owning a namespace it is the member of: the smallest world zones can live in. alice's namespace
 * answers on 192.0.2.1; bob's on 192.0.2.2 and 2001:db8::2 and allows transfers to any. Every address is in the
 * admin's pool, assigned to the namespace's user.
 */
export function seed(db: Db): Fixture {
  const user = { level: Level.user, resellerId: null, passwordHash: 'x', disabled: false, namespaceId: null };
  const alice = insertAccount(db, { ...user, name: 'alice' });
  const bob = insertAccount(db, { ...user, name: 'bob' });
  const nsAlice = insertNamespace(db, 'alice', alice);
  const nsBob = insertNamespace(db, 'bob', bob);
  updateAccount(db, alice, { namespaceId: nsAlice });
  updateAccount(db, bob, { namespaceId: nsBob });
  const assigned = { status: 'assigned', holderId: null } as const;
  insertAddress(db, { ...assigned, addr: ip('192.0.2.1'), family: 4, assigneeId: alice, namespaceId: nsAlice });
  insertAddress(db, { ...assigned, addr: ip('192.0.2.2'), family: 4, assigneeId: bob, namespaceId: nsBob });
  insertAddress(db, { ...assigned, addr: ip('2001:db8::2'), family: 6, assigneeId: bob, namespaceId: nsBob });
  setAllowTransfer(db, nsBob, 'any');
  return { nsAlice, nsBob, alice, bob };
}
