// The domain list's filter=on done by SQLite must keep exactly the rows the generic filter keeps: dispatch applies the
// generic one again to whatever a list returns, so any difference would show as rows lost.
import { describe, expect, it } from 'vitest';
import { filterRows, parseListFilter } from '../../src/funcs/lists';
import { insertZone } from '../../src/store/zones';
import { LISTING_COLUMNS, listZones } from '../../src/store/zone-listing';
import { seed, useTempDbs } from './temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

function world() {
  const db = dbs.open();
  const f = seed(db);
  const add = (name: string, ns: number, owner: number, masters: string[]) => insertZone(db, { name: zn(name), namespaceId: ns, ownerId: owner, masters: ips(...masters), claim: 'c' });
  add('example.com', f.nsAlice, f.alice, ['198.51.100.1']);
  add('sub.example.com', f.nsAlice, f.alice, ['198.51.100.1', '2001:db8::1']);
  add('myexample.com', f.nsBob, f.bob, ['198.51.100.2']);
  add('example.com', f.nsBob, f.bob, ['198.51.100.3']);
  add('xn--e1afmkfd.xn--p1ai', f.nsBob, f.bob, ['203.0.113.5']);
  add('a_b%c.example', f.nsAlice, f.alice, ['198.51.100.9']);
  return { db, f };
}

const list = { name: 'domain', columns: LISTING_COLUMNS, params: [] };
const CASES: Record<string, string>[] = [
  { name: 'example.com' },
  { name: 'EXAMPLE.COM' },
  { name: '"example.com"' },
  { name: '"Example.Com"' },
  { name: 'xn--' },
  { name: '%' },
  { name: '_' },
  { name: '"%"' },
  { name: '' },
  { name: '""' },
  { owner: 'bob', name: 'example' },
  { owner: '"ali"' },
  { masterip: '2001:DB8::1' },
  { masterip: ', ' },
  { status: 'adding' },
  { dtype: 'slave', serial: '' },
  { reason: 'nothing like this' },
];

describe('listZones with a filter', () => {
  it.each(CASES)('%o keeps the rows the generic filter keeps', (values) => {
    const { db } = world();
    const filter = parseListFilter({ filter: 'on', ...values }, list) ?? [];
    const all = listZones(db);
    expect(listZones(db, undefined, filter)).toEqual(filterRows(all, filter));
  });

  it('contains, ignoring ASCII case; double quotes for the whole value; owners still limit the rows', () => {
    const { db, f } = world();
    const names = (values: Record<string, string>, owners?: number[]) =>
      listZones(db, owners, parseListFilter({ filter: 'on', ...values }, list)).map((z) => `${z.name}/${z.owner}`);
    expect(names({ name: 'Example.com' })).toEqual(['example.com/alice', 'example.com/bob', 'myexample.com/bob', 'sub.example.com/alice']);
    expect(names({ name: '"example.com"' })).toEqual(['example.com/alice', 'example.com/bob']);
    expect(names({ name: 'example.com' }, [f.alice])).toEqual(['example.com/alice', 'sub.example.com/alice']);
    expect(names({ name: '%' })).toEqual(['a_b%c.example/alice']);
    expect(names({ owner: 'bob', masterip: '198.51.100.' })).toEqual(['example.com/bob', 'myexample.com/bob']);
  });
});
