import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { parseConf } from '../../src/files/conf-codec';
import { DEFAULT_DNSMGR_CONF } from '../../src/files/default-conf';
import type { Settings } from '../../src/files/settings';
import { checkRoot, hasOptionSet, loadSettings, settingsFromConf } from '../../src/files/settings';
import { expectInvalid } from '../model/expect-invalid';

const ROOT = '/opt/dnsmgr';
const CONF_FILE = `${ROOT}/etc/dnsmgr.conf`;

function settingsOf(text: string, root = ROOT): Settings {
  return settingsFromConf(root, `${root}/etc/dnsmgr.conf`, parseConf(text));
}

const DEFAULTS: Settings = {
  root: ROOT,
  confFile: CONF_FILE,
  dbFile: '/opt/dnsmgr/var/dnsmgr.db',
  passwdFile: '/opt/dnsmgr/etc/dnsmgr.passwd',
  logFile: '/opt/dnsmgr/var/log/dnsmgr.log',
  nameServer: 'bind',
  defaultLang: 'en',
  logLevel: 2,
  networkInterface: '',
  sharedDomains: [],
  limitedResellers: [],
  restrictedDomains: [],
  options: new Set(),
  option: { disableAutoUpdate: false, insecureDomain: false, allowIpV6: false, alwaysAllowSharedIp: false },
  named: {
    conf: '/opt/dnsmgr/etc/named/named.conf',
    views: '/opt/dnsmgr/etc/named/dnsmgr-views.conf',
    zoneDir: '/opt/dnsmgr/var/named/slave',
    nzdDir: '/opt/dnsmgr/var/named/nzd',
    rndcKey: '/opt/dnsmgr/etc/named/rndc.key',
    zoneLog: '/opt/dnsmgr/var/log/named/zones.log',
    rndcServer: '127.0.0.1',
    rndcPort: 953,
    statsPort: 8053,
    updatePort: 8054,
    bulkLoad: 500,
    nzdLock: '/opt/dnsmgr/var/run/named-nzd.lock',
  },
  powerdns: {
    confDir: '/opt/dnsmgr/etc/powerdns',
    dataDir: '/opt/dnsmgr/var/lib/powerdns',
    runDir: '/opt/dnsmgr/var/run/powerdns',
    logDir: '/opt/dnsmgr/var/log/powerdns',
    schema: '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql',
    portBase: 18300,
    service: 'dnsmgr',
  },
  tools: { rndc: 'rndc', namedCheckconf: 'named-checkconf', ip: 'ip', named: 'named', mdbLoad: 'mdb_load', mdbDump: 'mdb_dump', pdnsServer: 'pdns_server', systemctl: 'systemctl' },
  health: { intervalSeconds: 30, problemHours: 24, retransferLimit: 100, suspendDays: 0, deleteDays: 0 },
};

describe('settingsFromConf defaults', () => {
  it('puts every file under the root when the configuration sets nothing', () => {
    expect(settingsOf('')).toEqual(DEFAULTS);
  });

  it('ignores comments, including settings that are commented out', () => {
    expect(settingsOf('// RndcPort 1\n/* path NamedConf /x\n*/\n# NetworkInterface eth9\n')).toEqual(DEFAULTS);
  });

  it('follows another root', () => {
    const s = settingsOf('', '/srv/dns');
    expect(s.dbFile).toBe('/srv/dns/var/dnsmgr.db');
    expect(s.named.views).toBe('/srv/dns/etc/named/dnsmgr-views.conf');
  });
});

describe('settingsFromConf overrides', () => {
  it('takes every path from a path line', () => {
    const s = settingsOf([
      'path Database /var/lib/dnsmgr/dnsmgr.db',
      'path Passwd /etc/dnsmgr/passwd',
      'path NamedConf /etc/bind/named.conf',
      'path NamedViews /etc/bind/dnsmgr-views.conf',
      'path NamedZoneDir /var/cache/bind/dnsmgr',
      'path NamedNewZonesDir /var/cache/bind',
      'path RndcKey /etc/bind/rndc.key',
      'path rndc /usr/sbin/rndc',
      'path named-checkconf /usr/bin/named-checkconf',
      'path ip /usr/sbin/ip',
      'path named named.wrapper',
      '',
    ].join('\n'));
    expect(s.dbFile).toBe('/var/lib/dnsmgr/dnsmgr.db');
    expect(s.passwdFile).toBe('/etc/dnsmgr/passwd');
    expect(s.named).toEqual({
      conf: '/etc/bind/named.conf',
      views: '/etc/bind/dnsmgr-views.conf',
      zoneDir: '/var/cache/bind/dnsmgr',
      nzdDir: '/var/cache/bind',
      rndcKey: '/etc/bind/rndc.key',
      zoneLog: '/opt/dnsmgr/var/log/named/zones.log',
      rndcServer: '127.0.0.1',
      rndcPort: 953,
      statsPort: 8053,
    updatePort: 8054,
      bulkLoad: 500,
      nzdLock: '/opt/dnsmgr/var/run/named-nzd.lock',
    });
    expect(s.tools).toEqual({ rndc: '/usr/sbin/rndc', namedCheckconf: '/usr/bin/named-checkconf', ip: '/usr/sbin/ip', named: 'named.wrapper', mdbLoad: 'mdb_load', mdbDump: 'mdb_dump', pdnsServer: 'pdns_server', systemctl: 'systemctl' });
  });

  it('takes the last of duplicate lines', () => {
    expect(settingsOf('path NamedConf /a/named.conf\npath NamedConf /b/named.conf\n').named.conf).toBe('/b/named.conf');
  });

  it('does not take a path from a key line of the same name', () => {
    expect(settingsOf('NamedConf /etc/bind/named.conf\n').named.conf).toBe(DEFAULTS.named.conf);
  });

  it('reads the control channel and the interface', () => {
    const s = settingsOf('RndcServer ::1\nRndcPort 9953\nNetworkInterface br-lan.10\n');
    expect(s.named.rndcServer).toBe('::1');
    expect(s.named.rndcPort).toBe(9953);
    expect(s.networkInterface).toBe('br-lan.10');
  });

  it.each(['1', '953', '65535'])('accepts RndcPort %s', (port) => {
    expect(settingsOf(`RndcPort ${port}\n`).named.rndcPort).toBe(Number(port));
  });

  it('collects options, looked up without regard to case', () => {
    const s = settingsOf('Option ForceReconfig\noption Other\n');
    expect([...s.options].sort()).toEqual(['ForceReconfig', 'Other']);
    expect(hasOptionSet(s, 'forcereconfig')).toBe(true);
    expect(hasOptionSet(s, 'Missing')).toBe(false);
  });
});

describe('settingsFromConf rejects', () => {
  it.each([
    ['a quote', 'path NamedConf /etc/x"y', 'path NamedConf'],
    ['a relative path', 'path NamedViews etc/named/views.conf', 'path NamedViews'],
    ['a dot-dot component', 'path RndcKey /etc/bind/../../root/key', 'path RndcKey'],
    ['a path ending in dot-dot', 'path NamedZoneDir /var/cache/..', 'path NamedZoneDir'],
    ['white space', 'path Database /var/lib/my db/dnsmgr.db', 'path Database'],
    ['a semicolon', 'path NamedNewZonesDir /var/cache/bind;', 'path NamedNewZonesDir'],
    ['an empty path', 'path Passwd', 'path Passwd'],
    ['a braced path', 'path NamedConf /etc/{a,b}', 'path NamedConf'],
    ['a shell command as a tool', 'path rndc rndc;reboot', 'path rndc'],
    ['a relative tool path', 'path ip bin/ip', 'path ip'],
    ['a dot-dot tool', 'path named ..', 'path named'],
    ['a tool path with dot-dot', 'path named-checkconf /usr/../tmp/checkconf', 'path named-checkconf'],
  ])('%s: %s', (_what, line, param) => {
    const err = expectInvalid(() => settingsOf(`${line}\n`), param);
    expect(err.message).toContain(param);
  });

  it('an unsafe root even when the paths under it are defaults', () => {
    expectInvalid(() => settingsOf('', '/opt/dns mgr'), 'path Database');
  });

  it.each(['0', '65536', '99999', '123456', 'abc', '-1', '0x3b9', '1e3', '9.53e2', '953 954', ''])('RndcPort %j', (port) => {
    const err = expectInvalid(() => settingsOf(`RndcPort ${port}\n`), 'RndcPort');
    expect(err.problems[0]?.value).toBe(port);
  });

  it.each(['-1', 'abc', '1.5', '1e3', '123456789', '5; rm -rf /'])('NamedBulkLoad %j', (value) => {
    const err = expectInvalid(() => settingsOf(`NamedBulkLoad ${value}\n`), 'NamedBulkLoad');
    expect(err.problems[0]?.value).toBe(value);
  });

  it.each(['pdns', 'BIND', 'bind9', 'PowerDNS', ''])('NameServer %j: only the name servers this version drives', (value) => {
    const err = expectInvalid(() => settingsOf(`NameServer ${value}\n`), 'NameServer');
    expect(err.problems[0]?.reason.toString()).toContain("expected one of 'bind', 'powerdns'");
  });

  it('NameServer powerdns, with the instances\' files elsewhere and another port range', () => {
    const s = settingsOf('NameServer powerdns\npath PdnsConfDir /etc/powerdns/dnsmgr\nPdnsPortBase 20000\n');
    expect([s.nameServer, s.powerdns.confDir, s.powerdns.portBase]).toEqual(['powerdns', '/etc/powerdns/dnsmgr', 20000]);
  });

  it('PdnsService systemd; anything but dnsmgr or systemd is refused', () => {
    expect(settingsOf('PdnsService systemd\n').powerdns.service).toBe('systemd');
    expect(expectInvalid(() => settingsOf('PdnsService init.d\n'), 'PdnsService').problems[0]?.value).toBe('init.d');
  });

  it.each(['0', '65536', '1e4', '-5'])('PdnsPortBase %j', (value) => {
    expectInvalid(() => settingsOf(`PdnsPortBase ${value}\n`), 'PdnsPortBase');
  });

  it('NamedBulkLoad 0 turns bulk loads off; any other count is the threshold', () => {
    expect(settingsOf('NamedBulkLoad 0\n').named.bulkLoad).toBe(0);
    expect(settingsOf('NamedBulkLoad 20000\n').named.bulkLoad).toBe(20000);
  });

  it.each(['eth0 eth1', 'a'.repeat(16), 'eth0;', '$(reboot)', 'eth/0', 'eth0"'])('NetworkInterface %j', (iface) => {
    expectInvalid(() => settingsOf(`NetworkInterface ${iface}\n`), 'NetworkInterface');
  });

  it.each(['cafe', 'localhost', '...', '127.0.0.1;', '256.0.0.1', 'fe80::1%eth0', '127.0.0.1 any'])('RndcServer %j', (server) => {
    expectInvalid(() => settingsOf(`RndcServer ${server}\n`), 'RndcServer');
  });
});

describe('settingsFromConf panel keys', () => {
  it('reads every documented key', () => {
    const s = settingsOf([
      'DefaultLang ru',
      'LogLevel 9',
      'IPmanager ipmgr:pa:ss word',
      'NamedUID bind',
      'NamedGID 53',
      'NetworkInterface eth1',
      'SharedDomains a.example b.example',
      'LimitedResellers r1, r2',
      'RestrictedDomains blocked.example',
      'Option DisableAutoUpdate',
      'Option InsecureDomain',
      'Option AllowIpV6',
      'Option AlwaysAllowSharedIp',
      '',
    ].join('\n'));
    expect(s.defaultLang).toBe('ru');
    expect(s.logLevel).toBe(9);
    expect(s.ipmanager).toEqual({ user: 'ipmgr', password: 'pa:ss word' });
    expect(s.named.uid).toBe('bind');
    expect(s.named.gid).toBe(53);
    expect(s.networkInterface).toBe('eth1');
    expect(s.sharedDomains).toEqual(['a.example', 'b.example']);
    expect(s.limitedResellers).toEqual(['r1', 'r2']);
    expect(s.restrictedDomains).toEqual(['blocked.example']);
    expect(s.option).toEqual({ disableAutoUpdate: true, insecureDomain: true, allowIpV6: true, alwaysAllowSharedIp: true });
  });

  it('leaves the optional keys unset by default', () => {
    const s = settingsOf('');
    expect(s.ipmanager).toBeUndefined();
    expect(s.named.uid).toBeUndefined();
    expect(s.named.gid).toBeUndefined();
    expect('ipmanager' in s).toBe(false);
  });

  it('treats a bare optional key as unset', () => {
    expect(settingsOf('IPmanager\nNamedUID\nSharedDomains\nLimitedResellers\n')).toEqual(DEFAULTS);
  });

  it.each([
    ['spaces', 'a.example b.example  c.example'],
    ['commas', 'a.example,b.example,c.example'],
    ['both', 'a.example, b.example ,c.example'],
    ['tabs and a trailing comma', 'a.example\tb.example,\tc.example,'],
    ['duplicates, dropped', 'a.example b.example a.example c.example'],
  ])('splits lists on %s', (_what, value) => {
    expect(settingsOf(`SharedDomains ${value}\n`).sharedDomains).toEqual(['a.example', 'b.example', 'c.example']);
    expect(settingsOf(`RestrictedDomains ${value}\n`).restrictedDomains).toEqual(['a.example', 'b.example', 'c.example']);
  });

  it('normalizes zone names: lowercase, punycode, no final dot', () => {
    expect(settingsOf('SharedDomains Example.COM. пример.рф\n').sharedDomains).toEqual(['example.com', 'xn--e1afmkfd.xn--p1ai']);
  });

  it('reads the options without regard to case, and keeps them in options too', () => {
    const s = settingsOf('option insecuredomain\nOPTION ALLOWIPV6\n');
    expect(s.option).toEqual({ disableAutoUpdate: false, insecureDomain: true, allowIpV6: true, alwaysAllowSharedIp: false });
    expect(hasOptionSet(s, 'InsecureDomain')).toBe(true);
  });

  it.each([
    ['0', 0], ['4294967294', 4294967294], ['bind', 'bind'], ['_named', '_named'], ['named-1', 'named-1'],
  ])('takes NamedUID %j', (raw, value) => {
    expect(settingsOf(`NamedUID ${raw}\nNamedGID ${raw}\n`).named).toMatchObject({ uid: value, gid: value });
  });

  it('takes the last LogLevel and DefaultLang', () => {
    expect(settingsOf('LogLevel 1\nLogLevel 0\nDefaultLang ru\ndefaultlang en\n')).toMatchObject({ logLevel: 0, defaultLang: 'en' });
  });
});

describe('settingsFromConf rejects panel keys', () => {
  it.each([
    ['DefaultLang', ['de', 'EN', 'en ru', 'english']],
    ['LogLevel', ['10', '-1', '01', '1.5', 'high', '0x1']],
    ['NamedUID', ['Bind', '-1', '4294967295', '12345678901', 'bind;', '1a', 'a'.repeat(33)]],
    ['NamedGID', ['wheel group', '$(id)']],
    ['SharedDomains', ['a.example bad_domain!', '*.example', 'localhost', 'a.example 192.0.2.1']],
    ['LimitedResellers', ['r1 -bad', 'r1 .', 'user@example']],
    ['RestrictedDomains', ['a..example', 'example.com/24']],
  ])('%s', (key, values) => {
    for (const value of values) expectInvalid(() => settingsOf(`${key} ${value}\n`), key);
  });

  it('an empty DefaultLang or LogLevel (they have defaults, so a bare key is a mistake)', () => {
    expectInvalid(() => settingsOf('DefaultLang\n'), 'DefaultLang');
    expectInvalid(() => settingsOf('LogLevel\n'), 'LogLevel');
  });

  it('names every bad item of a list', () => {
    const err = expectInvalid(() => settingsOf('SharedDomains good.example, bad!, also_bad, fine.example\n'), 'SharedDomains');
    expect(err.problems.map((p) => p.value)).toEqual(['bad!', 'also_bad']);
  });

  it('IPmanager with its URL before the account; the password may hold spaces and colons', () => {
    expect(settingsOf('IPmanager https://ipmgr.example.net:1500/ipmgr admin:pa:ss word\n').ipmanager)
      .toEqual({ url: 'https://ipmgr.example.net:1500/ipmgr', user: 'admin', password: 'pa:ss word' });
    for (const url of ['ftp://ipmgr.example.net/ipmgr', 'https://u:p@ipmgr.example.net/ipmgr', 'https://ipmgr.example.net/ipmgr?x=1', 'http://']) {
      const err = expectInvalid(() => settingsOf(`IPmanager ${url} admin:s3cr3t\n`), 'IPmanager');
      expect(JSON.stringify(err.problems)).not.toContain('s3cr3t');
    }
  });

  it.each([
    ['no colon', 'IPmanager s3cr3t-only', '<hidden>'],
    ['an empty password', 'IPmanager admin:', 'admin:<password>'],
    ['a bad user', 'IPmanager ad$min:s3cr3t', 'ad$min:<password>'],
    ['an empty user', 'IPmanager :s3cr3t', ':<password>'],
    ['a password with a control character', 'IPmanager admin:s3cr3t\u0001', 'admin:<password>'],
  ])('IPmanager with %s, without showing the password', (_what, line, shown) => {
    const err = expectInvalid(() => settingsOf(`${line}\n`), 'IPmanager');
    expect(err.problems[0]?.value).toBe(shown);
    expect(err.message).not.toContain('s3cr3t');
    expect(JSON.stringify(err.problems)).not.toContain('s3cr3t');
  });

  it('reports every bad setting in one error, in a stable order', () => {
    const text = [
      'path NamedConf relative/named.conf',
      'RndcPort 0',
      'DefaultLang de',
      'LogLevel 10',
      'IPmanager admin',
      'NamedUID Root',
      'NetworkInterface eth0;',
      'SharedDomains ok.example bad!',
      'LimitedResellers -r',
      'RestrictedDomains x',
      '',
    ].join('\n');
    let caught: unknown;
    try {
      settingsOf(text);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).problems.map((p) => p.param)).toEqual([
      'path NamedConf', 'RndcPort', 'NamedUID', 'DefaultLang', 'LogLevel', 'NetworkInterface', 'IPmanager',
      'SharedDomains', 'LimitedResellers', 'RestrictedDomains',
    ]);
  });
});

describe('settingsFromConf health keys', () => {
  const KEYS = [
    ['HealthInterval', 'intervalSeconds', 30, 1, 86_400],
    ['ProblemThreshold', 'problemHours', 24, 1, 8760],
    ['RetransferLimit', 'retransferLimit', 100, 0, 10_000],
    ['SuspendDeadZones', 'suspendDays', 0, 0, 3650],
    ['DeleteDeadZones', 'deleteDays', 0, 0, 3650],
  ] as const;

  it('has the defaults: every 30 s, long-failing after 24 h, 100 retransfers per refresh, no dead-zone policy', () => {
    expect(settingsOf('').health).toEqual({ intervalSeconds: 30, problemHours: 24, retransferLimit: 100, suspendDays: 0, deleteDays: 0 });
  });

  it('reads every key', () => {
    const s = settingsOf('HealthInterval 5\nProblemThreshold 48\nRetransferLimit 0\nSuspendDeadZones 7\nDeleteDeadZones 30\n');
    expect(s.health).toEqual({ intervalSeconds: 5, problemHours: 48, retransferLimit: 0, suspendDays: 7, deleteDays: 30 });
  });

  it.each(KEYS)('%s: takes the smallest and the largest value, and nothing beyond', (key, field, _default, min, max) => {
    expect(settingsOf(`${key} ${min}\n`).health[field]).toBe(min);
    expect(settingsOf(`${key} ${max}\n`).health[field]).toBe(max);
    for (const value of [String(max + 1), ...(min > 0 ? [String(min - 1)] : [])]) {
      const err = expectInvalid(() => settingsOf(`${key} ${value}\n`), key);
      expect(err.problems[0]?.value).toBe(value);
      expect(String(err.problems[0]?.reason)).toBe(`expected a whole number from ${min} to ${max}`);
    }
  });

  it.each(KEYS.flatMap(([key]) => ['1e3', '-1', '0x10', '1.5', '30s', 'abc', '1 2', '+5', '1234567890', ''].map((value) => [key, value] as const)))(
    '%s %j is reported with the key name',
    (key, value) => {
      const err = expectInvalid(() => settingsOf(`${key} ${value}\n`), key);
      expect(err.problems).toHaveLength(1);
      expect(err.problems[0]?.value).toBe(value);
      expect(err.message).toContain(key);
    },
  );

  it('reports every bad health key in one error', () => {
    let caught: unknown;
    try {
      settingsOf('HealthInterval 0\nProblemThreshold x\nRetransferLimit -1\nSuspendDeadZones 1e3\nDeleteDeadZones 0x10\nStatisticsPort 0\n');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).problems.map((p) => p.param).sort()).toEqual(
      ['DeleteDeadZones', 'HealthInterval', 'ProblemThreshold', 'RetransferLimit', 'StatisticsPort', 'SuspendDeadZones'],
    );
  });

  it.each(['1', '8053', '65535'])('StatisticsPort %s', (port) => {
    expect(settingsOf(`StatisticsPort ${port}\n`).named.statsPort).toBe(Number(port));
  });

  it.each(['0', '65536', 'abc', '-1', '0x10', '1e3', '80.5', '8053 8054', ''])('rejects StatisticsPort %j', (port) => {
    const err = expectInvalid(() => settingsOf(`StatisticsPort ${port}\n`), 'StatisticsPort');
    expect(err.problems[0]?.value).toBe(port);
  });

  it('takes path NamedZoneLog and path Log, by default under the root', () => {
    expect(settingsOf('').named.zoneLog).toBe('/opt/dnsmgr/var/log/named/zones.log');
    expect(settingsOf('').logFile).toBe('/opt/dnsmgr/var/log/dnsmgr.log');
    expect(settingsOf('', '/srv/dns').named.zoneLog).toBe('/srv/dns/var/log/named/zones.log');
    expect(settingsOf('', '/srv/dns').logFile).toBe('/srv/dns/var/log/dnsmgr.log');
    const s = settingsOf('path NamedZoneLog /var/log/named/dnsmgr-zones.log\npath Log /var/log/dnsmgr.log\n');
    expect(s.named.zoneLog).toBe('/var/log/named/dnsmgr-zones.log');
    expect(s.logFile).toBe('/var/log/dnsmgr.log');
  });

  it.each([
    ['NamedZoneLog', 'var/log/zones.log'], ['NamedZoneLog', '/var/log/../../etc/passwd'], ['NamedZoneLog', '/var/log/a"; };'],
    ['NamedZoneLog', '/var/log/my zones.log'], ['NamedZoneLog', ''], ['Log', 'dnsmgr.log'], ['Log', '/var/log/..'],
    ['Log', '/var/log/$(reboot)'],
  ])('rejects path %s %j', (name, value) => {
    const err = expectInvalid(() => settingsOf(`path ${name} ${value}\n`), `path ${name}`);
    expect(err.problems[0]?.value).toBe(value);
  });
});

describe('the default dnsmgr.conf', () => {
  const KEYS = [
    'NameServer', 'DefaultLang', 'LogLevel', 'IPmanager', 'NamedUID', 'NamedGID', 'NetworkInterface', 'SharedDomains', 'LimitedResellers',
    'RestrictedDomains', 'RndcServer', 'RndcPort', 'StatisticsPort', 'NamedUpdatePort', 'NamedBulkLoad', 'HealthInterval', 'ProblemThreshold', 'RetransferLimit',
    'SuspendDeadZones', 'DeleteDeadZones', 'PdnsPortBase', 'PdnsService',
  ];
  const OPTIONS = ['DisableAutoUpdate', 'InsecureDomain', 'AllowIpV6', 'AlwaysAllowSharedIp'];
  const PATHS = ['Database', 'Passwd', 'Log', 'NamedConf', 'NamedViews', 'NamedZoneDir', 'NamedNewZonesDir', 'RndcKey', 'NamedZoneLog', 'rndc',
    'named-checkconf', 'ip', 'named', 'mdb_load', 'mdb_dump', 'PdnsConfDir', 'PdnsDataDir', 'PdnsRunDir', 'PdnsSchema', 'pdns_server', 'systemctl'];
  const documented = [...KEYS, ...OPTIONS.map((o) => `Option ${o}`), ...PATHS.map((p) => `path ${p}`)];
  /** The examples with their `// ` removed: the lines that start with a documented key. */
  const uncommented = DEFAULT_DNSMGR_CONF.split('\n')
    .map((line) => (documented.some((d) => line.startsWith(`// ${d} `) || line === `// ${d}`) ? line.slice(3) : line))
    .join('\n');

  it('gives the default settings as it is: every setting in it is commented out', () => {
    expect(settingsOf(DEFAULT_DNSMGR_CONF)).toEqual(DEFAULTS);
  });

  it.each(documented)('documents %s with an example', (d) => {
    expect(DEFAULT_DNSMGR_CONF.split('\n').some((line) => line.startsWith(`// ${d} `) || line === `// ${d}`)).toBe(true);
  });

  it('has examples that are all valid, each taken when uncommented', () => {
    const s = settingsOf(uncommented);
    expect(uncommented).not.toBe(DEFAULT_DNSMGR_CONF);
    expect(s.defaultLang).toBe('en');
    expect(s.logLevel).toBe(2);
    expect(s.ipmanager?.user).toBe('dnsmgr');
    expect(s.named.uid).toBe('bind');
    expect(s.networkInterface).toBe('eth0');
    expect(s.sharedDomains.length).toBeGreaterThan(0);
    expect(s.limitedResellers.length).toBeGreaterThan(0);
    expect(s.restrictedDomains.length).toBeGreaterThan(0);
    expect(Object.values(s.option).every(Boolean)).toBe(true);
    expect(s.named.conf).toBe('/etc/bind/named.conf');
    expect(s.tools.rndc).toBe('/usr/sbin/rndc');
    expect(s.named.zoneLog).toBe('/var/log/named/dnsmgr-zones.log');
    expect(s.logFile).toBe('/var/log/dnsmgr.log');
    expect(s.named.statsPort).toBe(8053);
    expect(s.health).toEqual(DEFAULTS.health);
  });
});

describe('loadSettings', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-settings-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('uses the defaults when there is no dnsmgr.conf', () => {
    const root = join(tmp, 'empty');
    mkdirSync(root);
    const s = loadSettings(root);
    expect(s.confFile).toBe(join(root, 'etc', 'dnsmgr.conf'));
    expect(s.dbFile).toBe(join(root, 'var', 'dnsmgr.db'));
    expect(s.named.rndcPort).toBe(953);
  });

  it('reads <root>/etc/dnsmgr.conf', () => {
    const root = join(tmp, 'configured');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), '// test\nRndcPort 9953\npath NamedConf /etc/bind/named.conf\n');
    const s = loadSettings(root);
    expect(s.named.rndcPort).toBe(9953);
    expect(s.named.conf).toBe('/etc/bind/named.conf');
  });

  it('fails, rather than falling back to defaults, when dnsmgr.conf exists but cannot be read', () => {
    const root = join(tmp, 'unreadable');
    mkdirSync(join(root, 'etc', 'dnsmgr.conf'), { recursive: true });
    expect(() => loadSettings(root)).toThrow(/EISDIR/);
  });

  it('passes on a bad setting as a ValidationError', () => {
    const root = join(tmp, 'bad');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'RndcPort 70000\n');
    expectInvalid(() => loadSettings(root), 'RndcPort');
  });
});

describe('checkRoot', () => {
  it.each([
    ['/opt/dnsmgr', '/opt/dnsmgr'],
    ['/opt/dnsmgr/', '/opt/dnsmgr'],
    ['/opt/dnsmgr///', '/opt/dnsmgr'],
    ['/', '/'],
    ['//', '/'],
    ['/usr/local/mgr5', '/usr/local/mgr5'],
    ['/srv/dns_mgr-2.0+test', '/srv/dns_mgr-2.0+test'],
  ])('accepts %j as %j', (root, expected) => {
    expect(checkRoot(root)).toBe(expected);
  });

  it.each(['', 'opt/dnsmgr', './dnsmgr', '../dnsmgr', '/opt/../etc', '/opt/dnsmgr/..', '/opt/dns mgr', '/opt/x"y', '/opt/dnsmgr\n', '~/dnsmgr'])(
    'rejects %j',
    (root) => {
      expectInvalid(() => checkRoot(root), 'root');
    },
  );
});
