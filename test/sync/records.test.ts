// A master zone's records in the name server against the database's: what differs, and the one UPDATE putting it right.
import { describe, expect, it } from 'vitest';
import { parseRecord, recordKey } from '../../src/model/record';
import type { RecordInput } from '../../src/model/record';
import type { RecordOp } from '../../src/dns/backend';
import { diffRecords, diffServed, repairOps } from '../../src/sync/records';
import { zn } from '../helpers/brands';

const ZONE = zn('example.com');
const rec = (input: RecordInput) => parseRecord(ZONE, input);
const show = (ops: RecordOp[]): string[] => ops.map((o) => (o.op === 'delete-rrset' ? `${o.op} ${o.name} ${o.type}` : o.op === 'primary' ? `${o.op} ${o.zone} ${o.mname}` : `${o.op} ${o.record.ttl} ${recordKey(o.record)}`));

describe('diffRecords', () => {
  it('what the name server lacks and has too many; a record of another TTL counts as both', () => {
    const www = rec({ name: 'www', rtype: 'A', value: '192.0.2.1' });
    const txt = rec({ name: '_acme-challenge', rtype: 'TXT', ttl: '60', value: 'tok' });
    const stray = rec({ name: 'stray', rtype: 'A', value: '192.0.2.9' });
    const mx = rec({ name: '@', rtype: 'MX', priority: '10', value: 'mail', ttl: '300' });
    const diff = diffRecords([www, txt, mx], [www, stray, { ...mx, ttl: 3600 }]);
    expect(diff.lacks).toEqual([txt, mx]);
    expect(diff.extra).toEqual([stray, { ...mx, ttl: 3600 }]);
    expect(diffRecords([www, txt], [txt, www])).toEqual({ lacks: [], extra: [] });
  });

  it('with the SOA\'s primary: differs only when the database names one and the name server another', () => {
    const www = rec({ name: 'www', rtype: 'A', value: '192.0.2.1' });
    expect(diffServed([www], 'ns1.example.com', { records: [www], primary: 'ns1.example.com' })).toEqual({ lacks: [], extra: [] });
    const moved = diffServed([www], 'ns2.example.net', { records: [], primary: 'ns1.example.com' });
    expect(moved).toEqual({ lacks: [www], extra: [], primary: 'ns2.example.net' });
    expect(diffServed([www], undefined, { records: [www], primary: 'ns1.example.com' })).toEqual({ lacks: [], extra: [] });
    expect(diffServed([www], 'ns2.example.net', { records: [www], primary: '' })).toEqual({ lacks: [], extra: [] });
  });
});

describe('repairOps', () => {
  it('deletes first (a CNAME may replace other data), adds, and deletes the apex NS records last (a zone keeps its last NS)', () => {
    const diff = {
      lacks: [rec({ name: 'www', rtype: 'CNAME', value: 'web.example.net.' }), rec({ name: '@', rtype: 'NS', value: 'ns3.example.net.' })],
      extra: [rec({ name: '@', rtype: 'NS', value: 'ns1.example.com.' }), rec({ name: 'www', rtype: 'A', value: '192.0.2.1' }), rec({ name: 'sub', rtype: 'NS', value: 'ns.example.org.' })],
    };
    expect(show(repairOps(ZONE, diff))).toEqual([
      'delete 3600 www.example.com. A  192.0.2.1',
      'delete 3600 sub.example.com. NS  ns.example.org.',
      'add 3600 www.example.com. CNAME  web.example.net.',
      'add 3600 example.com. NS  ns3.example.net.',
      'delete 3600 example.com. NS  ns1.example.com.',
    ]);
    expect(repairOps(ZONE, { lacks: [], extra: [] })).toEqual([]);
    // The SOA's primary after the NS records it names.
    expect(show(repairOps(ZONE, { ...diff, primary: 'ns3.example.net' })).slice(-2)).toEqual(['delete 3600 example.com. NS  ns1.example.com.', 'primary example.com ns3.example.net']);
    expect(show(repairOps(ZONE, { lacks: [], extra: [], primary: 'ns3.example.net' }))).toEqual(['primary example.com ns3.example.net']);
  });
});
