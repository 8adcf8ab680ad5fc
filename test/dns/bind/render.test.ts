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
  const alice: ViewSpec = { name: 'alice', ips: ['192.0.2.1'], allowTransfer: [] };
  const bob: ViewSpec = { name: 'bob', ips: ['192.0.2.2'], allowTransfer: ['any'] };

  it('renders only the header when there are no views', () => {
    expect(renderViews([], paths)).toBe(VIEWS_HEADER);
  });

  it('does not depend on the order the views come in, and leaves the input alone', () => {
    const input = [bob, alice];
    expect(renderViews(input, paths)).toBe(renderViews([alice, bob], paths));
    expect(input).toEqual([bob, alice]);
  });

  it('is deterministic: the same views render to the same text', () => {
    expect(renderViews([alice, bob], paths)).toBe(renderViews([alice, bob], paths));
  });

  it('writes an empty address list as none, never as an empty block BIND would read as a default', () => {
    const text = renderViews([{ name: 'empty', ips: [], allowTransfer: [] }], paths);
    expect(text).toContain('\tmatch-destinations { none; };\n');
    expect(text).toContain('\tallow-transfer { none; };\n');
    expect(text).not.toMatch(/\{\s*\}/);
  });
});

describe('renderZoneConfig', () => {
  it('is one line, the form rndc addzone takes as a single argument', () => {
    const zone = { view: 'alice', name: 'example.com' as ZoneName, masters: ['192.0.2.1', '2001:db8::1'] as IpAddress[] };
    const text = renderZoneConfig(zone, '/srv/slave/alice/example.com.db');
    expect(text).not.toContain('\n');
    expect(text).toBe('{ type slave; masters { 192.0.2.1; 2001:db8::1; }; file "/srv/slave/alice/example.com.db"; };');
  });
});

describe('renderRndcKey', () => {
  it('names the key the control channel refers to', () => {
    expect(renderRndcKey('c2VjcmV0')).toContain(`key "${RNDC_KEY_NAME}" {`);
  });
});
