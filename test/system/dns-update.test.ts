// The wire forms dnsmgr's DNS UPDATE writes by hand (the integration test sends them to a real named).
import { describe, expect, it } from 'vitest';
import type { IpAddress } from '../../src/model/address';
import * as dnsPacket from 'dns-packet';
import { encodeName, encodeRdata, encodeUpdate, parseSoaAnswer, responseCode } from '../../src/system/dns-update';

describe('wire forms', () => {
  it('names: length-prefixed labels, then the root', () => {
    expect(encodeName('_acme-challenge.example.com').toString('hex')).toBe('0f5f61636d652d6368616c6c656e6765076578616d706c6503636f6d00');
    expect(encodeName('')).toEqual(Buffer.from([0]));
  });

  it.each([
    ['::1', '00000000000000000000000000000001'],
    ['2001:db8::', '20010db8000000000000000000000000'],
    ['2001:db8:1:2:3:4:5:6', '20010db8000100020003000400050006'],
    ['fe80::1:2', 'fe800000000000000000000000010002'],
  ])('IPv6 %s as its 16 bytes', (address, hex) => {
    expect(encodeRdata({ type: 'AAAA', address: address as IpAddress }).toString('hex')).toBe(hex);
  });

  it('TXT: strings of at most 255 bytes, each with its length', () => {
    const wire = encodeRdata({ type: 'TXT', text: 'x'.repeat(300) });
    expect(wire[0]).toBe(255);
    expect(wire[256]).toBe(45);
    expect(wire.length).toBe(302);
  });

  it('reads the response code of the answer to its own message only', () => {
    const answer = Buffer.from('1234a8090000000000000000', 'hex');
    expect(responseCode(answer, 0x1234)).toBe('NOTAUTH');
    expect(responseCode(answer, 0x4321)).toBe('FORMERR');
  });
});

describe('an SOA with another primary', () => {
  const KEY = { name: 'dnsmgr-update-_dnsmgr', secret: Buffer.alloc(32, 7).toString('base64') };
  const SOA = { type: 'SOA' as const, name: 'example.com', ttl: 3600, data: { mname: 'ns1.example.com', rname: 'first\\.last.example.com', serial: 4294967295, refresh: 10800, retry: 3600, expire: 604800, minimum: 300 } };

  it('is read from the first message of a transfer, names uncompressed as they came (a dot inside the mailbox\'s first label kept)', () => {
    // dns-packet writes names whole; the name server compresses them, as this message does by hand after the question.
    const plain = dnsPacket.encode({ type: 'response', id: 9, flags: dnsPacket.AUTHORITATIVE_ANSWER, questions: [{ type: 'AXFR', name: 'example.com' }], answers: [SOA, { type: 'A', name: 'www.example.com', ttl: 60, data: '192.0.2.1' }] });
    const soa = parseSoaAnswer(plain);
    expect(soa).toMatchObject({ ttl: 3600, mname: 'ns1.example.com', serial: 4294967295 });
    expect(soa?.rnameWire.toString('hex')).toBe(Buffer.concat([Buffer.from([10]), Buffer.from('first.last'), encodeName('example.com')]).toString('hex'));
    expect(soa?.timers.toString('hex')).toBe('00002a3000000e1000093a800000012c');
    // The owner and both names as pointers to the question's name (offset 12).
    const question = Buffer.concat([encodeName('example.com'), Buffer.from('00fc0001', 'hex')]);
    const rdata = Buffer.concat([Buffer.from([3]), Buffer.from('ns1'), Buffer.from('c00c', 'hex'), Buffer.from([10]), Buffer.from('first.last'), Buffer.from('c00c', 'hex'), Buffer.from('0000000700002a3000000e1000093a800000012c', 'hex')]);
    const header = Buffer.from('000984000001000100000000', 'hex');
    const compressed = Buffer.concat([header, question, Buffer.from('c00c000600010000003c', 'hex'), Buffer.from([0, rdata.length]), rdata]);
    expect(parseSoaAnswer(compressed)).toEqual({ ttl: 60, mname: 'ns1.example.com', mnameWire: encodeName('ns1.example.com'), rnameWire: soa?.rnameWire, serial: 7, timers: soa?.timers });
    // Not an answer, no SOA, cut short, a pointer loop: nothing.
    expect(parseSoaAnswer(Buffer.from(compressed).fill(0, 2, 3))).toBeUndefined();
    expect(parseSoaAnswer(dnsPacket.encode({ type: 'response', id: 9, answers: [{ type: 'A', name: 'a.example.com', data: '192.0.2.1' }] }))).toBeUndefined();
    expect(parseSoaAnswer(compressed.subarray(0, compressed.length - 4))).toBeUndefined();
    const loop = Buffer.from(compressed);
    loop.writeUInt16BE(0xc000 | (12 + question.length), 12 + question.length);
    expect(parseSoaAnswer(loop)).toBeUndefined();
  });

  it('is sent on the condition that the SOA is the one read, with the serial one further (wrapping past 0, as named does), beside the record changes', () => {
    const soa = parseSoaAnswer(dnsPacket.encode({ type: 'response', id: 1, answers: [SOA] }))!;
    const message = encodeUpdate('example.com', [{ op: 'delete-rrset', name: 'example.com', type: 'NS' }], KEY, 0x77, 1_700_000_000, { soa, mname: 'ns2.example.net' });
    // UPDATE's sections are the query's: zone, prerequisites, updates, additional (the TSIG).
    expect([4, 6, 8, 10].map((at) => message.readUInt16BE(at))).toEqual([1, 1, 2, 1]);
    const decoded = dnsPacket.decode(message);
    expect(decoded.answers).toEqual([{ name: 'example.com', type: 'SOA', class: 'IN', ttl: 0, flush: false, data: SOA.data }]);
    expect(decoded.authorities?.[1]).toEqual({ name: 'example.com', type: 'SOA', class: 'IN', ttl: 3600, flush: false, data: { ...SOA.data, mname: 'ns2.example.net', serial: 1 } });
    // Without a new primary: no prerequisite, as before.
    const plain = encodeUpdate('example.com', [{ op: 'delete-rrset', name: 'example.com', type: 'NS' }], KEY, 0x77, 1_700_000_000);
    expect([4, 6, 8, 10].map((at) => plain.readUInt16BE(at))).toEqual([1, 0, 1, 1]);
  });
});
