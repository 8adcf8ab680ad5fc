import { describe, expect, it } from 'vitest';
import { applyListQuery, sqlListDoc } from '../../src/funcs/lists';
import type { ListQuery } from '../../src/funcs/lists';
import { Level } from '../../src/model/level';
import type { NewAccount } from '../../src/store/accounts';
import { accountListing, insertAccount, updateAccount } from '../../src/store/accounts';
import type { Db } from '../../src/store/db';
import { addressListing, insertAddress } from '../../src/store/ipaddrs';
import { insertNamespace, namespaceListing, seesNamespace, setAllowTransfer } from '../../src/store/namespaces';
import type { NamespaceViewer } from '../../src/store/namespaces';
import { sqlListRows } from '../../src/store/sql-list';
import { insertZone } from '../../src/store/zones';
import { ip, ips, zn } from '../helpers/brands';
import { useTempDbs } from './temp-db';

const dbs = useTempDbs();

/**
 * Reseller rita with users ulla (in rita's namespace) and uwe (a namespace of his own on an address of rita's pool),
 * user vera (not rita's) whose namespace is on another address of rita's pool, user walt with nothing of rita's, and
 * a namespace of the admin's (no owner) on an address of the admin's pool assigned to walt.
 */
function world(db: Db) {
  const base: NewAccount = { name: '', level: Level.user, resellerId: null, passwordHash: '', disabled: false, namespaceId: null };
  const rita = insertAccount(db, { ...base, name: 'rita', level: Level.reseller });
  const ulla = insertAccount(db, { ...base, name: 'ulla', resellerId: rita, domainLimit: 5 });
  const uwe = insertAccount(db, { ...base, name: 'Uwe', resellerId: rita, disabled: true });
  const vera = insertAccount(db, { ...base, name: 'vera' });
  const walt = insertAccount(db, { ...base, name: 'walt' });
  const ns = {
    rita: insertNamespace(db, 'rita', rita), uwe: insertNamespace(db, 'uwe-ns', uwe), vera: insertNamespace(db, 'vera', vera),
    walt: insertNamespace(db, 'walt', walt), shared: insertNamespace(db, 'shared', null),
  };
  updateAccount(db, rita, { namespaceId: ns.rita });
  updateAccount(db, ulla, { namespaceId: ns.rita });
  updateAccount(db, uwe, { namespaceId: ns.uwe });
  updateAccount(db, vera, { namespaceId: ns.vera });
  updateAccount(db, walt, { namespaceId: ns.walt });
  setAllowTransfer(db, ns.rita, '203.0.113.0/24');
  const addr = (addr: string, status: 'free' | 'assigned' | 'shared', holderId: number | null, assigneeId: number | null, namespaceId: number | null): void => {
    insertAddress(db, { addr: ip(addr), family: addr.includes(':') ? 6 : 4, status, holderId, assigneeId, namespaceId });
  };
  addr('192.0.2.10', 'assigned', rita, rita, ns.rita);
  addr('192.0.2.9', 'assigned', rita, rita, ns.rita);
  addr('2001:db8::10', 'assigned', rita, rita, ns.rita);
  addr('192.0.2.11', 'assigned', rita, uwe, ns.uwe);
  addr('192.0.2.12', 'shared', rita, null, ns.vera);
  addr('192.0.2.13', 'free', rita, null, null);
  addr('198.51.100.1', 'assigned', null, walt, ns.walt);
  addr('198.51.100.2', 'free', null, null, null);
  addr('198.51.100.3', 'shared', null, null, ns.shared);
  const zone = (name: string, namespaceId: number, ownerId: number): void => {
    insertZone(db, { name: zn(name), namespaceId, ownerId, masters: ips('198.51.100.53'), claim: 'c' });
  };
  zone('ulla.example', ns.rita, ulla);
  zone('ulla2.example', ns.rita, ulla);
  zone('rita.example', ns.rita, rita);
  zone('walt.example', ns.shared, walt);
  return { rita, ulla, uwe, vera, walt, ns };
}

const names = (rows: readonly Record<string, string>[]): string[] => rows.map((r) => r.name!);

describe('the user list in SQL', () => {
  it('shows each user as the list always did, by name; a reseller sees its own users only', () => {
    const db = dbs.open();
    const { rita } = world(db);
    expect(sqlListRows(db, accountListing(Level.user, undefined), []).rows).toEqual([
      { name: 'Uwe', reseller: 'rita', namespace: 'uwe-ns', ip: '192.0.2.11', domains: '0', domain_limit: '0', status: 'suspended' },
      { name: 'ulla', reseller: 'rita', namespace: 'rita', ip: '192.0.2.10, 192.0.2.9, 2001:db8::10', domains: '2', domain_limit: '5', status: 'active' },
      { name: 'vera', reseller: '', namespace: 'vera', ip: '192.0.2.12', domains: '0', domain_limit: '0', status: 'active' },
      { name: 'walt', reseller: '', namespace: 'walt', ip: '198.51.100.1', domains: '1', domain_limit: '0', status: 'active' },
    ]);
    expect(names(sqlListRows(db, accountListing(Level.user, rita), []).rows)).toEqual(['Uwe', 'ulla']);
    expect(names(sqlListRows(db, accountListing(Level.reseller, undefined), []).rows)).toEqual(['rita']);
  });
});

describe('the namespace list in SQL', () => {
  const viewers = (w: ReturnType<typeof world>): [string, NamespaceViewer, string[]][] => [
    ['an admin', undefined, ['rita', 'shared', 'uwe-ns', 'vera', 'walt']],
    ['nobody', null, []],
    // Its own, its user's, and vera's: on an address of its pool.
    ['the reseller', { id: w.rita, namespaceId: w.ns.rita, reseller: true }, ['rita', 'uwe-ns', 'vera']],
    // The one its zones go to.
    ['a user placed in the reseller\'s namespace', { id: w.ulla, namespaceId: w.ns.rita, reseller: false }, ['rita']],
    ['a user with its own', { id: w.walt, namespaceId: w.ns.walt, reseller: false }, ['walt']],
  ];

  it('shows what each caller sees, and seesNamespace agrees with it', () => {
    const db = dbs.open();
    const w = world(db);
    for (const [who, viewer, seen] of viewers(w)) {
      expect(names(sqlListRows(db, namespaceListing(viewer), []).rows), who).toEqual(seen);
      const each = Object.entries(w.ns).filter(([, id]) => seesNamespace(db, viewer, id)).map(([key]) => key);
      expect(each.length, who).toBe(seen.length);
    }
  });

  it('shows owner, addresses in address order, accounts placed, zones and allow-transfer', () => {
    const db = dbs.open();
    world(db);
    const rows = sqlListRows(db, namespaceListing(undefined), []).rows;
    expect(rows.find((r) => r.name === 'rita')).toEqual({ name: 'rita', owner: 'rita', ip: '192.0.2.10, 192.0.2.9, 2001:db8::10', accounts: '2', domains: '3', allow_transfer: '203.0.113.0/24' });
    expect(rows.find((r) => r.name === 'shared')).toEqual({ name: 'shared', owner: '', ip: '198.51.100.3', accounts: '0', domains: '1', allow_transfer: 'none' });
  });
});

describe('the ipaddr list in SQL', () => {
  it('the admin sees every address, one in a reseller\'s pool assigned to that reseller; a reseller its pool as it is', () => {
    const db = dbs.open();
    const { rita } = world(db);
    const shown = (pool: number | null | undefined): string[][] => sqlListRows(db, addressListing(pool), []).rows.map((r) => [r.name!, r.family!, r.status!, r.owner!, r.namespace!]);
    expect(shown(undefined)).toEqual([
      ['192.0.2.10', 'ipv4', 'assigned', 'rita', 'rita'],
      ['192.0.2.11', 'ipv4', 'assigned', 'rita', 'uwe-ns'],
      ['192.0.2.12', 'ipv4', 'assigned', 'rita', 'vera'],
      ['192.0.2.13', 'ipv4', 'assigned', 'rita', ''],
      ['192.0.2.9', 'ipv4', 'assigned', 'rita', 'rita'],
      ['198.51.100.1', 'ipv4', 'assigned', 'walt', 'walt'],
      ['198.51.100.2', 'ipv4', 'free', '', ''],
      ['198.51.100.3', 'ipv4', 'shared', '', 'shared'],
      ['2001:db8::10', 'ipv6', 'assigned', 'rita', 'rita'],
    ]);
    expect(shown(rita)).toEqual([
      ['192.0.2.10', 'ipv4', 'assigned', 'rita', 'rita'],
      ['192.0.2.11', 'ipv4', 'assigned', 'Uwe', 'uwe-ns'],
      ['192.0.2.12', 'ipv4', 'shared', '', 'vera'],
      ['192.0.2.13', 'ipv4', 'free', '', ''],
      ['192.0.2.9', 'ipv4', 'assigned', 'rita', 'rita'],
      ['2001:db8::10', 'ipv6', 'assigned', 'rita', 'rita'],
    ]);
    expect(names(sqlListRows(db, addressListing(null), []).rows)).toEqual(['198.51.100.1', '198.51.100.2', '198.51.100.3']);
  });
});

describe('sqlListDoc', () => {
  /** 57 users with names, limits and states that sort and filter differently. */
  function many(db: Db): void {
    for (let i = 0; i < 57; i++) {
      insertAccount(db, { name: `u${String((i * 37) % 57).padStart(2, '0')}${i % 3 === 0 ? 'X' : 'y'}`, level: Level.user, resellerId: null, passwordHash: '', disabled: i % 5 === 0, namespaceId: null, domainLimit: (i * 7) % 11 });
    }
  }

  it('gives every query the rows the JavaScript list gives: filter, then sort, then page, with the count', () => {
    const db = dbs.open();
    many(db);
    const list = accountListing(Level.user, undefined);
    const all = sqlListRows(db, list, []).rows;
    const queries: ListQuery[] = [
      {},
      { page: { num: 1, cnt: 10 } },
      { page: { num: 6, cnt: 10 } },
      { page: { num: 7, cnt: 10 } },
      { filter: [{ column: 'name', value: 'x', exact: false }] },
      { filter: [{ column: 'name', value: 'x', exact: false }], page: { num: 2, cnt: 5 } },
      { filter: [{ column: 'status', value: 'suspended', exact: true }, { column: 'domain_limit', value: '1', exact: false }], page: { num: 1, cnt: 3 } },
      { sort: { column: 'domain_limit', desc: true }, page: { num: 2, cnt: 7 } },
      { sort: { column: 'status', desc: false } },
      { filter: [{ column: 'name', value: 'y', exact: false }], sort: { column: 'domain_limit', desc: false }, page: { num: 3, cnt: 4 } },
      { filter: [{ column: 'name', value: 'u00x', exact: true }] },
    ];
    for (const q of queries) {
      const expected = q.filter === undefined && q.sort === undefined && q.page === undefined ? { kind: 'list', rows: all } : applyListQuery(all, q);
      expect(sqlListDoc(db, list, q), JSON.stringify(q)).toEqual(expected);
    }
    // The filter matched something and the page past the end is empty, with the count.
    expect(sqlListDoc(db, list, { filter: [{ column: 'name', value: 'x', exact: false }] }).rows).toHaveLength(19);
    expect(sqlListDoc(db, list, { page: { num: 7, cnt: 10 } })).toMatchObject({ rows: [], page: { num: 7, cnt: 10, elems: 57 } });
  });
});
