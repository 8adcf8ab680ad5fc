import { describe, expect, it } from 'vitest';
import { parseContent, quotedStrings, recordContent, rrsetPatch, rrsetsToRecords, touchedRrsets } from '../../../src/dns/powerdns/rrsets';
import type { Rrset } from '../../../src/dns/powerdns/rrsets';
import type { RecordOp } from '../../../src/dns/backend';
import type { IpAddress } from '../../../src/model/address';
import type { DnsRecord } from '../../../src/model/record';

const ip = (s: string): IpAddress => s as IpAddress;
const set = (name: string, type: string, ttl: number, ...contents: string[]): Rrset => ({ name, type, ttl, records: contents.map((content) => ({ content, disabled: false })) });

/** One record of every type dnsmgr writes, with its content as PowerDNS 4.7 answers it. */
const EVERY_TYPE: [DnsRecord, string][] = [
  [{ name: 'z.example', ttl: 3600, data: { type: 'A', address: ip('192.0.2.1') } }, '192.0.2.1'],
  [{ name: 'v6.z.example', ttl: 60, data: { type: 'AAAA', address: ip('2001:db8::41') } }, '2001:db8::41'],
  [{ name: 'alias.z.example', ttl: 300, data: { type: 'CNAME', target: 'www.z.example' } }, 'www.z.example.'],
  [{ name: 'sub.z.example', ttl: 300, data: { type: 'NS', target: 'ns.example.org' } }, 'ns.example.org.'],
  [{ name: '41.z.example', ttl: 300, data: { type: 'PTR', target: 'host.example.org' } }, 'host.example.org.'],
  [{ name: 'z.example', ttl: 3600, data: { type: 'MX', priority: 20, exchange: 'mx2.example.net' } }, '20 mx2.example.net.'],
  [{ name: '_sip._tcp.z.example', ttl: 300, data: { type: 'SRV', priority: 10, weight: 5, port: 5060, target: 'sip.example.org' } }, '10 5 5060 sip.example.org.'],
  [{ name: '_x._udp.z.example', ttl: 300, data: { type: 'SRV', priority: 0, weight: 0, port: 0, target: '.' } }, '0 0 0 .'],
  [{ name: 'z.example', ttl: 3600, data: { type: 'CAA', flags: 0, tag: 'issue', value: 'letsencrypt.org' } }, '0 issue "letsencrypt.org"'],
  [{ name: 't.z.example', ttl: 60, data: { type: 'TXT', text: 'v=spf1 -all' } }, '"v=spf1 -all"'],
  [{ name: '*.z.example', ttl: 60, data: { type: 'TXT', text: 'say "hi" \\ there' } }, '"say \\"hi\\" \\\\ there"'],
];

describe('records and PowerDNS content', () => {
  it.each(EVERY_TYPE)('%j is written as PowerDNS reads it, and read back the same', (record, content) => {
    expect(recordContent(record.data)).toBe(content);
    expect(parseContent(record.data.type, content)).toEqual(record.data);
    expect(rrsetsToRecords([set(`${record.name}.`, record.data.type, record.ttl, content)])).toEqual([record]);
  });

  it('a TXT longer than 255 bytes goes as several strings and comes back as one text', () => {
    const text = 'x'.repeat(300);
    expect(recordContent({ type: 'TXT', text })).toBe(`"${'x'.repeat(255)}" "${'x'.repeat(45)}"`);
    expect(parseContent('TXT', `"${'x'.repeat(255)}" "${'x'.repeat(45)}"`)).toEqual({ type: 'TXT', text });
  });

  it('reads bytes written as \\DDD, and raw UTF-8, as the text\'s characters', () => {
    expect(quotedStrings('"h\\195\\169llo" "é"')).toEqual(['héllo', 'é']);
    expect(parseContent('TXT', '"a\\034b"')).toEqual({ type: 'TXT', text: 'a"b' });
    expect(parseContent('CAA', '0 iodef "mailto:x@\\195\\169.example"')).toEqual({ type: 'CAA', flags: 0, tag: 'iodef', value: 'mailto:x@é.example' });
  });

  it('refuses content that is not what PowerDNS writes for the type', () => {
    expect(parseContent('A', '2001:db8::1')).toBeUndefined();
    expect(parseContent('AAAA', '192.0.2.1')).toBeUndefined();
    expect(parseContent('CNAME', 'relative')).toBeUndefined();
    expect(parseContent('MX', 'mail.example.')).toBeUndefined();
    expect(parseContent('SRV', '1 2 70000 x.example.')).toBeUndefined();
    expect(parseContent('TXT', 'bare')).toBeUndefined();
    expect(parseContent('TXT', '"open')).toBeUndefined();
    expect(parseContent('TXT', '"a""b"')).toBeUndefined();
    expect(parseContent('CAA', '0 weird "x"')).toBeUndefined();
    expect(quotedStrings('')).toBeUndefined();
  });

  it('leaves out the SOA, DNSSEC records, types dnsmgr never writes, and disabled records; names lowercase without their dot', () => {
    const records = rrsetsToRecords([
      set('Z.Example.', 'SOA', 3600, 'ns1.z.example. admin.z.example. 5 10800 3600 604800 3600'),
      set('z.example.', 'DNSKEY', 3600, '257 3 13 abc='),
      set('z.example.', 'RRSIG', 3600, 'A 13 2 3600 20261210000000 20261119000000 1 z.example. abc='),
      set('z.example.', 'NSEC3PARAM', 0, '1 0 0 -'),
      set('z.example.', 'HINFO', 3600, '"pc" "os"'),
      { name: 'WWW.z.example.', type: 'A', ttl: 60, records: [{ content: '192.0.2.1', disabled: false }, { content: '192.0.2.2', disabled: true }] },
    ]);
    expect(records).toEqual([{ name: 'www.z.example', ttl: 60, data: { type: 'A', address: '192.0.2.1' } }]);
  });
});

describe('rrsetPatch', () => {
  const a = (name: string, address: string, ttl = 300): DnsRecord => ({ name, ttl, data: { type: 'A', address: ip(address) } });
  const txt = (name: string, text: string, ttl = 60): DnsRecord => ({ name, ttl, data: { type: 'TXT', text } });

  it('adds a record beside the set\'s others, sending the whole set', () => {
    const current = [set('www.z.example.', 'A', 300, '192.0.2.1')];
    expect(rrsetPatch(current, [{ op: 'add', record: a('www.z.example', '192.0.2.2') }])).toEqual([
      { name: 'www.z.example.', type: 'A', changetype: 'REPLACE', ttl: 300, records: [{ content: '192.0.2.1', disabled: false }, { content: '192.0.2.2', disabled: false }] },
    ]);
  });

  it('makes a set the zone lacks', () => {
    expect(rrsetPatch([], [{ op: 'add', record: txt('_acme-challenge.z.example', 'token') }])).toEqual([
      { name: '_acme-challenge.z.example.', type: 'TXT', changetype: 'REPLACE', ttl: 60, records: [{ content: '"token"', disabled: false }] },
    ]);
  });

  it('deletes one record of a set, and the set with its last record', () => {
    const current = [set('www.z.example.', 'A', 300, '192.0.2.1', '192.0.2.2'), set('t.z.example.', 'TXT', 60, '"one"')];
    expect(rrsetPatch(current, [{ op: 'delete', record: a('www.z.example', '192.0.2.1') }, { op: 'delete', record: txt('t.z.example', 'one') }])).toEqual([
      { name: 'www.z.example.', type: 'A', changetype: 'REPLACE', ttl: 300, records: [{ content: '192.0.2.2', disabled: false }] },
      { name: 't.z.example.', type: 'TXT', changetype: 'DELETE' },
    ]);
  });

  it('changes a record (delete then add) in one replacement, the added record\'s TTL the set\'s', () => {
    const current = [set('c.z.example.', 'A', 300, '198.51.100.0', '198.51.100.50')];
    const ops: RecordOp[] = [{ op: 'delete', record: a('c.z.example', '198.51.100.0') }, { op: 'add', record: a('c.z.example', '198.51.100.1', 120) }];
    expect(rrsetPatch(current, ops)).toEqual([
      { name: 'c.z.example.', type: 'A', changetype: 'REPLACE', ttl: 120, records: [{ content: '198.51.100.1', disabled: false }, { content: '198.51.100.50', disabled: false }] },
    ]);
  });

  it('matches records by meaning, not by how PowerDNS spelled them', () => {
    const current = [set('WWW.Z.EXAMPLE.', 'AAAA', 300, '2001:0db8:0000::1'), set('t.z.example.', 'TXT', 60, '"h\\195\\169"')];
    expect(rrsetPatch(current, [
      { op: 'delete', record: { name: 'www.z.example', ttl: 300, data: { type: 'AAAA', address: ip('2001:db8::1') } } },
      { op: 'delete', record: txt('t.z.example', 'hé') },
    ])).toEqual([{ name: 'www.z.example.', type: 'AAAA', changetype: 'DELETE' }, { name: 't.z.example.', type: 'TXT', changetype: 'DELETE' }]);
  });

  it('sends nothing for what changes nothing: a record the set has, a delete of one it lacks', () => {
    const current = [set('www.z.example.', 'A', 300, '192.0.2.1')];
    expect(rrsetPatch(current, [{ op: 'add', record: a('www.z.example', '192.0.2.1') }])).toEqual([]);
    expect(rrsetPatch(current, [{ op: 'delete', record: a('www.z.example', '192.0.2.9') }])).toEqual([]);
    expect(rrsetPatch([], [{ op: 'delete', record: txt('gone.z.example', 'x') }])).toEqual([]);
    expect(rrsetPatch([], [{ op: 'delete-rrset', name: 'gone.z.example', type: 'MX' }])).toEqual([]);
  });

  it('a record the set has, added with another TTL, gives the set that TTL', () => {
    const current = [set('www.z.example.', 'A', 300, '192.0.2.1', '192.0.2.2')];
    expect(rrsetPatch(current, [{ op: 'add', record: a('www.z.example', '192.0.2.1', 900) }])).toEqual([
      { name: 'www.z.example.', type: 'A', changetype: 'REPLACE', ttl: 900, records: [{ content: '192.0.2.1', disabled: false }, { content: '192.0.2.2', disabled: false }] },
    ]);
  });

  it('deletes a whole set by name and type, leaving the name\'s other types alone', () => {
    const current = [set('m.z.example.', 'MX', 300, '10 a.example.', '20 b.example.')];
    expect(rrsetPatch(current, [{ op: 'delete-rrset', name: 'm.z.example', type: 'MX' }])).toEqual([{ name: 'm.z.example.', type: 'MX', changetype: 'DELETE' }]);
  });

  it('keeps a record it cannot read as PowerDNS wrote it, and leaves disabled ones out', () => {
    const current: Rrset[] = [{ name: 'w.z.example.', type: 'MX', ttl: 300, records: [{ content: '10 odd', disabled: false }, { content: '5 off.example.', disabled: true }] }];
    expect(rrsetPatch(current, [{ op: 'add', record: { name: 'w.z.example', ttl: 300, data: { type: 'MX', priority: 20, exchange: 'mx.example' } } }])).toEqual([
      { name: 'w.z.example.', type: 'MX', changetype: 'REPLACE', ttl: 300, records: [{ content: '10 odd', disabled: false }, { content: '20 mx.example.', disabled: false }] },
    ]);
  });

  it('reads only the sets the ops touch, each once', () => {
    expect(touchedRrsets([
      { op: 'delete', record: a('c.z.example', '198.51.100.0') },
      { op: 'add', record: a('c.z.example', '198.51.100.1') },
      { op: 'delete-rrset', name: 'c.z.example', type: 'TXT' },
    ])).toEqual([{ name: 'c.z.example', type: 'A' }, { name: 'c.z.example', type: 'TXT' }]);
  });
});
