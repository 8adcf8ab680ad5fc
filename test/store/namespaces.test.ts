import { describe, expect, it } from 'vitest';
import { Level } from '../../src/model/level';
import { insertAccount, updateAccount } from '../../src/store/accounts';
import { writeTx } from '../../src/store/db';
import { getAddress, insertAddress } from '../../src/store/ipaddrs';
import {
  deleteNamespace, findNamespace, getNamespace, insertNamespace, listNamespaces, namespaceInUse, namespaceIps,
  namespaceMembers, setAllowTransfer, setNamespaceOwner, viewsGeneration,
} from '../../src/store/namespaces';
import { createSession } from '../../src/store/sessions';
import { insertZone } from '../../src/store/zones';
import { seed, useTempDbs } from './temp-db';
import { ip, ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

describe('namespaces', () => {
  it('are stored with their owner, allow-transfer and the addresses attached to them, listed by name', () => {
    const db = dbs.open();
    const zed = insertNamespace(db, 'zed', null);
    const { nsAlice, nsBob, alice, bob } = seed(db);
    const bobNs = { id: nsBob, name: 'bob', ownerId: bob, allowTransfer: 'any', ips: ['192.0.2.2', '2001:db8::2'], ownView: false };
    expect(getNamespace(db, nsBob)).toEqual(bobNs);
    expect(findNamespace(db, 'bob')).toEqual(bobNs);
    expect(listNamespaces(db)).toEqual([
      { id: nsAlice, name: 'alice', ownerId: alice, allowTransfer: 'none', ips: ['192.0.2.1'], ownView: false },
      bobNs,
      { id: zed, name: 'zed', ownerId: null, allowTransfer: 'none', ips: [], ownView: false },
    ]);
    expect(getNamespace(db, 999)).toBeUndefined();
    expect(findNamespace(db, 'nobody')).toBeUndefined();
  });

  it('have unique names', () => {
    const db = dbs.open();
    seed(db);
    expect(() => insertNamespace(db, 'alice', null)).toThrow(/UNIQUE/);
  });

  it('cannot be owned by an account that does not exist', () => {
    const db = dbs.open();
    expect(() => insertNamespace(db, 'x', 999)).toThrow(/FOREIGN KEY/);
  });

  it('answer on the pool addresses attached to them, detached and hidden ones alike', () => {
    const db = dbs.open();
    const { nsAlice } = seed(db);
    insertAddress(db, { addr: ip('192.0.2.10'), family: 4, status: 'hidden', holderId: null, assigneeId: null, namespaceId: nsAlice });
    insertAddress(db, { addr: ip('192.0.2.11'), family: 4, status: 'free', holderId: null, assigneeId: null, namespaceId: null });
    // Text order, as stored.
    expect(namespaceIps(db, nsAlice)).toEqual(['192.0.2.1', '192.0.2.10']);
    expect(namespaceIps(db, 999)).toEqual([]);
  });

  it('read an empty allow-transfer (as migration 1 left it) as none, and keep what is set', () => {
    const db = dbs.open();
    const { nsAlice } = seed(db);
    db.prepare("UPDATE namespace SET allow_transfer = '' WHERE id = ?").run(nsAlice);
    expect(getNamespace(db, nsAlice)?.allowTransfer).toBe('none');
    expect(listNamespaces(db).find((n) => n.id === nsAlice)?.allowTransfer).toBe('none');
    setAllowTransfer(db, nsAlice, '198.51.100.0/24, 2001:db8::/32');
    expect(getNamespace(db, nsAlice)?.allowTransfer).toBe('198.51.100.0/24, 2001:db8::/32');
  });

  it('change owner', () => {
    const db = dbs.open();
    const { nsAlice, bob } = seed(db);
    setNamespaceOwner(db, nsAlice, bob);
    expect(getNamespace(db, nsAlice)?.ownerId).toBe(bob);
    setNamespaceOwner(db, nsAlice, null);
    expect(getNamespace(db, nsAlice)?.ownerId).toBeNull();
  });

  it('have as members the accounts whose zones go to them, by name', () => {
    const db = dbs.open();
    const { nsBob, bob } = seed(db);
    const aaron = insertAccount(db, { name: 'aaron', level: Level.user, resellerId: null, passwordHash: 'h', disabled: false, namespaceId: nsBob });
    expect(namespaceMembers(db, nsBob)).toEqual([{ id: aaron, name: 'aaron' }, { id: bob, name: 'bob' }]);
    expect(namespaceMembers(db, 999)).toEqual([]);
  });

  it('are in use while an account or a zone refers to them, not for an address or an owner', () => {
    const db = dbs.open();
    const { nsAlice, alice } = seed(db);
    const empty = insertNamespace(db, 'empty', alice);
    insertAddress(db, { addr: ip('198.51.100.1'), family: 4, status: 'shared', holderId: null, assigneeId: null, namespaceId: empty });
    const zonesOnly = insertNamespace(db, 'zones-only', null);
    insertZone(db, { name: zn('example.com'), namespaceId: zonesOnly, ownerId: alice, masters: ips('192.0.2.53'), claim: 'c' });
    expect(namespaceInUse(db, nsAlice)).toBe(true);
    expect(namespaceInUse(db, zonesOnly)).toBe(true);
    expect(namespaceInUse(db, empty)).toBe(false);
  });

  it('when deleted leave their addresses in the pool, detached, as they were otherwise', () => {
    const db = dbs.open();
    const { alice } = seed(db);
    const ns = insertNamespace(db, 'spare', alice);
    insertAddress(db, { addr: ip('198.51.100.1'), family: 4, status: 'assigned', holderId: null, assigneeId: alice, namespaceId: ns });
    insertAddress(db, { addr: ip('2001:db8::7'), family: 6, status: 'mutual', holderId: null, assigneeId: null, namespaceId: ns });
    deleteNamespace(db, ns);
    expect(getNamespace(db, ns)).toBeUndefined();
    expect(getAddress(db, '198.51.100.1')).toEqual({ addr: '198.51.100.1', family: 4, status: 'assigned', holderId: null, assigneeId: alice, namespaceId: null });
    expect(getAddress(db, '2001:db8::7')).toMatchObject({ status: 'mutual', namespaceId: null });
    expect(getAddress(db, '192.0.2.1')?.namespaceId).not.toBeNull();
  });

  it('are not deleted while an account or a zone refers to them; in a transaction, nothing changes', () => {
    const db = dbs.open();
    const { nsAlice } = seed(db);
    const generation = viewsGeneration(db);
    expect(() => writeTx(db, () => deleteNamespace(db, nsAlice))).toThrow(/FOREIGN KEY/);
    expect(getNamespace(db, nsAlice)?.ips).toEqual(['192.0.2.1']);
    expect(viewsGeneration(db)).toBe(generation);
  });
});

describe('views generation', () => {
  it('goes up with every change to the rendered views, and only with those', () => {
    const db = dbs.open();
    let last = viewsGeneration(db);
    const bumped = (): boolean => {
      const g = viewsGeneration(db);
      const up = g > last;
      last = g;
      return up;
    };
    const ns = insertNamespace(db, 'alice', null);
    expect(bumped()).toBe(true);
    setAllowTransfer(db, ns, 'any');
    expect(bumped()).toBe(true);
    insertAddress(db, { addr: ip('192.0.2.1'), family: 4, status: 'free', holderId: null, assigneeId: null, namespaceId: ns });
    expect(bumped()).toBe(true);
    const account = insertAccount(db, { name: 'alice', level: Level.user, resellerId: null, passwordHash: 'h', disabled: false, namespaceId: null });
    updateAccount(db, account, { namespaceId: ns });
    setNamespaceOwner(db, ns, account);
    insertZone(db, { name: zn('example.com'), namespaceId: ns, ownerId: account, masters: ips('192.0.2.53'), claim: 'c' });
    createSession(db, 'alice', Level.user);
    expect(bumped()).toBe(false);
    const other = insertNamespace(db, 'bob', null);
    expect(bumped()).toBe(true);
    deleteNamespace(db, other);
    expect(bumped()).toBe(true);
  });

  it('survives reopening', () => {
    const file = dbs.file();
    const db = dbs.open(file);
    insertNamespace(db, 'alice', null);
    const g = viewsGeneration(db);
    expect(g).toBeGreaterThan(1);
    db.close();
    expect(viewsGeneration(dbs.open(file))).toBe(g);
  });
});
