import { describe, expect, it } from 'vitest';
import { Level } from '../../src/model/level';
import type { NewAccount } from '../../src/store/accounts';
import {
  accountsAtLevel, allAccounts, deleteAccount, findAccount, getAccount, insertAccount, updateAccount, usersOf, zoneCount,
} from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import { createSession, touchSession } from '../../src/store/sessions';
import { insertZone } from '../../src/store/zones';
import { seed, useTempDbs } from './temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

const USER: NewAccount = { name: 'u', level: Level.user, resellerId: null, passwordHash: 'h', disabled: false, namespaceId: null };

/** A reseller with two users (inserted out of name order) and a top-level user, besides the seed. */
function withReseller(db: Db): { carol: number; dave: number; erin: number; frank: number } {
  const carol = insertAccount(db, { ...USER, name: 'carol', level: Level.reseller, userLimit: 5, ipLimit: 2, domainLimit: 100 });
  const erin = insertAccount(db, { ...USER, name: 'erin', resellerId: carol });
  const dave = insertAccount(db, { ...USER, name: 'dave', resellerId: carol });
  const frank = insertAccount(db, { ...USER, name: 'frank' });
  return { carol, dave, erin, frank };
}

describe('accounts', () => {
  it('are stored and found by name and by id, limits null unless given', () => {
    const db = dbs.open();
    const { nsAlice, alice } = seed(db);
    const expected = {
      id: alice, name: 'alice', level: Level.user, resellerId: null, passwordHash: 'x', disabled: false, namespaceId: nsAlice,
      domainLimit: null, userLimit: null, ipLimit: null, passwdLevel: null,
    };
    expect(findAccount(db, 'alice')).toEqual(expected);
    expect(getAccount(db, alice)).toEqual(expected);
    expect(findAccount(db, 'nobody')).toBeUndefined();
    expect(getAccount(db, 999)).toBeUndefined();
  });

  it('keep the limits and passwd level they were given', () => {
    const db = dbs.open();
    const id = insertAccount(db, { ...USER, name: 'r', level: Level.reseller, domainLimit: 10, userLimit: 3, ipLimit: 0, passwdLevel: 25, disabled: true });
    expect(getAccount(db, id)).toMatchObject({ domainLimit: 10, userLimit: 3, ipLimit: 0, passwdLevel: 25, disabled: true });
  });

  it('have unique names', () => {
    const db = dbs.open();
    seed(db);
    expect(() => insertAccount(db, { ...USER, name: 'alice' })).toThrow(/UNIQUE/);
  });

  it('cannot point at a namespace or a reseller that does not exist', () => {
    const db = dbs.open();
    expect(() => insertAccount(db, { ...USER, name: 'x', namespaceId: 999 })).toThrow(/FOREIGN KEY/);
    expect(() => insertAccount(db, { ...USER, name: 'y', resellerId: 999 })).toThrow(/FOREIGN KEY/);
  });

  it('are all listed in creation order (the passwd order)', () => {
    const db = dbs.open();
    seed(db);
    withReseller(db);
    expect(allAccounts(db).map((a) => a.name)).toEqual(['alice', 'bob', 'carol', 'erin', 'dave', 'frank']);
  });

  it('are listed by name per level, optionally of one reseller', () => {
    const db = dbs.open();
    seed(db);
    const { carol } = withReseller(db);
    expect(accountsAtLevel(db, Level.user).map((a) => a.name)).toEqual(['alice', 'bob', 'dave', 'erin', 'frank']);
    expect(accountsAtLevel(db, Level.user, carol).map((a) => a.name)).toEqual(['dave', 'erin']);
    expect(accountsAtLevel(db, Level.reseller).map((a) => a.name)).toEqual(['carol']);
    expect(accountsAtLevel(db, Level.admin)).toEqual([]);
  });

  it('of a reseller are its users, by name', () => {
    const db = dbs.open();
    seed(db);
    const { carol, frank } = withReseller(db);
    expect(usersOf(db, carol).map((a) => a.name)).toEqual(['dave', 'erin']);
    expect(usersOf(db, frank)).toEqual([]);
  });

  it('are updated field by field; undefined leaves a field alone, null clears it', () => {
    const db = dbs.open();
    const { alice } = seed(db);
    updateAccount(db, alice, { passwordHash: 'new-hash', disabled: true, domainLimit: 7, userLimit: 2, ipLimit: 1, passwdLevel: 10 });
    expect(getAccount(db, alice)).toMatchObject({
      passwordHash: 'new-hash', disabled: true, domainLimit: 7, userLimit: 2, ipLimit: 1, passwdLevel: 10, level: Level.user,
    });
    updateAccount(db, alice, { disabled: false, domainLimit: null, namespaceId: null, level: Level.reseller, passwordHash: undefined });
    expect(getAccount(db, alice)).toMatchObject({
      passwordHash: 'new-hash', disabled: false, domainLimit: null, namespaceId: null, level: Level.reseller, userLimit: 2,
    });
    expect(db.prepare('SELECT disabled FROM account WHERE id = ?').get(alice)).toEqual({ disabled: 0 });
  });

  it('take their sessions with them when deleted', () => {
    const db = dbs.open();
    seed(db);
    const { frank } = withReseller(db);
    const frankKey = createSession(db, 'frank', Level.user);
    const bobKey = createSession(db, 'bob', Level.user);
    deleteAccount(db, frank);
    expect(findAccount(db, 'frank')).toBeUndefined();
    expect(touchSession(db, frankKey)).toBeUndefined();
    expect(touchSession(db, bobKey)).toEqual({ accountName: 'bob', level: Level.user });
  });

  it('cannot be deleted while a namespace, an address or a zone refers to them', () => {
    const db = dbs.open();
    const { alice } = seed(db);
    expect(() => deleteAccount(db, alice)).toThrow(/FOREIGN KEY/);
    expect(findAccount(db, 'alice')).toBeDefined();
  });
});

describe('zoneCount', () => {
  it('counts the zones of the given owners, across namespaces', () => {
    const db = dbs.open();
    const { nsAlice, nsBob, alice, bob } = seed(db);
    const { frank } = withReseller(db);
    const add = (name: string, namespaceId: number, ownerId: number): number =>
      insertZone(db, { name: zn(name), namespaceId, ownerId, masters: ips('198.51.100.53'), claim: 'c' });
    add('a.example', nsAlice, alice);
    add('b.example', nsBob, alice);
    add('c.example', nsBob, bob);
    expect(zoneCount(db, [alice])).toBe(2);
    expect(zoneCount(db, [bob])).toBe(1);
    expect(zoneCount(db, [alice, bob, frank])).toBe(3);
    expect(zoneCount(db, [frank])).toBe(0);
    expect(zoneCount(db, [])).toBe(0);
  });
});
