// Master-zone records as DNSmanager's record functions take them (issue 12): each type's fields checked, names in the
// zone, and the two forms written back — the record key clients send back, and zone-file presentation.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { coexistenceProblem, parseEmail, parseRecord, parseRecordKey, presentRecord, recordKey, txtStrings } from '../../src/model/record';
import type { RecordInput } from '../../src/model/record';
import type { ZoneName } from '../../src/model/zone-name';

const ZONE = 'example.com' as ZoneName;
const rec = (input: RecordInput) => parseRecord(ZONE, input);

function problems(input: RecordInput): string[] {
  try {
    rec(input);
  } catch (err) {
    expect(err).toBeInstanceOf(ValidationError);
    return (err as ValidationError).problems.map((p) => `${p.param}: ${p.reason.in('en')}`);
  }
  throw new Error(`accepted: ${JSON.stringify(input)}`);
}

describe('parseRecord', () => {
  it('reads each type from the fields clients send, names relative to the zone or absolute', () => {
    expect(recordKey(rec({ name: '_acme-challenge', rtype: 'txt', ttl: '60', value: 'tok-EN_123' }))).toBe('_acme-challenge.example.com. TXT  tok-EN_123');
    expect(recordKey(rec({ name: 'www.example.com.', rtype: 'A', ip: '192.0.2.1' }))).toBe('www.example.com. A  192.0.2.1');
    expect(recordKey(rec({ name: '@', rtype: 'aaaa', value: '2001:DB8::1' }))).toBe('example.com. AAAA  2001:db8::1');
    expect(recordKey(rec({ name: 'ftp', rtype: 'CNAME', value: 'www' }))).toBe('ftp.example.com. CNAME  www.example.com.');
    expect(recordKey(rec({ name: '', rtype: 'MX', priority: '5', domain: 'mail.example.net.' }))).toBe('example.com. MX  5 mail.example.net.');
    expect(recordKey(rec({ name: 'sub', rtype: 'NS', value: 'ns1.example.net.' }))).toBe('sub.example.com. NS  ns1.example.net.');
    expect(recordKey(rec({ name: '_sip._tcp', rtype: 'SRV', priority: '10', weight: '60', port: '5060', srvdomain: 'sip.example.com.' })))
      .toBe('_sip._tcp.example.com. SRV  10 60 5060 sip.example.com.');
    expect(recordKey(rec({ name: '1', rtype: 'PTR', value: 'host.example.com.' }))).toBe('1.example.com. PTR  host.example.com.');
    expect(recordKey(rec({ name: '@', rtype: 'CAA', value: '0 issue "letsencrypt.org"' }))).toBe('example.com. CAA  0 issue "letsencrypt.org"');
    expect(recordKey(rec({ name: '*.Shop', rtype: 'A', value: '192.0.2.2' }))).toBe('*.shop.example.com. A  192.0.2.2');
    expect(rec({ name: 'x', rtype: 'A', value: '192.0.2.3' }).ttl).toBe(3600);
  });

  it('takes a TXT value bare or quoted, several quoted strings joined', () => {
    expect(rec({ name: 't', rtype: 'TXT', value: '"v=spf1 -all"' }).data).toEqual({ type: 'TXT', text: 'v=spf1 -all' });
    expect(rec({ name: 't', rtype: 'TXT', value: '"abc" "def"' }).data).toEqual({ type: 'TXT', text: 'abcdef' });
    expect(rec({ name: 't', rtype: 'TXT', value: '"say \\"hi\\""' }).data).toEqual({ type: 'TXT', text: 'say "hi"' });
  });

  it.each([
    ['a name outside the zone', { name: 'www.example.org.', rtype: 'A', value: '192.0.2.1' }, 'name: not inside the zone example.com'],
    ['a TTL out of range', { name: 'a', rtype: 'A', value: '192.0.2.1', ttl: '0' }, 'ttl: expected a whole number from 1 to 604800'],
    ['a TTL that is no number', { name: 'a', rtype: 'A', value: '192.0.2.1', ttl: '1e3' }, 'ttl: expected a whole number'],
    ['an MX pointing at an address', { name: '@', rtype: 'MX', priority: '10', value: '192.0.2.25' }, 'value: expected a host name, not an address'],
    ['a TXT with a control character', { name: 't', rtype: 'TXT', value: 'a\u0007b' }, 'value: contains a control character'],
    ['an A holding an IPv6 address', { name: 'a', rtype: 'A', value: '2001:db8::1' }, 'value: an A record holds an IPv4 address'],
    ['a CNAME at the apex', { name: '@', rtype: 'CNAME', value: 'www' }, 'name: a CNAME cannot be at the zone\'s apex'],
    ['an unknown type', { name: 'a', rtype: 'SPF', value: 'x' }, 'rtype: expected one of A, AAAA, CNAME, MX, NS, TXT, SRV, PTR, CAA'],
    ['an SRV without _service._proto', { name: 'sip', rtype: 'SRV', priority: '1', weight: '1', port: '1', srvdomain: 'x.example.com.' }, 'name: an SRV record\'s name starts with _service._protocol'],
    ['an SRV port out of range', { name: '_a._tcp', rtype: 'SRV', priority: '1', weight: '1', port: '70000', srvdomain: 'x.' }, 'port: expected a whole number from 0 to 65535'],
    ['a name with a space', { name: 'a b', rtype: 'A', value: '192.0.2.1' }, 'name: expected a name'],
    ['a CAA with an unknown tag', { name: '@', rtype: 'CAA', value: '0 issuer "ca.example"' }, 'value: expected flags, tag'],
    ['an empty TXT', { name: 't', rtype: 'TXT', value: '""' }, 'value: a TXT record holds some text'],
    ['a CAA value with a backslash', { name: '@', rtype: 'CAA', value: '0 issue "ca.example\\"' }, 'value: a CAA value cannot contain a backslash'],
    ['a CAA value too long', { name: '@', rtype: 'CAA', value: `0 iodef "mailto:${'a'.repeat(1100)}@example.com"` }, 'longer than 1024 bytes'],
  ] as [string, RecordInput, string][])('refuses %s', (_what, input, expected) => {
    expect(problems(input).join('\n')).toContain(expected);
  });

  it('names every bad field at once', () => {
    expect(problems({ name: 'www.example.org.', rtype: 'MX', ttl: '-1', priority: 'x', value: '' }).map((p) => p.split(':')[0])).toEqual(['name', 'ttl', 'priority', 'value']);
  });
});

describe('TXT presentation', () => {
  it('cuts long text into strings of at most 255 bytes, never inside a character, and escapes quotes', () => {
    const long = `${'a'.repeat(300)}${'я'.repeat(200)}`;
    const strings = txtStrings(long);
    expect(strings.every((s) => Buffer.byteLength(s) <= 255)).toBe(true);
    expect(strings.join('')).toBe(long);
    expect(presentRecord(rec({ name: 't', rtype: 'TXT', ttl: '60', value: '"say \\"hi\\""' }))).toBe('t.example.com. 60 IN TXT "say \\"hi\\""');
  });

  it('refuses more than the limit', () => {
    expect(problems({ name: 't', rtype: 'TXT', value: 'x'.repeat(4001) }).join()).toContain('longer than 4000 bytes');
  });
});

describe('coexistence', () => {
  const a = rec({ name: 'www', rtype: 'A', value: '192.0.2.1' });
  const cname = rec({ name: 'www', rtype: 'CNAME', value: 'web' });
  it('a CNAME beside other data, or data beside a CNAME, or the same record twice, is refused', () => {
    expect(coexistenceProblem([a], cname)?.in('en')).toContain('a CNAME cannot share its name');
    expect(coexistenceProblem([cname], a)?.in('en')).toContain('has a CNAME');
    expect(coexistenceProblem([a], a)?.in('en')).toBe('the zone has this record already');
    expect(coexistenceProblem([a], rec({ name: 'www', rtype: 'A', value: '192.0.2.2' }))).toBeUndefined();
  });
});

describe('record keys as clients send them back', () => {
  it('parse into name, type and value; the key of a record parses back to it', () => {
    const r = rec({ name: '_acme-challenge', rtype: 'TXT', value: 'tok' });
    expect(parseRecordKey(recordKey(r))).toEqual({ name: '_acme-challenge.example.com', type: 'TXT', value: 'tok', exact: 'tok' });
    expect(parseRecordKey(' WWW.example.com. a  192.0.2.1 ')).toEqual({ name: 'www.example.com', type: 'A', value: '192.0.2.1', exact: '192.0.2.1 ' });
    // A TXT record's text may end in a space (sent in quotes): its key keeps it.
    const spaced = rec({ name: 'sp', rtype: 'TXT', value: '"ends in a space "' });
    expect(parseRecordKey(recordKey(spaced))).toMatchObject({ value: 'ends in a space', exact: 'ends in a space ' });
    expect(parseRecordKey('www.example.com A 192.0.2.1')).toBeUndefined();
  });
});

describe('a SOA contact', () => {
  it('is an address whose local part fits one label of the mailbox', () => {
    expect(parseEmail('Host.Master@Example.COM')).toBe('Host.Master@example.com');
    expect(parseEmail(`${'a'.repeat(63)}@example.com`)).toBe(`${'a'.repeat(63)}@example.com`);
    for (const bad of [`${'a'.repeat(64)}@example.com`, 'a@b@c', 'no-at.example.com', 'a@localhost', `${'a'.repeat(10)}@${'x'.repeat(60)}.${'y'.repeat(60)}.${'z'.repeat(60)}.${'w'.repeat(60)}.com`]) {
      expect(() => parseEmail(bad), bad).toThrow(ValidationError);
    }
  });
});

