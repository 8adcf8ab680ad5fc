import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { apiPortOf, INSTANCE_HEADER, renderInstanceConf } from '../../../src/dns/powerdns/render';
import type { InstanceConf } from '../../../src/dns/powerdns/render';
import { expectGolden } from '../../helpers/golden';

const GOLDEN = join(__dirname, '..', '..', 'golden', 'powerdns');
const base: InstanceConf = {
  view: '_ns7',
  ips: ['192.0.2.10'],
  database: '/opt/dnsmgr/var/lib/powerdns/_ns7.sqlite3',
  socketDir: '/opt/dnsmgr/var/run/powerdns/_ns7',
  apiKey: '0123456789abcdef0123456789abcdef0123456789abcdef',
  apiPort: 18300,
  dnsPort: 18301,
};

describe('PowerDNS golden configuration', () => {
  it.each([
    ['001-instance-v4', base],
    ['002-instance-v4-v6', { ...base, ips: ['192.0.2.10', '2001:db8::10'] }],
    ['003-instance-no-address', { ...base, ips: [] }],
    ['004-instance-setuid', { ...base, uid: 'pdns', gid: 'pdns' }],
  ] as const)('%s', (name, conf) => {
    expectGolden(join(GOLDEN, `${name}.conf`), renderInstanceConf(conf));
  });
});

describe('renderInstanceConf', () => {
  it('answers DNS only on the namespace\'s addresses, port 53, and its API only on loopback', () => {
    const text = renderInstanceConf({ ...base, ips: ['192.0.2.10', '2001:db8::10'] });
    expect(text.startsWith(INSTANCE_HEADER)).toBe(true);
    expect(text).toContain('\nlocal-address=192.0.2.10, 2001:db8::10\nlocal-port=53\n');
    expect(text).toContain('\nwebserver-address=127.0.0.1\n');
    expect(text).toContain('\nallow-axfr-ips=\n');
  });

  it('keeps a namespace without addresses on a loopback port of its own, never on every address', () => {
    const text = renderInstanceConf({ ...base, ips: [] });
    expect(text).toContain('\nlocal-address=127.0.0.1\nlocal-port=18301\n');
    expect(text).not.toMatch(/local-address=(0\.0\.0\.0|::)?\n/);
  });

  it('its API port reads back', () => {
    expect(apiPortOf(renderInstanceConf(base))).toBe(18300);
    expect(apiPortOf('launch=gsqlite3\n')).toBeUndefined();
  });
});
