// A master zone's file (issue 12): what a new zone starts with, and every record type, written so that named's own
// checker accepts it, in an order that does not depend on the order records came in.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultRecords, renderZoneFile, soaMailbox } from '../../src/dns/zone-file';
import type { IpAddress } from '../../src/model/address';
import { parseRecord } from '../../src/model/record';
import type { RecordInput } from '../../src/model/record';
import type { ZoneName } from '../../src/model/zone-name';
import { expectGolden } from '../helpers/golden';

const GOLDEN = join(__dirname, '..', 'golden', 'zone-file');
const ZONE = 'example.com' as ZoneName;
const SOA = { mname: 'ns1.example.net', email: 'host.master@example.com', serial: 2026113001 };
const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-zonefile-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** named-checkzone's verdict on the text: its output, or the error it printed. */
function checkzone(text: string): string {
  const file = join(dir, 'zone');
  writeFileSync(file, text);
  return execFileSync('named-checkzone', ['-k', 'fail', '-n', 'fail', ZONE, file], { encoding: 'utf8' });
}

const DEFAULTS = defaultRecords(ZONE, { nameServers: ['ns1.example.net', 'ns2.example.net'], ip: '192.0.2.10' as IpAddress, subdomains: ['www'] });

describe('a new master zone', () => {
  it('starts with its name servers, its address at the apex and www, and a mail exchanger', () => {
    const text = renderZoneFile(ZONE, SOA, DEFAULTS);
    expectGolden(join(GOLDEN, '001-defaults.zone'), text);
    expect(checkzone(text)).toContain('loaded serial 2026113001');
  });

  it('without an address: its name servers alone', () => {
    expect(defaultRecords(ZONE, { nameServers: ['ns1.example.net'], subdomains: ['www'] }).map((r) => r.data.type)).toEqual(['NS']);
  });

  it('says its contact as the SOA mailbox, dots of the local part escaped', () => {
    expect(soaMailbox('host.master@example.com')).toBe('host\\.master.example.com.');
    expect(soaMailbox('admin@example.net')).toBe('admin.example.net.');
  });
});

describe('every record type', () => {
  const inputs: RecordInput[] = [
    { name: 'www', rtype: 'AAAA', value: '2001:db8::10' },
    { name: 'ftp', rtype: 'CNAME', value: 'www' },
    { name: 'sub', rtype: 'NS', value: 'ns.example.org.' },
    { name: '_acme-challenge', rtype: 'TXT', ttl: '60', value: 'tok' },
    { name: 'long', rtype: 'TXT', value: `"${'k'.repeat(600)}" "say \\"hi\\""` },
    { name: '_sip._tcp', rtype: 'SRV', priority: '10', weight: '5', port: '5060', srvdomain: 'sip.example.org.' },
    { name: '10', rtype: 'PTR', value: 'host.example.org.' },
    { name: '@', rtype: 'CAA', value: '0 issue "letsencrypt.org"' },
    { name: '*.shop', rtype: 'A', value: '192.0.2.20' },
  ];
  const records = [...DEFAULTS, ...inputs.map((i) => parseRecord(ZONE, i))];

  it('is written so that named-checkzone accepts the zone', () => {
    const text = renderZoneFile(ZONE, SOA, records);
    expectGolden(join(GOLDEN, '002-every-type.zone'), text);
    expect(checkzone(text)).toContain('loaded serial 2026113001');
  });

  it('gives the same text whatever order the records come in', () => {
    expect(renderZoneFile(ZONE, SOA, [...records].reverse())).toBe(renderZoneFile(ZONE, SOA, records));
  });
});
