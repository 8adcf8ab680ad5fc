// The NOTIFY dnsmgr sends for PowerDNS's master zones (the integration test has a real secondary take it).
import * as dnsPacket from 'dns-packet';
import { describe, expect, it } from 'vitest';
import { encodeNotify, sendNotify } from '../../src/system/dns-notify';

describe('NOTIFY', () => {
  it('is opcode NOTIFY, authoritative, asking about the zone\'s SOA', () => {
    const message = encodeNotify('example.com', 0x4242);
    expect(message.readUInt16BE(2)).toBe((4 << 11) | 0x0400);
    const decoded = dnsPacket.decode(message);
    expect(decoded.id).toBe(0x4242);
    expect(decoded.questions).toEqual([{ name: 'example.com', type: 'SOA', class: 'IN' }]);
    expect([decoded.answers, decoded.authorities, decoded.additionals].map((s) => s?.length ?? 0)).toEqual([0, 0, 0]);
  });

  it('is not sent to a secondary of a family it has no source address of (nothing leaves the host)', async () => {
    expect(await sendNotify('example.com', { to: ['2001:db8::53', '192.0.2.53'], from: [] })).toEqual([{ to: '2001:db8::53', sent: false }, { to: '192.0.2.53', sent: false }]);
  });
});
