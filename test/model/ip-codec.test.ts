// isIpv6Text is node:net's isIPv6 without loading node:net: the same answer for every text, the edge cases of the
// grammar and many random ones over the characters an address is made of.
import { isIPv6 } from 'node:net';
import { describe, expect, it } from 'vitest';
import { isIpv6Text, parseIpv6Bytes } from '../../src/model/ip-codec';

const EDGES = [
  '', ':', '::', ':::', '::1', '1::', '1::2::3', '::ffff:192.0.2.1', '::ffff:192.0.2.256', '::ffff:192.0.2.01', '::192.0.2.1',
  '2001:db8::1', '2001:DB8::1', '2001:db8:0:0:0:0:0:1', '2001:db8:0:0:0:0:0:0:1', '2001:db8::0:0:0:0:0:1', '1:2:3:4:5:6:7::',
  '1:2:3:4:5:6:7::8', '::2:3:4:5:6:7:8', '1:2:3:4:5:6:192.0.2.1', '1:2:3:4:5:6:7:192.0.2.1', '1:2:3:4:5::192.0.2.1',
  'fe80::1%eth0', 'fe80::1%', 'fe80::1%a.b:c-d', '12345::1', 'g::1', ' ::1', '::1 ', '192.0.2.1', '1:2:3:4:5:6:7:8',
  '1:2:3:4:5:6:7:8:9', ':1:2:3:4:5:6:7', '1:2:3:4:5:6:7:', '::1.2.3', '0000:0000:0000:0000:0000:0000:0000:0001', '::00001',
];

/** A deterministic generator (xorshift), so a failure names the same texts on every run. */
function* randomTexts(count: number): Generator<string> {
  const alphabet = '0123456789abcdefABCDEF::::....%g';
  let x = 0x2545f491;
  const next = (n: number): number => {
    x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
    return (x >>> 0) % n;
  };
  for (let i = 0; i < count; i++) {
    let s = '';
    const length = next(40);
    for (let k = 0; k < length; k++) s += alphabet[next(alphabet.length)];
    yield s;
  }
}

describe('isIpv6Text', () => {
  it('says what net.isIPv6 says, for the grammar\'s edge cases', () => {
    for (const text of EDGES) expect([text, isIpv6Text(text)]).toEqual([text, isIPv6(text)]);
    expect(isIpv6Text('2001:db8::1')).toBe(true);
    expect(isIpv6Text('1::2::3')).toBe(false);
  });

  it('says what net.isIPv6 says, for 200,000 random texts of address characters', () => {
    let valid = 0;
    for (const text of randomTexts(200_000)) {
      const node = isIPv6(text);
      if (isIpv6Text(text) !== node) expect([text, isIpv6Text(text)]).toEqual([text, node]);
      if (node) valid++;
    }
    // The corpus reaches the valid side of the grammar too, not only the invalid.
    expect(valid).toBeGreaterThan(100);
  });

  it('still gates the parse: an address with a zone index is refused there', () => {
    expect(parseIpv6Bytes('fe80::1%eth0').ok).toBe(false);
    expect(parseIpv6Bytes('2001:db8::1').ok).toBe(true);
  });
});
