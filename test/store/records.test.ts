// A master zone's records in the store (issue 12): kept under DNSmanager's record key, read back as they were given,
// added all or none, deleted by key, gone with their zone.
import { describe, expect, it } from 'vitest';
import { parseRecord } from '../../src/model/record';
import type { RecordInput } from '../../src/model/record';
import { addRecords, deleteRecordsByKey, getZoneSoa, hasUnsentChanges, markSent, markUnsent, recordPage, recordsByKey, recordsNamed, releaseUnsent, setZoneSoa, unsentChanges, zoneRecords } from '../../src/store/records';
import { presentData, recordKey, recordValue } from '../../src/model/record';
import Database from 'better-sqlite3';
import { MIGRATIONS, migrate, runMigrations } from '../../src/store/migrations';
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
  /** A row as the record list shows it (funcs/records): key, name with its dot, type, TTL, value, data. */
  const rowOf = (r: ReturnType<typeof rec>) => ({ rkey: recordKey(r), name: `${r.name}.`, rtype: r.data.type, ttl: String(r.ttl), value: recordValue(r.data), info: presentData(r.data) });
  const long = (c: string) => `${c.repeat(254)}\u00e9${c.repeat(30)}`;

  it.each([
    [undefined], [{ column: 'name', desc: false }], [{ column: 'name', desc: true }], [{ column: 'rkey', desc: true }],
    [{ column: 'rtype', desc: false }], [{ column: 'rtype', desc: true }], [{ column: 'ttl', desc: false }], [{ column: 'ttl', desc: true }],
    [{ column: 'value', desc: false }], [{ column: 'value', desc: true }], [{ column: 'info', desc: false }], [{ column: 'info', desc: true }],
  ])('is the page the list sorted in JavaScript gives, sorted by %j, every page of it', (sort) => {
    const { db, id } = withZone();
    // Names that order differently with and without their trailing dot (ab-c. < ab. but ab < ab-c), equal TTLs and types.
    const names = ['ab', 'ab-c', 'a', 'b.ab', 'z', 'm-1', 'm', '@', '*.w', '_x._tcp'];
    const records = names.flatMap((n, i) => [
      rec({ name: n, rtype: n === '_x._tcp' ? 'SRV' : 'A', value: n === '_x._tcp' ? 'host' : `192.0.2.${i + 1}`, priority: '1', weight: '1', port: '1', ttl: String(60 * (i % 3 + 1)) }),
      rec({ name: n, rtype: 'TXT', value: `t-${i}`, ttl: String(60 * (i % 3 + 1)) }),
    ]);
    // Values that mix whole numbers and text starting with digits (MX, SRV, CAA, TXT), TXT data that sorts otherwise
    // than its text (quotes and backslashes escaped, strings of 255 bytes), Unicode either side of U+E000 and beyond.
    records.push(
      ...['9', '10', '010', '1000000000000000', '10 x', '"q"', 'a\\b', long('a'), long('b'), '\ue000', '\ud83d\ude00', ' sp'].map((text, i) => rec({ name: `t${i}`, rtype: 'TXT', value: JSON.stringify(text) })),
      rec({ name: '@', rtype: 'MX', priority: '10', value: 'mail' }),
      rec({ name: '@', rtype: 'MX', priority: '9', value: 'mx' }),
      rec({ name: '@', rtype: 'CAA', value: '0 issue "ca.example.net"' }),
      rec({ name: '_sip._udp', rtype: 'SRV', value: 'sip', priority: '10', weight: '0', port: '5060' }),
    );
    expect(addRecords(db, id, records)).toBe(true);
    const all = recordPage(db, id, undefined, { offset: 0, limit: -1 }).records.map(rowOf);
    for (let num = 1; num <= 8; num++) {
      const page = { num, cnt: 6 };
      const js = applyListQuery(all, { ...(sort === undefined ? {} : { sort }), page });
      const sql = recordPage(db, id, sort, { offset: (num - 1) * 6, limit: 6 });
      expect(sql.records.map(rowOf)).toEqual([...js.rows]);
      expect(sql.total).toBe(records.length);
    }
    const whole = recordPage(db, id, sort, { offset: 0, limit: -1 }).records.map(rowOf);
    expect(whole).toEqual([...applyListQuery(all, sort === undefined ? {} : { sort }).rows]);
  });

  it('refuses a column the record list does not have, before anything reaches SQL', () => {
    const { db, id } = withZone();
    expect(() => recordPage(db, id, { column: 'data; DROP TABLE zone', desc: false }, { offset: 0, limit: 1 })).toThrow('not a column of the record list');
  });

  it('sorts a TXT record stored before its data was kept (the migration fills it in)', () => {
    const file = dbs.file();
    dbs.open(file).close();
    const raw = new Database(`${file}-old`);
    try {
      runMigrations(raw, MIGRATIONS.slice(0, -1));
      const f = seed(raw);
      const zone = insertZone(raw, { name: ZONE, namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.2'), claim: 'p1:a' });
      const txt = [rec({ name: 'a', rtype: 'TXT', value: '"say \\"hi\\""' }), rec({ name: 'b', rtype: 'TXT', value: JSON.stringify(long('x')) }), rec({ name: 'c', rtype: 'A', value: '192.0.2.1' })];
      const insert = raw.prepare('INSERT INTO zone_record (zone_id, name, type, ttl, data, rkey) VALUES (?, ?, ?, ?, ?, ?)');
      for (const r of txt) insert.run(zone, r.name, r.data.type, r.ttl, JSON.stringify(r.data), recordKey(r));
      migrate(raw);
      expect(raw.prepare('SELECT name, info FROM zone_record ORDER BY name').all()).toEqual([
        { name: 'a.example.com', info: '"say \\"hi\\""' },
        { name: 'b.example.com', info: presentData(txt[1]!.data) },
        { name: 'c.example.com', info: null },
      ]);
      expect(presentData(txt[1]!.data)).toContain('" "'); // two strings
      // By data the quoted strings come first ('"' < '1'); by value the address ('1' < 's' < 'x').
      const order = (column: string) => recordPage(raw, zone, { column, desc: false }, { offset: 0, limit: -1 }).records.map((r) => r.name[0]);
      expect(order('info')).toEqual(['a', 'b', 'c']);
      expect(order('value')).toEqual(['c', 'a', 'b']);
    } finally {
      raw.close();
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
