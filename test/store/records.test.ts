// A master zone's records in the store (issue 12): kept under DNSmanager's record key, read back as they were given,
// added all or none, deleted by key, gone with their zone.
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/model/record';
import type { RecordInput } from '../../src/model/record';
import { addRecords, deleteRecordsByKey, getZoneSoa, hasUnsentChanges, markSent, markUnsent, recordPage, recordsByKey, recordsNamed, releaseUnsent, setZoneSoa, unsentChanges, zoneRecords } from '../../src/store/records';
import { recordKey } from '../../src/model/record';
import { applyListQuery } from '../../src/funcs/lists';
import { deleteZoneRow, insertZone } from '../../src/store/zones';
import { ips, zn } from '../helpers/brands';
import { seed, useTempDbs } from './temp-db';

const dbs = useTempDbs();
const ZONE = zn('example.com');
const rec = (input: RecordInput) => parseRecord(ZONE, input);

function withZone() {
  const db = dbs.open();
  const f = seed(db);
  const id = insertZone(db, { name: ZONE, namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.2'), claim: 'p1:a' });
  return { db, id };
}

describe('zone records', () => {
  it('are read back as given, by name and key', () => {
    const { db, id } = withZone();
    const records = [
      rec({ name: 'www', rtype: 'A', value: '192.0.2.1' }),
      rec({ name: '@', rtype: 'MX', priority: '10', value: 'mail' }),
      rec({ name: '_acme-challenge', rtype: 'TXT', ttl: '60', value: '"tok"' }),
    ];
    expect(addRecords(db, id, records)).toBe(true);
    expect(zoneRecords(db, id)).toEqual([records[2], records[1], records[0]]);
    expect(recordsNamed(db, id, 'www.example.com')).toEqual([records[0]]);
    expect(recordsByKey(db, id, ['www.example.com. A  192.0.2.1', 'nope'])).toEqual([records[0]]);
  });

  it('are added all or none: one there already adds nothing', () => {
    const { db, id } = withZone();
    const a = rec({ name: 'www', rtype: 'A', value: '192.0.2.1' });
    addRecords(db, id, [a]);
    expect(addRecords(db, id, [rec({ name: 'new', rtype: 'A', value: '192.0.2.9' }), a])).toBe(false);
    expect(zoneRecords(db, id)).toEqual([a]);
  });

  it('are deleted by key, saying how many were there, and go with their zone', () => {
    const { db, id } = withZone();
    addRecords(db, id, [rec({ name: 'a', rtype: 'A', value: '192.0.2.1' }), rec({ name: 'b', rtype: 'A', value: '192.0.2.2' })]);
    expect(deleteRecordsByKey(db, id, ['a.example.com. A  192.0.2.1', 'a.example.com. A  192.0.2.1', 'zzz'])).toBe(1);
    expect(zoneRecords(db, id).map((r) => r.name)).toEqual(['b.example.com']);
    setZoneSoa(db, id, { mname: 'ns1.example.net', email: 'hostmaster@example.com', serial: 7, dnssec: true });
    expect(getZoneSoa(db, id)).toEqual({ mname: 'ns1.example.net', email: 'hostmaster@example.com', serial: 7, dnssec: true });
    deleteZoneRow(db, id, 'p1:a');
    expect(zoneRecords(db, id)).toEqual([]);
    expect(getZoneSoa(db, id)).toBeUndefined();
  });
});

describe('a page of the record list from SQLite', () => {
  /** The list's rows as the record list shows them, enough to compare orders: key, name with its dot, type, TTL. */
  const rowOf = (r: ReturnType<typeof rec>) => ({ rkey: recordKey(r), name: `${r.name}.`, rtype: r.data.type, ttl: String(r.ttl) });

  it.each([
    [undefined], [{ column: 'name', desc: false }], [{ column: 'name', desc: true }], [{ column: 'rkey', desc: true }],
    [{ column: 'rtype', desc: false }], [{ column: 'rtype', desc: true }], [{ column: 'ttl', desc: false }], [{ column: 'ttl', desc: true }],
  ])('is the page the list sorted in JavaScript gives, sorted by %j, every page of it', (sort) => {
    const { db, id } = withZone();
    // Names that order differently with and without their trailing dot (ab-c. < ab. but ab < ab-c), equal TTLs and types.
    const names = ['ab', 'ab-c', 'a', 'b.ab', 'z', 'm-1', 'm', '@', '*.w', '_x._tcp'];
    const records = names.flatMap((n, i) => [
      rec({ name: n, rtype: n === '_x._tcp' ? 'SRV' : 'A', value: n === '_x._tcp' ? 'host' : `192.0.2.${i + 1}`, priority: '1', weight: '1', port: '1', ttl: String(60 * (i % 3 + 1)) }),
      rec({ name: n, rtype: 'TXT', value: `t-${i}`, ttl: String(60 * (i % 3 + 1)) }),
    ]);
    addRecords(db, id, records);
    const all = recordPage(db, id, undefined, { offset: 0, limit: -1 }).records.map(rowOf);
    for (let num = 1; num <= 5; num++) {
      const page = { num, cnt: 6 };
      const js = applyListQuery(all, { ...(sort === undefined ? {} : { sort }), page });
      const sql = recordPage(db, id, sort, { offset: (num - 1) * 6, limit: 6 });
      expect(sql.records.map(rowOf)).toEqual([...js.rows]);
      expect(sql.total).toBe(records.length);
    }
  });
});

describe('unsent record changes', () => {
  it('are kept per request until sent, released to the next request, and gone with their zone', () => {
    const { db, id } = withZone();
    expect(hasUnsentChanges(db)).toBe(false);
    markUnsent(db, id, 'p1:a');
    markUnsent(db, id, 'p2:b');
    expect(hasUnsentChanges(db)).toBe(true);
    expect(unsentChanges(db, id).map((u) => u.claim).sort()).toEqual(['p1:a', 'p2:b']);
    expect(unsentChanges(db, id).every((u) => u.claimedAt > 0)).toBe(true);
    markSent(db, id, ['p1:a']);
    releaseUnsent(db, id, 'p2:b');
    expect(unsentChanges(db)).toEqual([{ zoneId: id, claim: 'p2:b', claimedAt: 0 }]);
    deleteZoneRow(db, id, 'p1:a');
    expect(hasUnsentChanges(db)).toBe(false);
  });
});
