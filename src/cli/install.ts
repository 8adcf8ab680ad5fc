// `dnsmgr install` / `dnsmgr uninstall`: puts dnsmgr into a panel tree (default /usr/local/mgr5) and takes it out again.
// Installing twice changes nothing; uninstalling keeps data and configuration. Every step reports what it did.
//
// What lies outside the prefix (systemd units, the rc.local line, the cron file, systemctl, the panel's reload) is
// written only when asked for: each target by its own option (--systemd-dir, --rc-local, --cron-dir), or all of the
// running system's at once (--system), which is what an install into the real panel's /usr/local/mgr5 means unless
// --no-system says otherwise. Any other prefix is a tree of its own: nothing outside it changes. Uninstall takes the
// same options and removes exactly what install wrote with them.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, lstatSync, mkdirSync, readFileSync, readdirSync, readlinkSync, realpathSync, rmSync, symlinkSync, unlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DnsmgrError, ValidationError } from '../errors';
import { writeFileAtomic, writeIfChanged } from '../files/atomic-write';
import { checkRoot, loadSettings } from '../files/settings';
import { msg } from '../i18n/msg';
import { parseListen } from './http';
import { checkListenSecurity, loadTlsPair, tlsFilesOf } from './tls';
import { init } from './init';
import { renderSysctlSnippet, SYSCTL_SNIPPET } from '../dns/bind/render';
import { allHosts, createHost, HOST_ENABLED_UNIT_NAMES, HOST_UNIT_NAMES } from '../dns/create-host';
import { PDNS_UNIT_PREFIX } from '../dns/powerdns/instances';
import { DEFAULT_ROOT, findRoot } from './root';
import { PANEL_ADAPTERS } from '../panels/registry';
import type { PanelAdapter } from '../panels/adapter';


export interface InstallOptions {
  prefix: string;
  /**
   * Which panel this tree belongs to: the slave DNS server (dnsmgr), a panel pushing its DNS domains to one (ispmgr,
   * vmmgr: PANEL_ADAPTERS), or both a slave and ISPmanager.
   */
  panel: Panel;
  /** Where the units go; undefined = nowhere (a tree that is not the running system's, and no --systemd-dir). */
  systemdDir?: string;
  /** The boot script the bindip line goes into, where it exists; undefined = none. */
  rcLocal?: string;
  /** Whether to run systemctl and the panel's mgrctl: only for the running system's targets. */
  activate: boolean;
  /** What runs the health refresh between requests: a systemd timer, or cron where there is no systemd. */
  timer: 'systemd' | 'cron';
  /** Where the cron file goes (with --timer cron); undefined = nowhere. */
  cronDir?: string;
  /** The standalone server instead of the panel: one unit running `dnsmgr run`, which binds, runs named and serves. */
  standalone?: StandaloneOptions;
}

export interface StandaloneOptions {
  listen: string;
  tlsCert?: string;
  tlsKey?: string;
  insecure: boolean;
}

const RC_MARK = '# dnsmgr: bind the namespace addresses at boot';
/** dnsmgr's own units, whichever the name server; each name server adds its own (NameServerHost.units). */
const BINDIP_UNIT = 'dnsmgr-bindip.service';
const OWN_UNITS = [BINDIP_UNIT, 'dnsmgr-health.service', 'dnsmgr-health.timer'];
const ENABLED = ['dnsmgr-bindip.service', 'dnsmgr-health.timer'];
const STANDALONE_UNIT = 'dnsmgr.service';
const CRON_FILE = 'dnsmgr-health';
/** How often the timer (cron) looks whether a health refresh is due: the shortest interval panel mode keeps. */
const TIMER_SECONDS = 10;
const CRON_SLOT_SECONDS = 15;
const DEFAULT_LISTEN = '127.0.0.1:1500';

/** Options taking a value, and flags; anything else after install/uninstall is refused. */
const VALUE_OPTIONS = ['--prefix', '--panel', '--systemd-dir', '--rc-local', '--cron-dir', '--timer', '--tls-cert', '--tls-key'] as const;
const FLAGS = ['--system', '--no-system', '--no-activate', '--standalone', '--insecure'] as const;

/**
 * The command line of install/uninstall → options. The prefix is --prefix, else the root found as for any request
 * (--root, DNSMGR_ROOT, the prefix the executable `exe` was installed into, the default); --listen is a global option.
 */
export function installOptions(args: { command?: string; rest: readonly string[]; root?: string; listen?: string }, env: NodeJS.ProcessEnv, exe: string): InstallOptions {
  const { rest } = args;
  const values = new Map<string, string>();
  const flags = new Set<string>();
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const eq = a.indexOf('=');
    const name = a.startsWith('--') && eq > 0 ? a.slice(0, eq) : a;
    if ((VALUE_OPTIONS as readonly string[]).includes(name)) {
      const v = eq > 0 && name !== a ? a.slice(eq + 1) : rest[++i];
      if (v === undefined || v === '') throw new ValidationError({ param: name, value: '', reason: msg`needs a value` });
      values.set(name, v);
    } else if ((FLAGS as readonly string[]).includes(a)) {
      flags.add(a);
    } else {
      throw new ValidationError({ param: '(option)', value: a, reason: msg`not an option of install or uninstall; see dnsmgr help` });
    }
  }
  const path = (name: string): string | undefined => {
    const v = values.get(name);
    return v === undefined ? undefined : absolutePath(name, v);
  };
  if (flags.has('--system') && flags.has('--no-system')) {
    throw new ValidationError({ param: '--no-system', value: '', reason: msg`--system and --no-system exclude each other` });
  }
  const prefix = values.has('--prefix') ? checkRoot(absolutePath('--prefix', values.get('--prefix') as string)) : findRoot(args.root, env, exe);
  const system = flags.has('--system') || (prefix === DEFAULT_ROOT && !flags.has('--no-system'));
  const panel = values.get('--panel') ?? 'dnsmgr';
  if (!isPanel(panel)) throw new ValidationError({ param: '--panel', value: panel, reason: msg`expected dnsmgr, ispmgr, vmmgr or both` });
  const systemdDir = path('--systemd-dir') ?? (system ? '/etc/systemd/system' : undefined);
  const o: InstallOptions = {
    prefix,
    panel,
    ...(systemdDir === undefined ? {} : { systemdDir }),
    activate: system && !flags.has('--no-activate'),
    timer: timerKind(values.get('--timer')),
  };
  const standalone = flags.has('--standalone');
  const rcLocal = path('--rc-local') ?? (system && !standalone ? '/etc/rc.local' : undefined);
  const cronDir = path('--cron-dir') ?? (system && !standalone ? '/etc/cron.d' : undefined);
  if (rcLocal !== undefined) o.rcLocal = rcLocal;
  if (cronDir !== undefined) o.cronDir = cronDir;
  const standaloneOnly = ['--tls-cert', '--tls-key', '--insecure'].filter((n) => values.has(n) || flags.has(n));
  if (!standalone) {
    const first = standaloneOnly[0] ?? (args.listen !== undefined ? '--listen' : undefined);
    if (first !== undefined) throw new ValidationError({ param: first, value: values.get(first) ?? '', reason: msg`belongs to the standalone server: add --standalone` });
    return o;
  }
  for (const name of ['--panel', '--rc-local', '--cron-dir', '--timer']) {
    if (values.has(name)) throw new ValidationError({ param: name, value: values.get(name) ?? '', reason: msg`is for the panel: the standalone server (--standalone) binds its addresses, runs named and refreshes zone health itself` });
  }
  o.standalone = standaloneOptions(args.listen, path('--tls-cert'), path('--tls-key'), flags.has('--insecure'), args.command !== 'uninstall');
  return o;
}

/** `check`: what the unit will need is there, by `run`'s own rules (install); uninstall only removes the unit. */
function standaloneOptions(listen: string | undefined, tlsCert: string | undefined, tlsKey: string | undefined, insecure: boolean, check: boolean): StandaloneOptions {
  const chosen = listen ?? DEFAULT_LISTEN;
  const { host } = parseListen(chosen);
  if (!check) return { listen: chosen, insecure };
  const tls = tlsFilesOf(tlsCert, tlsKey);
  if (tls) loadTlsPair(tls);
  checkListenSecurity(host, tls !== undefined, insecure);
  return { listen: chosen, ...(tls ? { tlsCert: tls.cert, tlsKey: tls.key } : {}), insecure };
}

function absolutePath(param: string, value: string): string {
  if (!/^\/[A-Za-z0-9._/+-]*$/.test(value) || value.split('/').includes('..')) {
    throw new ValidationError({ param, value, reason: msg`expected an absolute path of letters, digits and ._+-/` });
  }
  return value.replace(/(.)\/+$/, '$1');
}

/** systemd where it runs (or is asked for), cron elsewhere. */
function timerKind(raw: string | undefined): 'systemd' | 'cron' {
  if (raw === undefined) return existsSync('/run/systemd/system') ? 'systemd' : 'cron';
  if (raw !== 'systemd' && raw !== 'cron') throw new ValidationError({ param: '--timer', value: raw, reason: msg`expected systemd or cron` });
  return raw;
}

/** The project tree the running executable came from: addon/dnsmgr, its lib/, the xml/ and node_modules beside it. */
function sourceTree(): string {
  return resolve(dirname(realpathSync(process.argv[1] as string)), '..');
}

export async function install(o: InstallOptions): Promise<string> {
  refuseOtherMode(o);
  refuseIspsystemDnsmanager(o);
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
  for (const name of addonLinks(o)) if (link(join(o.prefix, 'addon', name), join('..', 'lib', 'dnsmgr', 'dnsmgr'))) done.push(`linked addon/${name}`);
  const xmlChanged = panelXmls(o).filter((x) => copyIfChanged(join(src, 'xml', x), join(o.prefix, 'etc', 'xml', x)));
  done.push(...xmlChanged.map((x) => `installed etc/xml/${x}`));
  if (xmlChanged.length > 0) done.push(...clearXmlCache(o.prefix));

  const skipped: string[] = [];
  const exe = join(o.prefix, 'addon', 'dnsmgr');
  if (servesDns(o)) {
    // Configuration, rndc key, named.conf and database: created once, never overwritten.
    const made = (await init(o.prefix, { force: false })).split('\n').filter(Boolean);
    done.push(...made);
    const confMade = made.includes(`created ${join(o.prefix, 'etc', 'dnsmgr.conf')}`);
    const sysctl = join(o.prefix, 'etc', SYSCTL_SNIPPET);
    if (writeIfChanged(sysctl, renderSysctlSnippet(), 0o644)) done.push(`wrote ${sysctl}: link it into /etc/sysctl.d/ and run sysctl --system, or transfers of many new zones wait for ports`);
    const units = o.standalone ? [[STANDALONE_UNIT, standaloneUnit(o.prefix, exe, o.standalone)] as [string, string]] : unitFiles(o.prefix, exe);
    if (o.systemdDir === undefined) {
      skipped.push(`systemd units (${units.map(([u]) => u).join(', ')}): give --systemd-dir DIR, or --system for /etc/systemd/system`);
    } else {
      for (const [unit, text] of units) if (writeIfChanged(join(o.systemdDir, unit), text, 0o644)) done.push(`wrote ${join(o.systemdDir, unit)}`);
    }
    if (!o.standalone) {
      // Every name server's own needs (BIND's options snippet; who runs PowerDNS's instances, where units go).
      for (const host of allHosts(loadSettings(o.prefix))) {
        const setup = host.setUpForPanel(confMade, o.systemdDir !== undefined);
        done.push(...setup.done);
        skipped.push(...setup.skipped);
      }
      if (o.timer === 'cron') {
        if (o.cronDir === undefined) skipped.push('the health refresh cron file: give --cron-dir DIR, or --system for /etc/cron.d');
        else if (writeIfChanged(join(o.cronDir, CRON_FILE), cronFile(o.prefix, exe), 0o644)) done.push(`wrote ${join(o.cronDir, CRON_FILE)}`);
      }
      if (o.rcLocal === undefined) skipped.push('the bindip line in rc.local: give --rc-local FILE, or --system for /etc/rc.local');
      else if (!existsSync(o.rcLocal)) skipped.push(`the bindip line in rc.local: ${o.rcLocal} does not exist (the dnsmgr-bindip unit binds the addresses at boot where systemd runs)`);
      else if (addRcLocalLine(o.rcLocal, bindipCommand(o.prefix, exe))) done.push(`added bindip to ${o.rcLocal}`);
    }
    if (o.activate && o.systemdDir !== undefined && done.length > 0 && existsSync('/run/systemd/system')) {
      execFileSync('systemctl', ['daemon-reload']);
      if (o.standalone) {
        execFileSync('systemctl', ['enable', STANDALONE_UNIT]);
        execFileSync('systemctl', ['restart', STANDALONE_UNIT]);
        done.push(`enabled and (re)started ${STANDALONE_UNIT}`);
      } else {
        // Those of the name server in use (named's unit; none for PowerDNS, whose instances dnsmgr enables per namespace).
        const enabled = [...ENABLED, ...createHost(loadSettings(o.prefix)).units(exe).enabled];
        execFileSync('systemctl', ['enable', ...enabled]);
        execFileSync('systemctl', ['start', 'dnsmgr-health.timer']);
        done.push(`enabled ${enabled.join(', ')}`);
      }
    }
  }
  if (o.activate && !o.standalone && done.length > 0) done.push(...reloadPanels(o));
  const lines = done.length === 0 ? ['nothing to do: already installed'] : done;
  if (skipped.length > 0) lines.push(`left alone, being outside ${o.prefix} and not asked for:`, ...skipped.map((s) => `  ${s}`));
  return lines.map((l) => `${l}\n`).join('');
}

export async function uninstall(o: InstallOptions): Promise<string> {
  const done: string[] = [];
  for (const name of addonLinks(o)) {
    const p = join(o.prefix, 'addon', name);
    if (isLink(p)) { unlinkSync(p); done.push(`removed addon/${name}`); }
  }
  // The executable's own directory goes with the last link to it (a tree may hold both panels' links).
  const libDir = join(o.prefix, 'lib', 'dnsmgr');
  const stillLinked = ['dnsmgr', ...PANEL_ADAPTERS.map((a) => a.exeName)].some((n) => isLink(join(o.prefix, 'addon', n)));
  let xmlRemoved = false;
  for (const p of [...(stillLinked ? [] : [libDir]), ...panelXmls(o).map((x) => join(o.prefix, 'etc', 'xml', x))]) {
    if (existsSync(p)) { rmSync(p, { recursive: true, force: true }); done.push(`removed ${p}`); xmlRemoved ||= p !== libDir; }
  }
  if (xmlRemoved) done.push(...clearXmlCache(o.prefix));
  if (servesDns(o)) {
    const units = o.standalone ? [STANDALONE_UNIT] : panelUnitNames();
    const dir = o.systemdDir;
    if (dir !== undefined && o.activate && existsSync('/run/systemd/system') && units.some((u) => existsSync(join(dir, u)))) {
      if (o.standalone) {
        execFileSync('systemctl', ['disable', '--now', STANDALONE_UNIT]);
      } else {
        execFileSync('systemctl', ['disable', '--now', 'dnsmgr-health.timer']);
        // dnsmgr's own and every name server's (named's unit; PowerDNS's instances of the template, any there are).
        execFileSync('systemctl', ['disable', ...ENABLED, ...HOST_ENABLED_UNIT_NAMES]);
        try {
          execFileSync('systemctl', ['disable', `${PDNS_UNIT_PREFIX}*.service`], { stdio: 'ignore' });
        } catch {
          // No instance of the template was ever enabled.
        }
      }
    }
    if (!o.standalone && o.cronDir !== undefined) {
      const cron = join(o.cronDir, CRON_FILE);
      if (existsSync(cron)) { unlinkSync(cron); done.push(`removed ${cron}`); }
    }
    for (const u of dir === undefined ? [] : units) {
      const p = join(dir as string, u);
      if (existsSync(p)) { unlinkSync(p); done.push(`removed ${p}`); }
    }
    if (!o.standalone && o.rcLocal !== undefined && removeRcLocalLine(o.rcLocal)) done.push(`removed bindip from ${o.rcLocal}`);
  }
  if (o.activate && !o.standalone && done.length > 0) done.push(...reloadPanels(o));
  done.push(`kept configuration and data under ${join(o.prefix, 'etc')} and ${join(o.prefix, 'var')}`);
  return done.map((l) => `${l}\n`).join('');
}

const PANELS = ['dnsmgr', 'ispmgr', 'vmmgr', 'both'] as const;
type Panel = (typeof PANELS)[number];

function isPanel(text: string): text is Panel {
  return (PANELS as readonly string[]).includes(text);
}

/** Whether the tree is a slave DNS server: dnsmgr's own panel, with its name server, units and database. */
function servesDns(o: InstallOptions): boolean {
  return o.panel === 'dnsmgr' || o.panel === 'both';
}

/** The panels whose plugin the tree gets, pushing their DNS domains to a slave. */
function pushingPanels(o: InstallOptions): PanelAdapter[] {
  const names = o.panel === 'both' ? ['ispmgr'] : [o.panel];
  return PANEL_ADAPTERS.filter((a) => names.includes(a.panel));
}

function addonLinks(o: InstallOptions): string[] {
  if (o.standalone) return ['dnsmgr'];
  return [...(servesDns(o) ? ['dnsmgr'] : []), ...pushingPanels(o).map((a) => a.exeName)];
}

function panelXmls(o: InstallOptions): string[] {
  if (o.standalone) return [];
  return [...(servesDns(o) ? ['dnsmgr_mod_dnsmgr.xml'] : []), ...pushingPanels(o).map((a) => `${a.panel}_mod_dnsmgr.xml`)];
}

/**
 * The standalone server runs its own named, binds the addresses and refreshes health: with the panel's units for the
 * same job in the same directory, two named would fight over the same files and ports. One mode per systemd directory.
 */
function refuseOtherMode(o: InstallOptions): void {
  const dir = o.systemdDir;
  if (dir === undefined || !servesDns(o)) return;
  const other = o.standalone ? panelUnitNames().filter((u) => existsSync(join(dir, u))) : existsSync(join(dir, STANDALONE_UNIT)) ? [STANDALONE_UNIT] : [];
  if (other.length === 0) return;
  const undo = o.standalone ? 'dnsmgr uninstall' : 'dnsmgr uninstall --standalone';
  throw new ValidationError({
    param: o.standalone ? '--standalone' : '--systemd-dir',
    value: dir,
    reason: o.standalone
      ? msg`the panel's units are installed in ${dir} (${other.join(', ')}): the standalone server and the panel's named cannot both run; run '${undo}' with the same options first`
      : msg`the standalone server's ${STANDALONE_UNIT} is installed in ${dir}: it and the panel's named cannot both run; run '${undo}' with the same options first`,
  });
}

/**
 * Files ISPsystem's own DNSmanager puts into its panel tree and dnsmgr never does: its executable (4.x: bin/dnsmgr) and
 * its built-in metadata and library (5.x: etc/xml/dnsmgr.xml, lib/dnsmgr.so, lib/libdnsmgr.so — by the panel's naming;
 * no public document lists them).
 */
const ISPSYSTEM_DNSMANAGER = ['bin/dnsmgr', 'etc/xml/dnsmgr.xml', 'lib/dnsmgr.so', 'lib/libdnsmgr.so'];

/**
 * On a panel that already runs ISPsystem's DNSmanager, dnsmgr's metadata (dnsmgr_mod_dnsmgr.xml) would be merged into
 * the built-in functions of the same names (domain, domain.edit, user …), and its dnsmgr.conf, named.conf and database
 * would be the other product's: install refuses, naming what it found. The other panels' plugins (ispmgr, vmmgr) and
 * another prefix are not affected.
 */
function refuseIspsystemDnsmanager(o: InstallOptions): void {
  if (!o.standalone && !servesDns(o)) return;
  const found = ISPSYSTEM_DNSMANAGER.find((f) => existsSync(join(o.prefix, f)));
  if (found === undefined) return;
  throw new DnsmgrError('exists', 'panel', o.prefix, msg`ISPsystem's DNSmanager is installed in ${o.prefix} (${found}): dnsmgr's functions have the same names as its built-in ones and would be merged into them, and its configuration and database would be taken for dnsmgr's; install dnsmgr into a prefix of its own (--prefix DIR) or remove DNSmanager first`);
}

/** `dnsmgr run` under systemd, restarted when it fails. Conflicts= keeps the panel's named and the packaged one off. */
function standaloneUnit(prefix: string, exe: string, s: StandaloneOptions): string {
  const tls = s.tlsCert !== undefined && s.tlsKey !== undefined ? ` --tls-cert ${s.tlsCert} --tls-key ${s.tlsKey}` : '';
  return `[Unit]
Description=dnsmgr standalone server: named serving the DNS namespaces, and the HTTP API on ${s.listen}
After=network-online.target
Wants=network-online.target
Conflicts=dnsmgr-named.service named.service

[Service]
ExecStart=${exe} --root ${prefix} run --listen ${s.listen}${tls}${s.insecure ? ' --insecure' : ''}
Restart=on-failure
RestartSec=5s

[Install]
WantedBy=multi-user.target
`;
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
  // Every name server's units, not only the one in use: `backend.migrate` finds the other's there.
  return [...allHosts(loadSettings(prefix)).flatMap((h) => h.units(exe).files), ...ownUnitFiles(prefix, exe)];
}

/** The names of the panel's units, as unitFiles writes them. */
function panelUnitNames(): string[] {
  // In the order they start at boot: the addresses, the name server, the health timer.
  return [BINDIP_UNIT, ...HOST_UNIT_NAMES, ...OWN_UNITS.filter((u) => u !== BINDIP_UNIT)];
}

function ownUnitFiles(prefix: string, exe: string): [string, string][] {
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
  ];
}

/** Where there is no systemd: cron wakes every minute, and again every CRON_SLOT_SECONDS within it. */
function cronFile(prefix: string, exe: string): string {
  const command = `${exe} --root ${prefix} health-timer >/dev/null 2>&1`;
  const lines = ['# dnsmgr: refresh zone health when due (problem domains, automatic retransfer, dead-zone policy)', 'SHELL=/bin/sh'];
  for (let delay = 0; delay < 60; delay += CRON_SLOT_SECONDS) lines.push(`* * * * * root ${delay > 0 ? `sleep ${delay}; ` : ''}${command}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The panel keeps its metadata compiled in var/.xmlcache: without clearing it, a restarted panel would go on showing
 * the plugin's old forms (or a removed plugin's). Done before the panel is asked to reload.
 */
function clearXmlCache(prefix: string): string[] {
  const cache = join(prefix, 'var', '.xmlcache');
  if (!existsSync(cache)) return [];
  rmSync(cache, { recursive: true, force: true });
  return [`cleared the panel's metadata cache ${cache}`];
}

function reloadPanels(o: InstallOptions): string[] {
  const mgrctl = join(o.prefix, 'sbin', 'mgrctl');
  if (!existsSync(mgrctl)) return [];
  const panels = [...(servesDns(o) ? ['dnsmgr'] : []), ...pushingPanels(o).map((a) => a.panel)];
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

/** Adds the bindip line to rc.local (before its final `exit 0`), once. */
function addRcLocalLine(file: string, command: string): boolean {
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
