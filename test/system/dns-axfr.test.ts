// A master zone read back (AXFR): the signed query dnsmgr writes by hand, and the transfer's records as the model's
// (the integration test reads a real named's zone).
import { createHmac } from 'node:crypto';
import * as dnsPacket from 'dns-packet';
import type { Answer } from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { primaryOfTransfer, recordsOfTransfer } from '../../src/system/dns-axfr';
import { encodeQuery } from '../../src/system/dns-update';
import { recordKey } from '../../src/model/record';

const KEY = { name: 'dnsmgr-update-_dnsmgr', secret: Buffer.alloc(32, 7).toString('base64') };

/** The answers as they come off the wire: encoded, then decoded as transferZone decodes them. */
function wire(answers: Answer[]): Answer[] {
  return dnsPacket.decode(dnsPacket.encode({ type: 'response', id: 1, answers })).answers ?? [];
}

const SOA: Answer = { type: 'SOA', name: 'example.com', ttl: 3600, data: { mname: 'ns1.example.com', rname: 'admin.example.com', serial: 7, refresh: 1, retry: 1, expire: 1, minimum: 1 } };

describe('the AXFR query', () => {
  it('asks for the zone by AXFR, signed with the key (hmac-sha256 over the message and the TSIG variables)', () => {
    const id = 0x2345;
    const now = 1_700_000_000;
    const query = encodeQuery('example.com', 252, KEY, id, now);
    const decoded = dnsPacket.decode(query);
    expect(decoded.id).toBe(id);
    expect(decoded.questions).toEqual([{ name: 'example.com', type: 'AXFR', class: 'IN' }]);
    expect(decoded.additionals?.map((a) => [a.name, a.type])).toEqual([[KEY.name, 'TSIG']]);
    // The MAC covers the message without its TSIG (ARCOUNT 0) and the TSIG's variables.
    const unsigned = Buffer.from(query.subarray(0, 12 + 13 + 4));
    unsigned.writeUInt16BE(0, 10);
    const name = (n: string): Buffer => Buffer.concat([...n.split('.').map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l)])), Buffer.from([0])]);
    const time = Buffer.alloc(6);
    time.writeUIntBE(now, 0, 6);
    const variables = Buffer.concat([name(KEY.name), Buffer.from([0, 255, 0, 0, 0, 0]), name('hmac-sha256'), time, Buffer.from([1, 44, 0, 0, 0, 0])]);
    const mac = createHmac('sha256', Buffer.from(KEY.secret, 'base64')).update(Buffer.concat([unsigned, variables])).digest();
    expect(query.includes(mac)).toBe(true);
  });
});

describe('the records of a transfer', () => {
  it('every type dnsmgr manages, as the model has it: names lowercase without the dot, TXT strings joined, addresses canonical', () => {
    const records = recordsOfTransfer(wire([
      SOA,
      { type: 'NS', name: 'example.com', ttl: 3600, data: 'NS1.Example.com' },
      { type: 'A', name: 'WWW.example.com', ttl: 60, data: '192.0.2.1' },
      { type: 'AAAA', name: 'v6.example.com', ttl: 60, data: '2001:DB8:0:0:0:0:0:41' },
      { type: 'CNAME', name: 'alias.example.com', ttl: 60, data: 'www.example.com' },
      { type: 'MX', name: 'example.com', ttl: 60, data: { preference: 20, exchange: 'mx2.example.net' } },
      { type: 'TXT', name: 'long.example.com', ttl: 60, data: ['x'.repeat(255), 'y'.repeat(45)] },
      { type: 'SRV', name: '_sip._tcp.example.com', ttl: 60, data: { priority: 10, weight: 5, port: 5060, target: 'sip.example.org' } },
      { type: 'SRV', name: '_none._tcp.example.com', ttl: 60, data: { priority: 0, weight: 0, port: 0, target: '.' } },
      { type: 'PTR', name: '41.example.com', ttl: 60, data: 'host.example.org' },
      { type: 'CAA', name: 'example.com', ttl: 60, data: { flags: 128, tag: 'issue', value: 'letsencrypt.org' } },
      SOA,
    ]));
    expect(records.map((r) => `${r.ttl} ${recordKey(r)}`)).toEqual([
      '3600 example.com. NS  ns1.example.com.',
      '60 www.example.com. A  192.0.2.1',
      '60 v6.example.com. AAAA  2001:db8::41',
      '60 alias.example.com. CNAME  www.example.com.',
      '60 example.com. MX  20 mx2.example.net.',
      `60 long.example.com. TXT  ${'x'.repeat(255)}${'y'.repeat(45)}`,
      '60 _sip._tcp.example.com. SRV  10 5 5060 sip.example.org.',
      '60 _none._tcp.example.com. SRV  0 0 0 .',
      '60 41.example.com. PTR  host.example.org.',
      '60 example.com. CAA  128 issue "letsencrypt.org"',
    ]);
  });

  it('leaves out the SOA, the DNSSEC records the name server signs with, and types dnsmgr has no records of', () => {
    const records = recordsOfTransfer(wire([
      SOA,
      { type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.1' },
      { type: 'RRSIG', name: 'example.com', ttl: 60, data: { typeCovered: 'A', algorithm: 13, labels: 2, originalTTL: 60, expiration: 2, inception: 1, keyTag: 1, signersName: 'example.com', signature: Buffer.alloc(64) } },
      { type: 'NSEC', name: 'example.com', ttl: 60, data: { nextDomain: 'www.example.com', rrtypes: ['A', 'NS', 'SOA', 'RRSIG', 'NSEC', 'DNSKEY'] } },
      { type: 'NSEC3', name: 'abc.example.com', ttl: 60, data: { algorithm: 1, flags: 0, iterations: 0, salt: Buffer.alloc(0), nextDomain: Buffer.alloc(20), rrtypes: ['A'] } },
      { type: 'DNSKEY', name: 'example.com', ttl: 60, data: { flags: 257, algorithm: 13, key: Buffer.alloc(64) } },
      { type: 'UNKNOWN_65534', name: 'example.com', ttl: 0, data: Buffer.from([13, 0, 1, 1, 0]) },
      { type: 'UNKNOWN_59', name: 'example.com', ttl: 60, data: Buffer.from([1, 2, 3, 4]) },
      { type: 'HINFO', name: 'example.com', ttl: 60, data: { cpu: 'x', os: 'y' } },
      { type: 'CAA', name: 'example.com', ttl: 60, data: { flags: 0, tag: 'contactemail', value: 'a@example.com' } },
      SOA,
    ] as Answer[]));
    expect(records.map(recordKey)).toEqual(['example.com. A  192.0.2.1']);
  });

  it('says which primary the SOA names, as the model has names; none without an SOA', () => {
    expect(primaryOfTransfer(wire([{ ...SOA, data: { ...SOA.data, mname: 'NS1.Example.COM.' } } as Answer, SOA]))).toBe('ns1.example.com');
    expect(primaryOfTransfer(wire([{ type: 'A', name: 'example.com', ttl: 60, data: '192.0.2.1' }]))).toBeUndefined();
  });
});
