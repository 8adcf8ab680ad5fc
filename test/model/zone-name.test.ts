import { describe, expect, it } from 'vitest';
import { heldZoneName, parseZoneName, parseZoneNameList, zoneNameToUnicode } from '../../src/model/zone-name';
import { expectInvalid, seededRandom } from './expect-invalid';

const label63 = 'a'.repeat(63);
const name253 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`;
const name254 = `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`;

describe('parseZoneName accepts and normalizes', () => {
  it.each([
    ['Example.COM.', 'example.com'],
    ['  example.com  ', 'example.com'],
    ['пример.рф', 'xn--e1afmkfd.xn--p1ai'],
    ['bücher.de', 'xn--bcher-kva.de'],
    ['XN--BCHER-KVA.DE', 'xn--bcher-kva.de'],
    ['ß.de', 'xn--zca.de'],
    ['ＡＢＣ.com', 'abc.com'],
    ['a\u3002com', 'a.com'],
    ['a\uff0ecom\uff0e', 'a.com'],
    [`${label63}.com`, `${label63}.com`],
    [name253, name253],
    ['2.0.192.in-addr.arpa', '2.0.192.in-addr.arpa'],
    ['8.b.d.0.1.0.0.2.ip6.arpa', '8.b.d.0.1.0.0.2.ip6.arpa'],
    ['a-b.example.co.uk', 'a-b.example.co.uk'],
    ['1.example.com', '1.example.com'],
    ['example.a1', 'example.a1'],
  ])('%j → %j', (raw, expected) => {
    expect(parseZoneName(raw)).toBe(expected);
  });

  it('is idempotent', () => {
    for (const raw of ['Example.COM.', 'пример.рф', name253]) {
      const once = parseZoneName(raw);
      expect(parseZoneName(once)).toBe(once);
    }
  });
});

describe('parseZoneName rejects', () => {
  it.each([
    ['a"b.com', /forbidden character '"'/],
    ['x;y.com', /forbidden character ';'/],
    ['a{b}.com', /forbidden character '\{'/],
    ['../etc/passwd', /forbidden character '\/'/],
    ['a/b.com', /forbidden character '\/'/],
    ['ex%41mple.com', /forbidden character '%'/],
    ['*.example.com', /forbidden character '\*'/],
    [`${'a'.repeat(64)}.com`, /^label 'a{20}…' is longer than 63 characters$/],
    [name254, /^name is longer than 253 characters$/],
    ['', /^empty$/],
    ['   ', /^empty$/],
    ['.', /^empty$/],
    ['com', /at least two labels/],
    ['com.', /at least two labels/],
    ['1.2.3.4', /IP address/],
    ['１.２.３.４', /IP address/],
    ['a.123', /IP address/],
    ['0x7f.1', /IP address/],
    ['example.0x10', /IP address/],
    ['-a.com', /starts or ends with a hyphen/],
    ['a-.com', /starts or ends with a hyphen/],
    ['a..com', /empty label/],
    ['.a.com', /empty label/],
    ['a.com..', /empty label/],
    ['a\u3002\u3002com', /empty label/],
    ['xn--zz.com', /invalid punycode label 'xn--zz'/],
    ['XN--ZZ.com', /invalid punycode label/],
    ['xn--ab-.com', /hyphen/],
    ['xn--bucher-xyd.com', /invalid punycode label 'xn--bucher-xyd'/],
    ['xn--.com', /invalid punycode label/],
    ['ab--c.com', /positions 3-4/],
    ['a_b.com', /contains '_'/],
    ['_dmarc.example.com', /contains '_'/],
    ['a b.com', /whitespace \(U\+0020\)/],
    ['a\u00a0b.com', /whitespace/],
    ['a\u3000b.com', /whitespace/],
    ['a\nb.com', /control character \(U\+000A\)/],
    ['a\tb.com', /control character/],
    ['a\rb.com', /control character/],
    ['a\u0000b.com', /control character \(U\+0000\)/],
    ['a\u007fb.com', /control character/],
    ['a\u0085b.com', /control character/],
    ['a\u200bb.com', /invisible formatting character \(U\+200B\)/],
    ['a\u00adb.com', /invisible formatting character/],
    ['a\ufeffb.com', /U\+FEFF/],
    ['a\u2028b.com', /whitespace/],
    ['\ud800.com', /unpaired surrogate/],
    ['a\uff0fb.com', /form of forbidden character '\/'/],
    ['a\uff05b.com', /form of forbidden character '%'/],
    ['a\ufe54b.com', /form of forbidden character ';'/],
    ['a\u00a8b.com', /a form of whitespace/],
    ['a\u200cb.com', /not a valid internationalized domain name/],
    ['\ue000.com', /not a valid internationalized/],
    ['a.com\u2024evil', /not a valid internationalized/],
    ['x'.repeat(5000), /longer than 253/],
  ])('%j (%s)', (raw, reason) => {
    const err = expectInvalid(() => parseZoneName(raw), 'name');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
    expect(err.problems[0]?.value).toBe(raw);
  });

  it.each([...'*%/\\";{}\'(),=@:[]<>|?$!#&+~`'])('forbidden character %j', (ch) => {
    const err = expectInvalid(() => parseZoneName(`a${ch}b.com`, 'domain'), 'domain');
    expect(String(err.problems[0]?.reason)).toBe(`contains forbidden character '${ch}'`);
  });

  it('names the parameter it was given', () => {
    expectInvalid(() => parseZoneName('x;y.com', 'zone'), 'zone');
  });

  it('never echoes a control character in its message', () => {
    const err = expectInvalid(() => parseZoneName('a\u0000\nb.com'), 'name');
    expect(err.message).not.toMatch(/[\u0000-\u001f]/);
  });
});

describe('heldZoneName', () => {
  it('types a name a name server reported when it is exactly what dnsmgr would have made of it', () => {
    expect(heldZoneName('xn--e1afmkfd.xn--p1ai')).toBe('xn--e1afmkfd.xn--p1ai');
    // Not dnsmgr's spelling (case, trailing dot, Unicode) or not a zone name dnsmgr accepts at all.
    for (const name of ['Example.com', 'example.com.', 'пример.рф', 'single', 'a_b.example', '../x.example', '']) {
      expect(heldZoneName(name), name).toBeUndefined();
    }
  });
});

describe('zoneNameToUnicode', () => {
  it('decodes punycode labels for display', () => {
    expect(zoneNameToUnicode(parseZoneName('пример.рф'))).toBe('пример.рф');
    expect(zoneNameToUnicode(parseZoneName('example.com'))).toBe('example.com');
  });
});

describe('parseZoneNameList', () => {
  it('splits, trims, drops empty items and duplicates, keeps order', () => {
    expect(parseZoneNameList(' b.com ,, A.com, b.com., a.COM ,')).toEqual(['b.com', 'a.com']);
    expect(parseZoneNameList('пример.рф')).toEqual(['xn--e1afmkfd.xn--p1ai']);
  });

  it('reports every bad item in one error', () => {
    const err = expectInvalid(() => parseZoneNameList('ok.com, x;y.com, good.org, -a.com'), 'elid');
    expect(err.problems.map((p) => p.value)).toEqual(['x;y.com', '-a.com']);
    expect(err.problems.every((p) => p.param === 'elid')).toBe(true);
    expect(err.message).toContain('x;y.com');
    expect(err.message).toContain('-a.com');
  });

  it.each(['', ' , ,', ','])('needs at least one name: %j', (raw) => {
    expectInvalid(() => parseZoneNameList(raw), 'elid');
  });

  it('takes at most 1000 names', () => {
    const names = Array.from({ length: 1000 }, (_, i) => `z${i}.example`);
    expect(parseZoneNameList(names.join(','))).toHaveLength(1000);
    const err = expectInvalid(() => parseZoneNameList([...names, 'one-more.example'].join(',')), 'elid');
    expect(String(err.problems[0]?.reason)).toMatch(/at most 1000/);
  });
});

describe('nothing outside [a-z0-9.-] ever passes (fuzz)', () => {
  const plain = [...'abcxyzABCXYZ0123456789', '-', '.', '.', '.', 'com', 'xn--', 'xn--e1afmkfd', 'xn--p1ai', 'xn--zz'];
  const nasty = [
    ...'*%/\\";{}\'(),=@:[]<>|?$!#&+~`_^ ',
    '\u0000', '\n', '\t', '\r', '\u007f', '\u0085', '\u00a0', '\u00ad', '\u200b', '\u200c', '\u200d', '\u2028',
    '\ufeff', '\u3000', '\u3002', '\uff0e', '\uff0f', '\uff05', '\ufe54', '\u2024', '\ud800', '\ue000',
    'ü', 'ß', 'п', 'р', 'ф', 'ＡＢ', '１', '€', 'ℌ', '\u0301', '\u034f', '💩',
  ];

  it('a few thousand random names', () => {
    const seed = 20240601;
    const random = seededRandom(seed);
    const from = (list: readonly string[]): string => list[Math.floor(random() * list.length)] ?? '';
    const pick = (): string => from(random() < 0.85 ? plain : nasty);
    let accepted = 0;
    for (let n = 0; n < 5000; n++) {
      const length = 1 + Math.floor(random() * 24);
      let raw = '';
      for (let i = 0; i < length; i++) raw += pick();
      // Most random strings fail; end half of them in a real TLD so plenty pass and the property has teeth.
      if (random() < 0.5) raw += '.com';
      let zone: string;
      try {
        zone = parseZoneName(raw);
      } catch {
        continue;
      }
      accepted++;
      const context = `seed ${seed}, case ${n}: ${JSON.stringify(raw)} → ${JSON.stringify(zone)}`;
      expect(zone, context).toMatch(/^[a-z0-9.-]+$/);
      expect(zone.length, context).toBeLessThanOrEqual(253);
      for (const label of zone.split('.')) {
        expect(label, context).toMatch(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/);
      }
      expect(parseZoneName(zone), context).toBe(zone);
    }
    expect(accepted).toBeGreaterThan(400);
  });
});
