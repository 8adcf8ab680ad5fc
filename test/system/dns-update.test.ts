// The wire forms dnsmgr's DNS UPDATE writes by hand (the integration test sends them to a real named).
import { describe, expect, it } from 'vitest';
import type { IpAddress } from '../../src/model/address';
import { encodeName, encodeRdata, responseCode } from '../../src/system/dns-update';

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
