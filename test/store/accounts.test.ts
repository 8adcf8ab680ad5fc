import { describe, expect, it } from 'vitest';
import { Level } from '../../src/model/level';
import {
  deleteAccount, deleteNamespace, findAccount, getNamespace, insertAccount, insertNamespace, listAccounts, listNamespaces,
  namespaceInUse, namespaceIps, namespaceOfIp, setNamespaceIps, updatePasswordHash, viewsGeneration,
} from '../../src/store/accounts';
import { createSession, touchSession } from '../../src/store/sessions';
import { insertZone } from '../../src/store/zones';
import { seed, useTempDbs } from './temp-db';

const dbs = useTempDbs();

describe('accounts', () => {
  it('are stored and found by name', () => {
    const db = dbs.open();
    const { nsAlice, alice } = seed(db);
    expect(findAccount(db, 'alice')).toEqual({
      id: alice, name: 'alice', level: Level.user, resellerId: null, passwordHash: 'x', disabled: false, namespaceId: nsAlice,
    });
    expect(findAccount(db, 'nobody')).toBeUndefined();
  });

  it('have unique names', () => {
    const db = dbs.open();
    seed(db);
    expect(() => insertAccount(db, { name: 'alice', level: Level.user, resellerId: null, passwordHash: 'y', disabled: false, namespaceId: null }))
      .toThrow(/UNIQUE/);
  });

  it('are listed by name up to a level', () => {
    const db = dbs.open();
    const { alice } = seed(db);
    insertAccount(db, { name: 'admin', level: Level.admin, resellerId: null, passwordHash: 'h', disabled: true, namespaceId: null });
    insertAccount(db, { name: 'carol', level: Level.reseller, resellerId: alice, passwordHash: 'h', disabled: false, namespaceId: null });
    expect(listAccounts(db, Level.user).map((a) => a.name)).toEqual(['alice', 'bob']);
    expect(listAccounts(db, Level.root).map((a) => a.name)).toEqual(['admin', 'alice', 'bob', 'carol']);
    expect(findAccount(db, 'admin')?.disabled).toBe(true);
    expect(findAccount(db, 'carol')?.resellerId).toBe(alice);
  });

  it('get a new password hash', () => {
    const db = dbs.open();
    const { alice } = seed(db);
    updatePasswordHash(db, alice, 'new-hash');
    expect(findAccount(db, 'alice')?.passwordHash).toBe('new-hash');
  });

  it('take their sessions with them when deleted', () => {
    const db = dbs.open();
    const { alice } = seed(db);
    const aliceKey = createSession(db, 'alice', Level.user);
    const bobKey = createSession(db, 'bob', Level.user);
    deleteAccount(db, alice);
    expect(findAccount(db, 'alice')).toBeUndefined();
    expect(touchSession(db, aliceKey)).toBeUndefined();
    expect(touchSession(db, bobKey)).toEqual({ accountName: 'bob', level: Level.user });
  });

  it('cannot point at a namespace that does not exist', () => {
    const db = dbs.open();
    expect(() => insertAccount(db, { name: 'x', level: Level.user, resellerId: null, passwordHash: 'h', disabled: false, namespaceId: 999 }))
      .toThrow(/FOREIGN KEY/);
  });
});

describe('namespaces', () => {
  it('are stored with their addresses and allow-transfer list, listed by name', () => {
    const db = dbs.open();
    const zed = insertNamespace(db, 'zed', [], []);
    const { nsAlice, nsBob } = seed(db);
    expect(getNamespace(db, nsBob)).toEqual({ id: nsBob, name: 'bob', allowTransfer: ['any'], ips: ['192.0.2.2', '2001:db8::2'] });
    expect(listNamespaces(db)).toEqual([
      { id: nsAlice, name: 'alice', allowTransfer: [], ips: ['192.0.2.1'] },
      { id: nsBob, name: 'bob', allowTransfer: ['any'], ips: ['192.0.2.2', '2001:db8::2'] },
      { id: zed, name: 'zed', allowTransfer: [], ips: [] },
    ]);
    expect(getNamespace(db, 999)).toBeUndefined();
  });

  it('keep a list of prefixes as given', () => {
    const db = dbs.open();
    const id = insertNamespace(db, 'carol', [], ['198.51.100.0/24', '2001:db8::/32']);
    expect(getNamespace(db, id)?.allowTransfer).toEqual(['198.51.100.0/24', '2001:db8::/32']);
  });

  it('have unique names, and an address belongs to one namespace only', () => {
    const db = dbs.open();
    const { nsBob } = seed(db);
    expect(() => insertNamespace(db, 'alice', [], [])).toThrow(/UNIQUE/);
    expect(() => insertNamespace(db, 'carol', ['192.0.2.1'], [])).toThrow(/UNIQUE|PRIMARY KEY/);
    expect(namespaceOfIp(db, '2001:db8::2')).toBe(nsBob);
    expect(namespaceOfIp(db, '203.0.113.1')).toBeUndefined();
  });

  it('get their addresses replaced', () => {
    const db = dbs.open();
    const { nsAlice } = seed(db);
    setNamespaceIps(db, nsAlice, ['192.0.2.9', '192.0.2.10']);
    expect(namespaceIps(db, nsAlice)).toEqual(['192.0.2.10', '192.0.2.9']);
    expect(namespaceOfIp(db, '192.0.2.1')).toBeUndefined();
  });

  it('are in use while an account or a zone refers to them', () => {
    const db = dbs.open();
    const { nsAlice, alice } = seed(db);
    const empty = insertNamespace(db, 'empty', [], []);
    const zonesOnly = insertNamespace(db, 'zones-only', [], []);
    insertZone(db, { name: 'example.com', namespaceId: zonesOnly, ownerId: alice, masters: ['192.0.2.53'], claim: 'c' });
    expect(namespaceInUse(db, nsAlice)).toBe(true);
    expect(namespaceInUse(db, zonesOnly)).toBe(true);
    expect(namespaceInUse(db, empty)).toBe(false);
  });

  it('are deleted with their addresses, but not while in use', () => {
    const db = dbs.open();
    const { nsAlice } = seed(db);
    const empty = insertNamespace(db, 'empty', ['198.51.100.1'], []);
    deleteNamespace(db, empty);
    expect(getNamespace(db, empty)).toBeUndefined();
    expect(namespaceOfIp(db, '198.51.100.1')).toBeUndefined();
    expect(() => deleteNamespace(db, nsAlice)).toThrow(/FOREIGN KEY/);
  });
});

describe('views generation', () => {
  it('goes up with every change to the namespaces, and only with those', () => {
    const db = dbs.open();
    let last = viewsGeneration(db);
    const bumped = (): boolean => {
      const g = viewsGeneration(db);
      const up = g > last;
      last = g;
      return up;
    };
    const ns = insertNamespace(db, 'alice', ['192.0.2.1'], []);
    expect(bumped()).toBe(true);
    setNamespaceIps(db, ns, ['192.0.2.2']);
    expect(bumped()).toBe(true);
    const account = insertAccount(db, { name: 'alice', level: Level.user, resellerId: null, passwordHash: 'h', disabled: false, namespaceId: ns });
    insertZone(db, { name: 'example.com', namespaceId: ns, ownerId: account, masters: ['192.0.2.53'], claim: 'c' });
    createSession(db, 'alice', Level.user);
    expect(bumped()).toBe(false);
    const other = insertNamespace(db, 'bob', [], []);
    expect(bumped()).toBe(true);
    deleteNamespace(db, other);
    expect(bumped()).toBe(true);
  });

  it('survives reopening', () => {
    const file = dbs.file();
    const db = dbs.open(file);
    insertNamespace(db, 'alice', [], []);
    const g = viewsGeneration(db);
    db.close();
    expect(viewsGeneration(dbs.open(file))).toBe(g);
  });
});
