// A namespace's DNS settings as a request changes them (dnsparam): each field checked where it enters, every bad one
// named at once; a field left out keeps its value, one sent empty goes back to its default.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { changedSettings, DEFAULT_DNS_SETTINGS, parseDnsSettingsChange, sameHosts, zoneNameServers } from '../../src/model/dns-settings';
import { parseAbsoluteHostList, parseRelativeNameList } from '../../src/model/record';
import { zn } from '../helpers/brands';
import { expectInvalid } from './expect-invalid';

describe('absolute host lists', () => {
  it('take commas or spaces, a trailing dot or none, IDN, and drop repeats', () => {
    expect(parseAbsoluteHostList('NS1.Example.NET., ns2.example.net  ns1.example.net', 'ns')).toEqual(['ns1.example.net', 'ns2.example.net']);
    expect(parseAbsoluteHostList('ns.пример.рф', 'ns')).toEqual(['ns.xn--e1afmkfd.xn--p1ai']);
    expect(parseAbsoluteHostList(' , ', 'ns')).toEqual([]);
  });

  it.each([
    ['a single label', 'ns1'],
    ['an address', '192.0.2.1'],
    ['the zone itself', '@'],
    ['a bad character', 'ns!.example.net'],
    ['an empty label', 'ns..example.net'],
    ['a label of 64 characters', `${'a'.repeat(64)}.example.net`],
  ])('refuse %s, naming the field', (_, raw) => {
    expectInvalid(() => parseAbsoluteHostList(`ns1.example.net ${raw}`, 'ns'), 'ns');
  });

  it('report every bad name', () => {
    const err = expectInvalid(() => parseAbsoluteHostList('a b.example.net 10.0.0.1', 'mx'), 'mx');
    expect(err.problems.map((p) => p.value)).toEqual(['a', '10.0.0.1']);
  });
});

describe('relative name lists', () => {
  it('take names below a zone, a wildcard first', () => {
    expect(parseRelativeNameList('www, FTP  *  a.b www', 'subdomains')).toEqual(['www', 'ftp', '*', 'a.b']);
    expect(parseRelativeNameList('', 'subdomains')).toEqual([]);
  });

  it.each([['absolute', 'www.example.com.'], ['the apex', '@'], ['an underscore', '_x'], ['a bad character', 'w w,a$b']])('refuse %s', (_, raw) => {
    expectInvalid(() => parseRelativeNameList(raw, 'subdomains'), 'subdomains');
  });
});

describe('a settings change', () => {
  it('leaves out what the request does not send', () => {
    expect(parseDnsSettingsChange({ sok: 'ok', email: 'Admin@Example.com' })).toEqual({ change: { email: 'Admin@example.com' }, apply: false });
  });

  it('takes every field', () => {
    const { change, apply } = parseDnsSettingsChange({ email: 'dns@example.net', ns: 'ns1.example.net ns2.example.net.', mx: 'mx.example.net', subdomains: 'www ftp', ttl: '600', apply: 'on' });
    expect(change).toEqual({ email: 'dns@example.net', nameServers: ['ns1.example.net', 'ns2.example.net'], mailServers: ['mx.example.net'], subdomains: ['www', 'ftp'], ttl: 600 });
    expect(apply).toBe(true);
  });

  it('sent empty, goes back to the defaults (subdomains: none)', () => {
    const { change } = parseDnsSettingsChange({ email: '', ns: ' ', mx: '', subdomains: '', ttl: '', apply: '' });
    expect(change).toEqual({ email: null, nameServers: null, mailServers: null, subdomains: [], ttl: null });
    const set = changedSettings(DEFAULT_DNS_SETTINGS, { email: 'a@example.net', nameServers: ['ns.example.net'], mailServers: ['mx.example.net'], subdomains: ['ftp'], ttl: 60 });
    expect(changedSettings(set, change)).toEqual({ email: undefined, nameServers: undefined, mailServers: undefined, subdomains: [], ttl: 3600 });
    expect(changedSettings(set, {})).toEqual(set);
  });

  it.each([
    ['email', 'not-an-email'],
    ['ns', ', ,'],
    ['ns', 'ns1'],
    ['mx', '192.0.2.1'],
    ['subdomains', 'www.example.com.'],
    ['ttl', '0'],
    ['ttl', '604801'],
    ['ttl', '1h'],
    ['apply', 'maybe'],
  ])('refuses %s=%s, naming it', (param, value) => {
    expectInvalid(() => parseDnsSettingsChange({ [param]: value }), param);
  });

  it('reports every bad field at once', () => {
    try {
      parseDnsSettingsChange({ email: 'x', ns: 'ns1', ttl: '0', subdomains: 'www' });
      expect.fail('accepted');
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).problems.map((p) => p.param)).toEqual(['email', 'ns', 'ttl']);
    }
  });
});

describe('name servers', () => {
  it('of a zone: the settings\', else ns1 and ns2 of the zone', () => {
    expect(zoneNameServers(DEFAULT_DNS_SETTINGS, zn('example.com'))).toEqual(['ns1.example.com', 'ns2.example.com']);
    expect(zoneNameServers({ ...DEFAULT_DNS_SETTINGS, nameServers: ['ns.example.net'] }, zn('example.com'))).toEqual(['ns.example.net']);
  });

  it('compare as sets', () => {
    expect(sameHosts(['a.example', 'b.example'], ['b.example', 'a.example'])).toBe(true);
    expect(sameHosts(['a.example'], ['a.example', 'b.example'])).toBe(false);
    expect(sameHosts(['a.example', 'b.example'], ['b.example', 'a.example'], true)).toBe(false);
    expect(sameHosts(['a.example', 'b.example'], ['a.example', 'b.example'], true)).toBe(true);
    expect(sameHosts(undefined, undefined)).toBe(true);
    expect(sameHosts(undefined, ['a.example'])).toBe(false);
  });
});
