import { describe, expect, it } from 'vitest';
import { Level } from '../../src/model/level';
import { insertAccount } from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import type { PoolAddress } from '../../src/store/ipaddrs';
import {
  allAddresses, boundAddresses, deleteAddress, getAddress, insertAddress, namespaceAddresses, poolOf, updateAddress,
} from '../../src/store/ipaddrs';
import { insertNamespace, viewsGeneration } from '../../src/store/namespaces';
import { useTempDbs } from './temp-db';
import { ip } from '../helpers/brands';

const dbs = useTempDbs();

const FREE: Omit<PoolAddress, 'addr' | 'family'> = { status: 'free', holderId: null, assigneeId: null, namespaceId: null };

/** An admin pool and a reseller's pool, one of each status between them, and a namespace. */
function world(): { db: Db; reseller: number; user: number; ns: number } {
  const db = dbs.open();
  const reseller = insertAccount(db, { name: 'carol', level: Level.reseller, resellerId: null, passwordHash: 'h', disabled: false, namespaceId: null });
  const user = insertAccount(db, { name: 'dave', level: Level.user, resellerId: reseller, passwordHash: 'h', disabled: false, namespaceId: null });
  const ns = insertNamespace(db, 'carol', reseller);
  insertAddress(db, { ...FREE, addr: ip('2001:db8::1'), family: 6 });
  insertAddress(db, { ...FREE, addr: ip('192.0.2.9'), family: 4, status: 'hidden' });
  insertAddress(db, { ...FREE, addr: ip('192.0.2.1'), family: 4, status: 'shared', namespaceId: ns });
  insertAddress(db, { ...FREE, addr: ip('198.51.100.1'), family: 4, holderId: reseller, status: 'assigned', assigneeId: user, namespaceId: ns });
  insertAddress(db, { ...FREE, addr: ip('198.51.100.2'), family: 4, holderId: reseller, status: 'hidden' });
  insertAddress(db, { ...FREE, addr: ip('2001:db8:1::1'), family: 6, holderId: reseller, status: 'mutual' });
  return { db, reseller, user, ns };
}

const addrs = (list: PoolAddress[]): string[] => list.map((a) => a.addr);

describe('pool addresses', () => {
  it('are stored and read back as given', () => {
    const { db, reseller, user, ns } = world();
    expect(getAddress(db, '198.51.100.1')).toEqual({
      addr: '198.51.100.1', family: 4, status: 'assigned', holderId: reseller, assigneeId: user, namespaceId: ns,
    });
    expect(getAddress(db, '2001:db8::1')).toEqual({ addr: '2001:db8::1', family: 6, ...FREE });
    expect(getAddress(db, '203.0.113.1')).toBeUndefined();
  });

  it('are in the pool once', () => {
    const { db } = world();
    expect(() => insertAddress(db, { ...FREE, addr: ip('192.0.2.1'), family: 4 })).toThrow(/UNIQUE|PRIMARY KEY/);
  });

  it('refuse an unknown status or family, and a holder, assignee or namespace that does not exist', () => {
    const { db } = world();
    expect(() => insertAddress(db, { ...FREE, addr: ip('203.0.113.1'), family: 4, status: 'taken' as PoolAddress['status'] })).toThrow(/CHECK/);
    expect(() => insertAddress(db, { ...FREE, addr: ip('203.0.113.2'), family: 5 as PoolAddress['family'] })).toThrow(/CHECK/);
    expect(() => insertAddress(db, { ...FREE, addr: ip('203.0.113.3'), family: 4, holderId: 999 })).toThrow(/FOREIGN KEY/);
    expect(() => insertAddress(db, { ...FREE, addr: ip('203.0.113.4'), family: 4, assigneeId: 999 })).toThrow(/FOREIGN KEY/);
    expect(() => insertAddress(db, { ...FREE, addr: ip('203.0.113.5'), family: 4, namespaceId: 999 })).toThrow(/FOREIGN KEY/);
    expect(getAddress(db, '203.0.113.1')).toBeUndefined();
  });

  it('are all listed IPv4 first, then by address text', () => {
    const { db } = world();
    expect(addrs(allAddresses(db))).toEqual(['192.0.2.1', '192.0.2.9', '198.51.100.1', '198.51.100.2', '2001:db8:1::1', '2001:db8::1']);
  });

  it('are updated field by field, keeping what the patch leaves out', () => {
    const { db, reseller, user, ns } = world();
    updateAddress(db, '2001:db8::1', { holderId: reseller });
    expect(getAddress(db, '2001:db8::1')).toEqual({ addr: '2001:db8::1', family: 6, ...FREE, holderId: reseller });
    updateAddress(db, '2001:db8::1', { status: 'assigned', assigneeId: user, namespaceId: ns });
    expect(getAddress(db, '2001:db8::1')).toEqual({ addr: '2001:db8::1', family: 6, status: 'assigned', holderId: reseller, assigneeId: user, namespaceId: ns });
    updateAddress(db, '2001:db8::1', { status: 'free', assigneeId: null, holderId: null, namespaceId: null });
    expect(getAddress(db, '2001:db8::1')).toEqual({ addr: '2001:db8::1', family: 6, ...FREE });
  });

  it('that are not in the pool are neither updated nor created', () => {
    const { db } = world();
    const before = allAddresses(db);
    const generation = viewsGeneration(db);
    updateAddress(db, '203.0.113.1', { status: 'shared' });
    deleteAddress(db, '203.0.113.1');
    expect(allAddresses(db)).toEqual(before);
    expect(viewsGeneration(db)).toBe(generation);
  });

  it('are deleted', () => {
    const { db } = world();
    deleteAddress(db, '192.0.2.1');
    expect(getAddress(db, '192.0.2.1')).toBeUndefined();
    expect(allAddresses(db)).toHaveLength(5);
  });
});

describe('poolOf', () => {
  it('null is the admin pool: addresses no reseller holds', () => {
    const { db } = world();
    expect(addrs(poolOf(db, null))).toEqual(['192.0.2.1', '192.0.2.9', '2001:db8::1']);
  });

  it('a reseller is what that reseller holds, whatever its status there', () => {
    const { db, reseller, user } = world();
    expect(poolOf(db, reseller).map((a) => `${a.addr}:${a.status}`)).toEqual(['198.51.100.1:assigned', '198.51.100.2:hidden', '2001:db8:1::1:mutual']);
    expect(poolOf(db, user)).toEqual([]);
  });
});

describe('namespaceAddresses', () => {
  it('are the addresses attached to the namespace, from any pool', () => {
    const { db, ns } = world();
    expect(addrs(namespaceAddresses(db, ns))).toEqual(['192.0.2.1', '198.51.100.1']);
    expect(namespaceAddresses(db, 999)).toEqual([]);
  });
});

describe('boundAddresses', () => {
  it('are every address of every pool but the hidden ones', () => {
    const { db } = world();
    expect(boundAddresses(db)).toEqual(['192.0.2.1', '198.51.100.1', '2001:db8:1::1', '2001:db8::1']);
    updateAddress(db, '192.0.2.1', { status: 'hidden' });
    updateAddress(db, '192.0.2.9', { status: 'free' });
    expect(boundAddresses(db)).toEqual(['192.0.2.9', '198.51.100.1', '2001:db8:1::1', '2001:db8::1']);
  });
});

describe('views generation', () => {
  it('goes up when an address enters or leaves the pool or hidden (named listens on the rest) or changes its namespace, and only then', () => {
    const { db, reseller, user, ns } = world();
    const other = insertNamespace(db, 'other', null);
    let last = viewsGeneration(db);
    const bumped = (): boolean => {
      const g = viewsGeneration(db);
      const up = g > last;
      last = g;
      return up;
    };
    insertAddress(db, { ...FREE, addr: ip('203.0.113.1'), family: 4 });
    expect(bumped()).toBe(true);
    updateAddress(db, '203.0.113.1', { status: 'assigned', assigneeId: user, holderId: reseller });
    expect(bumped()).toBe(false);
    updateAddress(db, '203.0.113.1', { namespaceId: ns });
    expect(bumped()).toBe(true);
    updateAddress(db, '203.0.113.1', { namespaceId: ns, status: 'mutual', assigneeId: null });
    expect(bumped()).toBe(false);
    updateAddress(db, '203.0.113.1', { namespaceId: other });
    expect(bumped()).toBe(true);
    updateAddress(db, '203.0.113.1', { namespaceId: null });
    expect(bumped()).toBe(true);
    updateAddress(db, '203.0.113.1', { status: 'hidden', assigneeId: null });
    expect(bumped(), 'named stops listening on a hidden address').toBe(true);
    updateAddress(db, '203.0.113.1', { status: 'free' });
    expect(bumped(), 'and listens again').toBe(true);
    deleteAddress(db, '203.0.113.1');
    expect(bumped()).toBe(true);
    deleteAddress(db, '203.0.113.1');
    expect(bumped(), 'an address not in the pool').toBe(false);
    insertAddress(db, { ...FREE, addr: ip('203.0.113.2'), family: 4, status: 'shared', namespaceId: ns });
    expect(bumped()).toBe(true);
    deleteAddress(db, '203.0.113.2');
    expect(bumped()).toBe(true);
  });
});
