// `dnsmgr install` / `dnsmgr uninstall`: puts dnsmgr into a panel tree (default /usr/local/mgr5) and takes it out again.
// Installing twice changes nothing; uninstalling keeps data and configuration. Every step reports what it did.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { writeFileAtomic } from '../files/atomic-write';
import { init } from './init';

export interface InstallOptions {
  prefix: string;
  /** Which panel this tree belongs to: the slave DNS server (dnsmgr), the hosting server (ispmgr), or both. */
  panel: 'dnsmgr' | 'ispmgr' | 'both';
  systemdDir: string;
  rcLocal: string;
  /** Whether to run systemctl and the panel's mgrctl; off for a tree that is not the running system's. */
  activate: boolean;
  /** What runs the health refresh between requests: a systemd timer, or cron where there is no systemd. */
  timer: 'systemd' | 'cron';
  cronDir: string;
}

const RC_MARK = '# dnsmgr: bind the namespace addresses at boot';
const UNITS = ['dnsmgr-bindip.service', 'dnsmgr-named.service', 'dnsmgr-health.service', 'dnsmgr-health.timer'];
const ENABLED = ['dnsmgr-bindip.service', 'dnsmgr-named.service', 'dnsmgr-health.timer'];
const CRON_FILE = 'dnsmgr-health';
/** How often the timer (cron) looks whether a health refresh is due: the shortest interval panel mode keeps. */
const TIMER_SECONDS = 10;
const CRON_SLOT_SECONDS = 15;

/** The project tree the running executable came from: addon/dnsmgr, its lib/, the xml/ and node_modules beside it. */
function sourceTree(): string {
  return resolve(dirname(realpathSync(process.argv[1] as string)), '..');
}

export async function install(o: InstallOptions): Promise<string> {
  const done: string[] = [];
  const src = sourceTree();
  const libDir = join(o.prefix, 'lib', 'dnsmgr');
  // The executable, the libraries it loads on demand, and the native SQLite binding, in one directory of their own.
  const copies: [string, string][] = [
    [join(src, 'addon', 'dnsmgr'), join(libDir, 'dnsmgr')],
    [join(src, 'addon', 'lib'), join(libDir, 'lib')],
    [join(src, 'addon', 'package.json'), join(libDir, 'package.json')],
    ...['better-sqlite3', 'bindings', 'file-uri-to-path'].map((m): [string, string] => [join(src, 'node_modules', m), join(libDir, 'node_modules', m)]),
  ];
  for (const [from, to] of copies) if (copyIfChanged(from, to)) done.push(`installed ${to}`);
  const links = [...(o.panel !== 'ispmgr' ? ['dnsmgr'] : []), ...(o.panel !== 'dnsmgr' ? ['dnsmgr-ispmgr'] : [])];
  for (const name of links) if (link(join(o.prefix, 'addon', name), join('..', 'lib', 'dnsmgr', 'dnsmgr'))) done.push(`linked addon/${name}`);
  const xmls = [...(o.panel !== 'ispmgr' ? ['dnsmgr_mod_dnsmgr.xml'] : []), ...(o.panel !== 'dnsmgr' ? ['ispmgr_mod_dnsmgr.xml'] : [])];
  for (const x of xmls) if (copyIfChanged(join(src, 'xml', x), join(o.prefix, 'etc', 'xml', x))) done.push(`installed etc/xml/${x}`);

  if (o.panel !== 'ispmgr') {
    // Configuration, rndc key, named.conf and database: created once, never overwritten.
    done.push(...(await init(o.prefix, { force: false })).split('\n').filter(Boolean));
    const exe = join(o.prefix, 'addon', 'dnsmgr');
    for (const [unit, text] of unitFiles(o.prefix, exe)) {
      if (writeIfChanged(join(o.systemdDir, unit), text, 0o644)) done.push(`wrote ${join(o.systemdDir, unit)}`);
    }
    if (o.timer === 'cron' && writeIfChanged(join(o.cronDir, CRON_FILE), cronFile(o.prefix, exe), 0o644)) {
      done.push(`wrote ${join(o.cronDir, CRON_FILE)}`);
    }
    if (addRcLocalLine(o.rcLocal, bindipCommand(o.prefix, exe))) done.push(`added bindip to ${o.rcLocal}`);
    if (o.activate && done.length > 0 && existsSync('/run/systemd/system')) {
      execFileSync('systemctl', ['daemon-reload']);
      execFileSync('systemctl', ['enable', ...ENABLED]);
      execFileSync('systemctl', ['start', 'dnsmgr-health.timer']);
      done.push(`enabled ${ENABLED.join(', ')}`);
    }
  }
  if (o.activate && done.length > 0) done.push(...reloadPanels(o));
  return done.length === 0 ? 'nothing to do: already installed\n' : done.map((l) => `${l}\n`).join('');
}

export async function uninstall(o: InstallOptions): Promise<string> {
  const done: string[] = [];
  for (const name of ['dnsmgr', 'dnsmgr-ispmgr']) {
    const p = join(o.prefix, 'addon', name);
    if (isLink(p)) { unlinkSync(p); done.push(`removed addon/${name}`); }
  }
  for (const p of [join(o.prefix, 'lib', 'dnsmgr'), ...['dnsmgr_mod_dnsmgr.xml', 'ispmgr_mod_dnsmgr.xml'].map((x) => join(o.prefix, 'etc', 'xml', x))]) {
    if (existsSync(p)) { rmSync(p, { recursive: true, force: true }); done.push(`removed ${p}`); }
  }
  if (o.activate && existsSync('/run/systemd/system') && UNITS.some((u) => existsSync(join(o.systemdDir, u)))) {
    execFileSync('systemctl', ['disable', '--now', 'dnsmgr-health.timer']);
    execFileSync('systemctl', ['disable', ...ENABLED]);
  }
  const cron = join(o.cronDir, CRON_FILE);
  if (existsSync(cron)) { unlinkSync(cron); done.push(`removed ${cron}`); }
  for (const u of UNITS) {
    const p = join(o.systemdDir, u);
    if (existsSync(p)) { unlinkSync(p); done.push(`removed ${p}`); }
  }
  if (removeRcLocalLine(o.rcLocal)) done.push(`removed bindip from ${o.rcLocal}`);
  if (o.activate && done.length > 0) done.push(...reloadPanels(o));
  done.push(`kept configuration and data under ${join(o.prefix, 'etc')} and ${join(o.prefix, 'var')}`);
  return done.map((l) => `${l}\n`).join('');
}

function bindipCommand(prefix: string, exe: string): string {
  // The panel's own habit where it has mgrctl (mgrctl -m dnsmgr bindip); the executable itself elsewhere.
  const mgrctl = join(prefix, 'sbin', 'mgrctl');
  return existsSync(mgrctl) ? `${mgrctl} -m dnsmgr bindip` : `${exe} --root ${prefix} bindip`;
}

/**
 * The health refresh between panel requests: a timer that wakes every TIMER_SECONDS and runs `health-timer`, which
 * refreshes only when HealthInterval has passed since the last refresh, so a changed interval needs no reinstall.
 */
function unitFiles(prefix: string, exe: string): [string, string][] {
  return [
    ['dnsmgr-health.service', `[Unit]
Description=dnsmgr: refresh zone health from named when due (problem domains, automatic retransfer, dead-zone policy)
After=dnsmgr-named.service

[Service]
Type=oneshot
ExecStart=${exe} --root ${prefix} health-timer
`],
    ['dnsmgr-health.timer', `[Unit]
Description=dnsmgr: look every ${TIMER_SECONDS} s whether a zone health refresh is due (HealthInterval)

[Timer]
OnBootSec=${TIMER_SECONDS}s
OnUnitActiveSec=${TIMER_SECONDS}s
AccuracySec=1s

[Install]
WantedBy=timers.target
`],
    ['dnsmgr-bindip.service', `[Unit]
Description=dnsmgr: bind the DNS namespace addresses to the network interface
After=network-online.target
Wants=network-online.target
Before=dnsmgr-named.service

[Service]
Type=oneshot
RemainAfterExit=yes
ExecStart=${exe} --root ${prefix} bindip

[Install]
WantedBy=multi-user.target
`],
    ['dnsmgr-named.service', `[Unit]
Description=dnsmgr: named serving the DNS namespaces (views) dnsmgr manages
After=network-online.target dnsmgr-bindip.service
Wants=network-online.target dnsmgr-bindip.service
Conflicts=named.service

[Service]
ExecStart=/usr/sbin/named -f -c ${join(prefix, 'etc', 'named', 'named.conf')}
ExecReload=/usr/sbin/rndc -k ${join(prefix, 'etc', 'named', 'rndc.key')} reconfig
Restart=on-failure

[Install]
WantedBy=multi-user.target
`],
  ];
}

/** Where there is no systemd: cron wakes every minute, and again every CRON_SLOT_SECONDS within it. */
function cronFile(prefix: string, exe: string): string {
  const command = `${exe} --root ${prefix} health-timer >/dev/null 2>&1`;
  const lines = ['# dnsmgr: refresh zone health when due (problem domains, automatic retransfer, dead-zone policy)', 'SHELL=/bin/sh'];
  for (let delay = 0; delay < 60; delay += CRON_SLOT_SECONDS) lines.push(`* * * * * root ${delay > 0 ? `sleep ${delay}; ` : ''}${command}`);
  return `${lines.join('\n')}\n`;
}

function reloadPanels(o: InstallOptions): string[] {
  const mgrctl = join(o.prefix, 'sbin', 'mgrctl');
  if (!existsSync(mgrctl)) return [];
  const panels = o.panel === 'both' ? ['dnsmgr', 'ispmgr'] : [o.panel];
  for (const p of panels) execFileSync(mgrctl, ['-m', p, 'exit'], { stdio: 'ignore' });
  return [`asked ${panels.join(' and ')} to reload`];
}

function copyIfChanged(from: string, to: string): boolean {
  if (existsSync(to) && sameTree(from, to)) return false;
  rmSync(to, { recursive: true, force: true });
  mkdirSync(dirname(to), { recursive: true });
  cpSync(from, to, { recursive: true, dereference: true, preserveTimestamps: true });
  return true;
}

function sameTree(a: string, b: string): boolean {
  const sa = lstatSync(a);
  const sb = lstatSync(b);
  if (sa.isDirectory() !== sb.isDirectory()) return false;
  if (!sa.isDirectory()) return sa.size === sb.size && readFileSync(a).equals(readFileSync(b)) && (sa.mode & 0o777) === (sb.mode & 0o777);
  const ea = readdirSync(a).sort();
  const eb = readdirSync(b).sort();
  return ea.length === eb.length && ea.every((e, i) => e === eb[i] && sameTree(join(a, e), join(b, e)));
}

function writeIfChanged(file: string, text: string, mode: number): boolean {
  if (existsSync(file) && readFileSync(file, 'utf8') === text) return false;
  mkdirSync(dirname(file), { recursive: true });
  writeFileAtomic(file, text, mode);
  return true;
}

function link(path: string, target: string): boolean {
  if (isLink(path) && readlinkSync(path) === target) return false;
  mkdirSync(dirname(path), { recursive: true });
  rmSync(path, { force: true });
  symlinkSync(target, path);
  return true;
}

function isLink(p: string): boolean {
  try {
    return lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Adds the bindip line to rc.local (before its final `exit 0`), once; only where the system has an rc.local. */
function addRcLocalLine(file: string, command: string): boolean {
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  if (text.includes(RC_MARK)) return false;
  const lines = text.split('\n');
  const exitAt = lines.findLastIndex((l) => /^\s*exit\s+0\s*$/.test(l));
  const add = [RC_MARK, command];
  if (exitAt >= 0) lines.splice(exitAt, 0, ...add);
  else lines.splice(lines[lines.length - 1] === '' ? lines.length - 1 : lines.length, 0, ...add);
  writeFileAtomic(file, lines.join('\n'));
  return true;
}

function removeRcLocalLine(file: string): boolean {
  if (!existsSync(file)) return false;
  const lines = readFileSync(file, 'utf8').split('\n');
  const at = lines.indexOf(RC_MARK);
  if (at < 0) return false;
  lines.splice(at, 2);
  writeFileAtomic(file, lines.join('\n'));
  return true;
}
