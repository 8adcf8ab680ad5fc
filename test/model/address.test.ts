import { describe, expect, it } from 'vitest';
import {
  formatAllowTransfer,
  ipFamily,
  isIpv4,
  isIpv6,
  parseAllowTransferList,
  parseIpAddress,
  parseMasterList,
} from '../../src/model/address';
import { formatIp } from '../../src/model/ip-codec';
import { expectInvalid, seededRandom } from './expect-invalid';

describe('parseIpAddress normalizes', () => {
  it.each([
    ['192.0.2.1', '192.0.2.1'],
    [' 192.0.2.1 ', '192.0.2.1'],
    ['0.0.0.0', '0.0.0.0'],
    ['255.255.255.255', '255.255.255.255'],
    ['2001:DB8:0:0::1', '2001:db8::1'],
    ['2001:0db8:0000:0000:0000:0000:0002:0001', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'], // a single zero group is not compressed
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'], // first of two equal runs
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'], // the longest run
    ['1:2:3:4:5:6:7::', '1:2:3:4:5:6:7:0'],
    ['::1', '::1'],
    ['1::', '1::'],
    ['::', '::'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['FE80::0001', 'fe80::1'],
    ['::ffff:192.0.2.1', '::ffff:192.0.2.1'],
    ['::FFFF:c000:0201', '::ffff:192.0.2.1'],
    ['::192.0.2.1', '::c000:201'],
    ['64:ff9b::192.0.2.1', '64:ff9b::c000:201'],
  ])('%j → %j', (raw, expected) => {
    expect(parseIpAddress(raw)).toBe(expected);
  });

  it('tells the family', () => {
    expect(ipFamily(parseIpAddress('192.0.2.1'))).toBe(4);
    expect(ipFamily(parseIpAddress('2001:db8::1'))).toBe(6);
    expect(ipFamily(parseIpAddress('::ffff:192.0.2.1'))).toBe(6);
  });

  it('isIpv4 / isIpv6 are strict', () => {
    expect(isIpv4('192.0.2.1')).toBe(true);
    expect(isIpv4('01.2.3.4')).toBe(false);
    expect(isIpv4('::1')).toBe(false);
    expect(isIpv6('::1')).toBe(true);
    expect(isIpv6('fe80::1%eth0')).toBe(false);
    expect(isIpv6('192.0.2.1')).toBe(false);
  });
});

describe('parseIpAddress rejects', () => {
  it.each([
    ['999.1.1.1', /'999' is greater than 255/],
    ['256.1.1.1', /greater than 255/],
    ['1.2.3', /four numbers/],
    ['1.2.3.4.5', /four numbers/],
    ['1..2.3', /four numbers/],
    ['01.2.3.4', /'01' has a leading zero/],
    ['1.2.3.00', /leading zero/],
    ['1.2.3.0000000001', /leading zero/],
    ['1.2.3.1000', /greater than 255/],
    ['localhost', /^expected an IPv4 or IPv6 address$/],
    ['0x7f.0.0.1', /expected an IPv4 or IPv6 address/],
    ['192.0.2.1;', /expected an IPv4 or IPv6 address/],
    ['fe80::1%eth0', /zone index '%eth0'/],
    ['1::2::3', /expected an IPv6 address/],
    ['1:2:3:4:5:6:7:8:9', /expected an IPv6 address/],
    ['1:2:3:4:5:6:7:8::', /expected an IPv6 address/],
    [':::', /expected an IPv6 address/],
    ['[::1]', /expected an IPv6 address/],
    ['12345::', /expected an IPv6 address/],
    ['g::1', /expected an IPv6 address/],
    ['::ffff:01.2.3.4', /expected an IPv6 address/],
    ['1.2.3.4::', /expected an IPv6 address/],
    ['', /empty/],
  ])('%j (%s)', (raw, reason) => {
    const err = expectInvalid(() => parseIpAddress(raw, 'addr'), 'addr');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
  });
});

describe('parseMasterList', () => {
  it.each([
    ['192.0.2.1', ['192.0.2.1']],
    ['192.0.2.1, 198.51.100.7', ['192.0.2.1', '198.51.100.7']],
    ['192.0.2.1,198.51.100.7', ['192.0.2.1', '198.51.100.7']],
    ['  192.0.2.1\n\t198.51.100.7 , ', ['192.0.2.1', '198.51.100.7']],
    ['2001:DB8:0:0::1', ['2001:db8::1']],
    ['192.0.2.1 192.0.2.1', ['192.0.2.1']],
    ['2001:db8::1, 2001:DB8:0::1, 192.0.2.1', ['2001:db8::1', '192.0.2.1']],
    ['::ffff:192.0.2.1', ['192.0.2.1']],
    ['::FFFF:c000:0201, 192.0.2.1', ['192.0.2.1']],
    ['fe81::1'.replace('fe81', 'fec0'), ['fec0::1']],
  ])('%j → %j', (raw, expected) => {
    expect(parseMasterList(raw)).toEqual(expected);
  });

  it.each([
    ['999.1.1.1', /greater than 255/],
    ['1.2.3', /four numbers/],
    ['localhost', /expected an IPv4 or IPv6 address/],
    ['192.0.2.1; }', /expected an IPv4 or IPv6 address/],
    ['01.2.3.4', /leading zero/],
    ['fe80::1%eth0', /zone index/],
    ['0.0.0.0', /unspecified/],
    ['0.1.2.3', /0\.0\.0\.0\/8/],
    ['::', /unspecified/],
    ['::ffff:0.0.0.0', /unspecified/],
    ['224.0.0.1', /multicast/],
    ['239.255.255.250', /multicast/],
    ['ff02::1', /multicast/],
    ['::ffff:224.0.0.1', /multicast/],
    ['255.255.255.255', /broadcast/],
    ['127.0.0.1', /loopback/],
    ['127.255.0.9', /loopback/],
    ['::ffff:127.0.0.1', /loopback/],
    ['::1', /loopback/],
    ['169.254.10.1', /link-local/],
    ['fe80::1', /link-local .*needs a scope/],
    ['febf::1', /link-local/],
    ['192.0.2.0/24', /expected an IPv4 or IPv6 address/],
    ['', /expected an IPv4 or IPv6 address/],
    [' , ', /expected an IPv4 or IPv6 address/],
  ])('rejects %j (%s)', (raw, reason) => {
    const err = expectInvalid(() => parseMasterList(raw), 'masterip');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
  });

  it('reports every bad address at once', () => {
    const err = expectInvalid(() => parseMasterList('999.1.1.1, 192.0.2.1, localhost', 'master'), 'master');
    expect(err.problems.map((p) => p.value)).toEqual(['999.1.1.1', 'localhost']);
  });

  it('takes at most 16 distinct addresses', () => {
    const sixteen = Array.from({ length: 16 }, (_, i) => `192.0.2.${i + 1}`);
    expect(parseMasterList([...sixteen, ...sixteen].join(' '))).toHaveLength(16);
    const err = expectInvalid(() => parseMasterList([...sixteen, '192.0.2.200'].join(',')), 'masterip');
    expect(String(err.problems[0]?.reason)).toMatch(/at most 16/);
  });

  it('rejects absurdly long input without parsing it', () => {
    expectInvalid(() => parseMasterList('192.0.2.1 '.repeat(1000)), 'masterip');
  });
});

describe('parseAllowTransferList', () => {
  it.each([
    ['', { kind: 'none' }],
    ['  ', { kind: 'none' }],
    ['none', { kind: 'none' }],
    ['NONE', { kind: 'none' }],
    ['any', { kind: 'any' }],
    ['192.0.2.1', { kind: 'list', entries: ['192.0.2.1'] }],
    ['192.0.2.0/24', { kind: 'list', entries: ['192.0.2.0/24'] }],
    ['2001:DB8::/32', { kind: 'list', entries: ['2001:db8::/32'] }],
    ['192.0.2.1/32', { kind: 'list', entries: ['192.0.2.1'] }],
    ['0.0.0.0/0, ::/0', { kind: 'list', entries: ['0.0.0.0/0', '::/0'] }],
    ['192.0.2.0/24 192.0.2.0/24, 198.51.100.7', { kind: 'list', entries: ['192.0.2.0/24', '198.51.100.7'] }],
    ['10.0.0.0/8, 2001:db8:0::/48', { kind: 'list', entries: ['10.0.0.0/8', '2001:db8::/48'] }],
  ])('%j', (raw, expected) => {
    expect(parseAllowTransferList(raw)).toEqual(expected);
  });

  it.each([
    ['any, 192.0.2.1', /'any' must be the only item/],
    ['192.0.2.1 none', /'none' must be the only item/],
    ['192.0.2.1/24', /host bits are set.*did you mean 192\.0\.2\.0\/24\?/],
    ['2001:db8::1/32', /did you mean 2001:db8::\/32\?/],
    ['192.0.2.0/33', /prefix length '33' is not a number from 0 to 32/],
    ['2001:db8::/129', /from 0 to 128/],
    ['192.0.2.0/024', /prefix length/],
    ['192.0.2.0/', /prefix length/],
    ['192.0.2.0/-1', /prefix length/],
    ['192.0.2.0/24/8', /prefix length/],
    ['fe80::%eth0/64', /zone index/],
    ['localhost', /expected an IPv4 or IPv6 address/],
    ['key tsig-key', /expected an IPv4 or IPv6 address/],
    ['!192.0.2.1', /expected an IPv4 or IPv6 address/],
    ['192.0.2.1; };', /expected an IPv4 or IPv6 address/],
    ['0.0.0.0', /unspecified/],
    ['224.0.0.1/32', /multicast/],
  ])('rejects %j (%s)', (raw, reason) => {
    const err = expectInvalid(() => parseAllowTransferList(raw, 'allow'), 'allow');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
  });

  it('round-trips through formatAllowTransfer', () => {
    for (const raw of ['', 'any', '192.0.2.0/24, 2001:DB8::1, 198.51.100.7/32']) {
      const parsed = parseAllowTransferList(raw);
      expect(parseAllowTransferList(formatAllowTransfer(parsed))).toEqual(parsed);
    }
    const spaced = parseAllowTransferList(' 192.0.2.0/24  2001:DB8::1 ');
    expect(formatAllowTransfer(spaced)).toBe('192.0.2.0/24, 2001:db8::1');
  });
});

describe('properties (fuzz)', () => {
  it('IPv6 text agrees with the WHATWG serializer and parses back to itself', () => {
    const random = seededRandom(7);
    for (let n = 0; n < 3000; n++) {
      // Mostly zero groups, so runs of every length and position come up.
      const bytes = Array.from({ length: 8 }, () => (random() < 0.5 ? 0 : Math.floor(random() * 0x10000)))
        .flatMap((g) => [g >> 8, g & 0xff]);
      const text = formatIp(bytes);
      expect(parseIpAddress(text)).toBe(text);
      const mapped = bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
      if (!mapped) expect(text, JSON.stringify(bytes)).toBe(new URL(`http://[${text}]/`).hostname.slice(1, -1));
    }
  });

  it('nothing outside the address alphabet passes parseMasterList', () => {
    const random = seededRandom(11);
    const int = (n: number): number => Math.floor(random() * n);
    const nasty = [...'%/;}{"x\n\u0000２:.0', ' ', ',', '::', '%eth0', '/24', '; }'];
    const candidate = (): string => {
      let text = random() < 0.5
        ? Array.from({ length: 4 }, () => String(int(300))).join('.')
        : Array.from({ length: 8 }, () => (random() < 0.5 ? '0' : int(0x10000).toString(16)))
          .join(':')
          .replace(/(^|:)0(:0)+(:|$)/, '::');
      // Splice in a hostile piece a third of the time.
      if (random() < 0.33) {
        const at = int(text.length + 1);
        text = text.slice(0, at) + (nasty[int(nasty.length)] ?? '') + text.slice(at + int(2));
      }
      return text;
    };
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      const raw = Array.from({ length: 1 + int(3) }, candidate).join(random() < 0.5 ? ', ' : ' ');
      let list: string[];
      try {
        list = parseMasterList(raw);
      } catch {
        continue;
      }
      accepted++;
      for (const ip of list) {
        expect(ip, JSON.stringify(raw)).toMatch(/^[0-9a-f:.]+$/);
        expect(parseMasterList(ip)).toEqual([ip]);
      }
    }
    expect(accepted).toBeGreaterThan(500);
  });
});
