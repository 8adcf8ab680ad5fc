import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ViewSpec } from '../../../src/dns/backend';
import { RNDC_KEY_NAME, VIEWS_HEADER, renderRndcKey, renderViews, renderZoneConfig } from '../../../src/dns/bind/render';
import type { IpAddress } from '../../../src/model/address';
import type { ZoneName } from '../../../src/model/zone-name';
import { expectGolden } from '../../helpers/golden';
import { BIND_GOLDEN_DIR, loadBindCases, renderBindInput } from './bind-cases';

const cases = loadBindCases();

describe('BIND golden configuration', () => {
  it('finds the cases', () => {
    if (cases.length === 0) throw new Error(`no case folders with input.json under ${BIND_GOLDEN_DIR}`);
  });

  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    expectGolden(join(c.dir, 'expected.conf'), renderBindInput(c.input));
  });
});

describe('renderViews', () => {
  const paths = { nzdDir: '/srv/nzd' };
  const shared: ViewSpec = { name: '_dnsmgr' };
  const alice: ViewSpec = { name: 'alice', ips: ['192.0.2.1'] };
  const bob: ViewSpec = { name: 'bob', ips: ['192.0.2.2'] };

  it('renders only the header when there are no views', () => {
    expect(renderViews([], paths)).toBe(VIEWS_HEADER);
  });

  it('does not depend on the order the views come in, and leaves the input alone', () => {
    const input = [bob, shared, alice];
    expect(renderViews(input, paths)).toBe(renderViews([alice, bob, shared], paths));
    expect(input).toEqual([bob, shared, alice]);
  });

  it('puts the shared view last, answering on every address, after the namespaces\' own views', () => {
    const text = renderViews([shared, bob, alice], paths);
    expect(text.indexOf('view "alice"')).toBeLessThan(text.indexOf('view "bob"'));
    expect(text.indexOf('view "bob"')).toBeLessThan(text.indexOf('view "_dnsmgr"'));
    expect(text.slice(text.indexOf('view "_dnsmgr"'))).toContain('\tmatch-destinations { any; };\n');
  });

  it('writes an empty address list as none, never as an empty block BIND would read as a default', () => {
    const text = renderViews([{ name: 'empty', ips: [] }], paths);
    expect(text).toContain('\tmatch-destinations { none; };\n');
    expect(text).toContain('\tallow-transfer { none; };\n');
    expect(text).not.toMatch(/\{\s*\}/);
  });
});

describe('renderZoneConfig', () => {
  const zone = { view: '_dnsmgr', name: 'example.com' as ZoneName, masters: ['192.0.2.1', '2001:db8::1'] as IpAddress[], queryOn: ['203.0.113.1'], allowTransfer: ['any'] };

  it('is one line, the form rndc addzone takes as a single argument, carrying the namespace\'s ACLs', () => {
    const text = renderZoneConfig(zone, '/srv/slave/_dnsmgr/example.com.db');
    expect(text).not.toContain('\n');
    expect(text).toBe('{ type slave; masters { 192.0.2.1; 2001:db8::1; }; file "/srv/slave/_dnsmgr/example.com.db"; allow-query-on { 203.0.113.1; }; allow-transfer { any; }; };');
  });

  it('writes a namespace without addresses or transfers as none: the zone answers nobody rather than everybody', () => {
    const text = renderZoneConfig({ ...zone, queryOn: [], allowTransfer: [] }, '/f.db');
    expect(text).toContain('allow-query-on { none; }; allow-transfer { none; };');
  });

  it('lets a master zone\'s slave servers transfer it in a list of their own, tells them, and sends NOTIFY from the namespace', () => {
    const primary = { content: () => '', alsoNotify: ['198.51.100.9'] as IpAddress[], transferTo: ['198.51.100.1', '203.0.113.53'] as IpAddress[], notifySource: ['203.0.113.1', '2001:db8::1'] as IpAddress[], dnssec: false };
    const text = renderZoneConfig({ ...zone, masters: [], allowTransfer: ['192.0.2.0/24'], primary }, '/f.db');
    expect(text).toBe('{ type master; file "/f.db"; allow-query-on { 203.0.113.1; }; allow-transfer { key "dnsmgr-update-_dnsmgr"; { 198.51.100.1; 203.0.113.53; }; 192.0.2.0/24; }; allow-update { key "dnsmgr-update-_dnsmgr"; }; notify explicit; also-notify { 198.51.100.9; }; notify-source 203.0.113.1; notify-source-v6 2001:db8::1; };');
    // Without slave servers, the namespace's list alone.
    expect(renderZoneConfig({ ...zone, masters: [], allowTransfer: [], primary: { ...primary, transferTo: [], alsoNotify: [], notifySource: [] } }, '/f.db'))
      .toContain('allow-transfer { key "dnsmgr-update-_dnsmgr"; }; allow-update { key "dnsmgr-update-_dnsmgr"; }; notify explicit; };');
  });
});

describe('renderRndcKey', () => {
  it('names the key the control channel refers to', () => {
    expect(renderRndcKey('c2VjcmV0')).toContain(`key "${RNDC_KEY_NAME}" {`);
  });
});
