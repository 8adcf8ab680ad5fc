// Issue 4: one command installs dnsmgr into a panel tree; twice changes nothing; uninstall keeps data and configuration.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { DNSMGR } from '../helpers/dnsmgr';

let base: string;
let prefix: string;
let systemd: string;
let rcLocal: string;
let cronDir: string;
/** What the first install wrote for the default HealthInterval (30 s). */

function dnsmgr(args: string[], env: Record<string, string> = {}, exe = DNSMGR): string {
  return execFileSync(process.execPath, [exe, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
}

// Every target outside the prefix given explicitly, each in the test's own tree (a prefix other than /usr/local/mgr5
// writes nothing outside it unless asked: install-scope.test.ts).
function installArgs(cmd: 'install' | 'uninstall', timer: 'cron' | 'systemd' = 'cron', cron = cronDir): string[] {
  return [cmd, '--prefix', prefix, '--panel', 'both', '--systemd-dir', systemd, '--rc-local', rcLocal, '--no-activate', '--timer', timer, '--cron-dir', cron];
}

/** The crontab lines of the health cron file (comments and variables left out). */
function cronLines(dir = cronDir): string[] {
  return readFileSync(join(dir, 'dnsmgr-health'), 'utf8').split('\n').filter((l) => l.startsWith('* '));
}

function setHealthInterval(seconds: number): void {
  const conf = join(prefix, 'etc', 'dnsmgr.conf');
  const text = readFileSync(conf, 'utf8').split('\n').filter((l) => !l.startsWith('HealthInterval ')).join('\n');
  writeFileSync(conf, `${text.replace(/\n*$/, '\n')}HealthInterval ${seconds}\n`);
}

/** Every path under a directory with a digest of its content (links by target), to compare whole trees. */
function treeDigest(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string): void => {
    for (const e of readdirSync(d)) {
      const p = join(d, e);
      const st = lstatSync(p);
      if (st.isDirectory()) walk(p);
      else out[relative(dir, p)] = st.isSymbolicLink() ? `link` : `${(st.mode & 0o777).toString(8)} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`;
    }
  };
  walk(dir);
  return out;
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'dnsmgr-install-'));
  prefix = join(base, 'mgr5');
  systemd = join(base, 'systemd');
  rcLocal = join(base, 'rc.local');
  cronDir = join(base, 'cron.d');
  writeFileSync(rcLocal, '#!/bin/sh -e\n# local boot commands\nexit 0\n');
});

describe('install', () => {
  it('puts a complete, executable tree in the prefix', () => {
    const out = dnsmgr(installArgs('install'), { DNSMGR_ROOT_PASSWORD: 'install-pw' });
    expect(out).toContain('linked addon/dnsmgr');
    for (const p of ['addon/dnsmgr', 'addon/dnsmgr-ispmgr', 'etc/xml/dnsmgr_mod_dnsmgr.xml', 'etc/xml/ispmgr_mod_dnsmgr.xml', 'etc/dnsmgr.conf',
      'etc/named/named.conf', 'etc/named/rndc.key', 'etc/named/dnsmgr-views.conf', 'lib/dnsmgr/node_modules/better-sqlite3/package.json']) {
      expect(existsSync(join(prefix, p)), p).toBe(true);
    }
    expect(statSync(join(prefix, 'addon', 'dnsmgr')).mode & 0o111).not.toBe(0);
    expect(readFileSync(join(systemd, 'dnsmgr-bindip.service'), 'utf8')).toContain(`ExecStart=${join(prefix, 'addon', 'dnsmgr')} --root ${prefix} bindip`);
    expect(readFileSync(join(systemd, 'dnsmgr-named.service'), 'utf8')).toContain(`-c ${join(prefix, 'etc', 'named', 'named.conf')}`);
    expect(readFileSync(rcLocal, 'utf8')).toBe(`#!/bin/sh -e\n# local boot commands\n# dnsmgr: bind the namespace addresses at boot\n${join(prefix, 'addon', 'dnsmgr')} --root ${prefix} bindip\nexit 0\n`);
    execFileSync('named-checkconf', [join(prefix, 'etc', 'named', 'named.conf')]);
    // The bulk transfer limits for an administrator's own named.conf: valid where the README says to include them.
    const snippet = join(prefix, 'etc', 'named', 'dnsmgr-options.conf');
    expect(out).toContain(`wrote ${snippet}: if named.conf is not dnsmgr's own, include it inside its options { }`);
    expect(readFileSync(snippet, 'utf8')).toContain('\tserial-query-rate 1000;\n\ttransfers-in 200;\n\ttransfers-per-ns 200;\n');
    // The kernel's ephemeral ports for transfers at bulk rate: a file for /etc/sysctl.d, never applied by install.
    const sysctl = join(prefix, 'etc', 'dnsmgr-sysctl.conf');
    expect(out).toContain(`wrote ${sysctl}: link it into /etc/sysctl.d/ and run sysctl --system`);
    expect(readFileSync(sysctl, 'utf8').split('\n').filter((l) => l !== '' && !l.startsWith('#'))).toEqual(['net.ipv4.ip_local_port_range = 10240 65535', 'net.ipv4.tcp_max_tw_buckets = 4096']);
    const admins = join(base, 'admins-named.conf');
    writeFileSync(admins, `options {\n\tdirectory "${base}";\n\tinclude "${snippet}";\n};\n`);
    execFileSync('named-checkconf', [admins]);
  });

  it('sets up the health refresh: a oneshot service running health-timer, a timer every 10 s that refreshes when due', () => {
    const exe = join(prefix, 'addon', 'dnsmgr');
    const service = readFileSync(join(systemd, 'dnsmgr-health.service'), 'utf8');
    expect(service).toContain('\nType=oneshot\n');
    expect(service.split('\n').filter((l) => l.startsWith('ExecStart='))).toEqual([`ExecStart=${exe} --root ${prefix} health-timer`]);
    const timer = readFileSync(join(systemd, 'dnsmgr-health.timer'), 'utf8');
    expect(timer).toContain('\n[Timer]\n');
    expect(timer.split('\n').filter((l) => l.startsWith('OnUnitActiveSec='))).toEqual(['OnUnitActiveSec=10s']);
    expect(timer).toContain('\n[Install]\nWantedBy=timers.target\n');
    expect(readdirSync(systemd).sort()).toEqual(['dnsmgr-bindip.service', 'dnsmgr-health.service', 'dnsmgr-health.timer', 'dnsmgr-named.service', 'dnsmgr-pdns@.service']);
  });

  it('writes the PowerDNS instances\' template unit, and says PdnsService systemd in the dnsmgr.conf it made', () => {
    const unit = readFileSync(join(systemd, 'dnsmgr-pdns@.service'), 'utf8');
    expect(unit.split('\n').filter((l) => /^(ExecStart|StandardOutput|Restart)=/.test(l))).toEqual([
      `ExecStart=/usr/sbin/pdns_server --config-dir=${join(prefix, 'etc', 'powerdns')} --config-name=%i`,
      `StandardOutput=append:${join(prefix, 'var', 'log', 'powerdns')}/pdns-%i.log`,
      'Restart=on-failure',
    ]);
    expect(readFileSync(join(prefix, 'etc', 'dnsmgr.conf'), 'utf8')).toMatch(/^PdnsService systemd$/m);
  });

  it('with --timer cron, a cron file: a line per 15-second slot of the minute, as root', () => {
    const exe = join(prefix, 'addon', 'dnsmgr');
    const command = `${exe} --root ${prefix} health-timer >/dev/null 2>&1`;
    expect(readdirSync(cronDir)).toEqual(['dnsmgr-health']);
    expect(statSync(join(cronDir, 'dnsmgr-health')).mode & 0o777).toBe(0o644);
    expect(cronLines()).toEqual([`* * * * * root ${command}`, `* * * * * root sleep 15; ${command}`, `* * * * * root sleep 30; ${command}`, `* * * * * root sleep 45; ${command}`]);
    expect(readFileSync(join(cronDir, 'dnsmgr-health'), 'utf8').endsWith('\n')).toBe(true);
  });

  it('answers requests from the installed tree, as the panel runs it, on both sides', () => {
    const installed = join(prefix, 'addon', 'dnsmgr');
    expect(execFileSync(installed, ['--root', prefix, '-i', 'domain'], { encoding: 'utf8' })).toContain('domain (list');
    const handler = execFileSync(installed, [], { env: { ...process.env, DNSMGR_ROOT: prefix, PARAM_func: 'user', AUTH_USER: 'root', AUTH_LEVEL: '30' }, encoding: 'utf8' });
    expect(handler).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc/>\n');
    const isp = execFileSync(join(prefix, 'addon', 'dnsmgr-ispmgr'), [], { env: { ...process.env, DNSMGR_ROOT: prefix, PARAM_func: 'dnsslave.settings', AUTH_USER: 'root', AUTH_LEVEL: '30' }, encoding: 'utf8' });
    expect(isp).toContain('<enabled>off</enabled>');
    const hookDoc = '<?xml version="1.0"?>\n<doc><ok/></doc>\n';
    const hook = execFileSync(join(prefix, 'addon', 'dnsmgr-ispmgr'), [], { env: { ...process.env, DNSMGR_ROOT: prefix, PARAM_func: 'domain.edit', PARAM_name: 'example.com', PARAM_sok: 'ok', AUTH_USER: 'root', AUTH_LEVEL: '30' }, input: hookDoc, encoding: 'utf8' });
    expect(hook).toBe(hookDoc);
  });

  it('a second run changes nothing and never overwrites the administrator\'s configuration', () => {
    const conf = join(prefix, 'etc', 'dnsmgr.conf');
    writeFileSync(conf, '// mine\nNetworkInterface eth9\n');
    const before = { tree: treeDigest(prefix), systemd: treeDigest(systemd), cron: treeDigest(cronDir), rc: readFileSync(rcLocal, 'utf8') };
    expect(dnsmgr(installArgs('install'))).toBe('nothing to do: already installed\n');
    const after = { tree: treeDigest(prefix), systemd: treeDigest(systemd), cron: treeDigest(cronDir), rc: readFileSync(rcLocal, 'utf8') };
    // The database may have been checkpointed by the second run: compare everything but SQLite's own files.
    const strip = (t: Record<string, string>) => Object.fromEntries(Object.entries(t).filter(([p]) => !/\.db(-wal|-shm)?$/.test(p)));
    expect(strip(after.tree)).toEqual(strip(before.tree));
    expect(after.systemd).toEqual(before.systemd);
    expect(after.cron).toEqual(before.cron);
    expect(after.rc).toBe(before.rc);
    expect(readFileSync(conf, 'utf8')).toBe('// mine\nNetworkInterface eth9\n');
  });
});

describe('the health timer follows HealthInterval', () => {

  const lastRefresh = (): string => {
    const db = new Database(join(prefix, 'var', 'dnsmgr.db'));
    try {
      return String(db.prepare("SELECT value FROM meta WHERE key = 'health_refreshed_at'").pluck().get());
    } finally {
      db.close();
    }
  };
  const healthTimer = (): { status: number; stdout: string } => {
    try {
      return { status: 0, stdout: execFileSync(process.execPath, [DNSMGR, '--root', prefix, 'health-timer'], { encoding: 'utf8' }) };
    } catch (err) {
      return { status: (err as { status: number }).status, stdout: String((err as { stdout: unknown }).stdout) };
    }
  };

  it('a changed interval needs no reinstall: the timer only looks, health-timer refreshes when HealthInterval has passed', () => {
    const files = { systemd: treeDigest(systemd), cron: treeDigest(cronDir) };
    setHealthInterval(60);
    expect(dnsmgr(installArgs('install'))).toBe('nothing to do: already installed\n');
    expect({ systemd: treeDigest(systemd), cron: treeDigest(cronDir) }).toEqual(files);
    // No named runs in this tree: a refresh that is due tries its statistics channel and fails, one that is not does nothing.
    const due = healthTimer();
    expect(due.status).toBe(8);
    expect(due.stdout).toContain('statistics');
    const db = new Database(join(prefix, 'var', 'dnsmgr.db'));
    db.prepare("UPDATE meta SET value = ? WHERE key = 'health_refreshed_at'").run(String(Math.floor(Date.now() / 1000) - 30));
    db.close();
    const before = lastRefresh();
    expect(healthTimer()).toEqual({ status: 0, stdout: '' });
    expect(lastRefresh()).toBe(before);
    setHealthInterval(20);
    expect(healthTimer().status).toBe(8);
    setHealthInterval(30);
  });

  it('with --timer systemd there is no cron file', () => {
    const elsewhere = join(base, 'cron-systemd');
    dnsmgr(installArgs('install', 'systemd', elsewhere));
    expect(existsSync(join(elsewhere, 'dnsmgr-health'))).toBe(false);
    expect(existsSync(join(systemd, 'dnsmgr-health.timer'))).toBe(true);
  });

  it('refuses an unknown --timer and changes nothing', () => {
    const before = { systemd: treeDigest(systemd), cron: treeDigest(cronDir) };
    let status = 0;
    let stdout = '';
    try {
      execFileSync(process.execPath, [DNSMGR, ...installArgs('install').map((a) => (a === 'cron' ? 'anacron' : a))], { encoding: 'utf8' });
    } catch (err) {
      status = (err as { status: number }).status;
      stdout = String((err as { stdout: unknown }).stdout);
    }
    expect(status).toBe(4);
    expect(stdout).toContain('--timer');
    expect({ systemd: treeDigest(systemd), cron: treeDigest(cronDir) }).toEqual(before);
  });
});

describe('the panel\'s metadata cache', () => {
  it('is cleared when install changes the plugin\'s XML, and left alone when it changes nothing', () => {
    const cache = join(prefix, 'var', '.xmlcache');
    const xml = join(prefix, 'etc', 'xml', 'ispmgr_mod_dnsmgr.xml');
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, 'ispmgr.xml'), 'compiled');
    expect(dnsmgr(installArgs('install'))).toBe('nothing to do: already installed\n');
    expect(existsSync(join(cache, 'ispmgr.xml'))).toBe(true);
    writeFileSync(xml, `${readFileSync(xml, 'utf8')}<!-- edited -->\n`);
    const out = dnsmgr(installArgs('install'));
    expect(out).toContain('installed etc/xml/ispmgr_mod_dnsmgr.xml\n');
    expect(out).toContain(`cleared the panel's metadata cache ${cache}\n`);
    expect(existsSync(cache)).toBe(false);
  });
});

describe('uninstall', () => {
  it('removes what install put in and keeps configuration and data', () => {
    mkdirSync(join(prefix, 'var', '.xmlcache'), { recursive: true });
    dnsmgr(installArgs('uninstall'));
    for (const p of ['addon/dnsmgr', 'addon/dnsmgr-ispmgr', 'lib/dnsmgr', 'etc/xml/dnsmgr_mod_dnsmgr.xml', 'etc/xml/ispmgr_mod_dnsmgr.xml']) {
      expect(existsSync(join(prefix, p)), p).toBe(false);
    }
    expect(readdirSync(systemd)).toEqual([]);
    expect(readdirSync(cronDir)).toEqual([]);
    expect(readFileSync(rcLocal, 'utf8')).toBe('#!/bin/sh -e\n# local boot commands\nexit 0\n');
    for (const p of ['etc/dnsmgr.conf', 'etc/dnsmgr.passwd', 'etc/named/named.conf', 'var/dnsmgr.db']) expect(existsSync(join(prefix, p)), p).toBe(true);
    // The removed plugin's forms must not linger in the panel.
    expect(existsSync(join(prefix, 'var', '.xmlcache'))).toBe(false);
  });
});
