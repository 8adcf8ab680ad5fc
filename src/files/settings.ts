// The settings dnsmgr reads from <root>/etc/dnsmgr.conf, with embedded defaults under the installation root.
// Every documented key is read and validated here; all bad settings are reported together in one ValidationError.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { collectProblems, InternalError, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { checkLogin } from '../model/account-name';
import type { Login } from '../model/account-name';
import { checkEach } from '../model/checked';
import type { Checked } from '../model/checked';
import { checkZoneName } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import { parseIntInRange, parseOneOf, parseYesNo } from '../model/params';
import { getConf, hasOption, parseConf, setConf, setOption } from './conf-codec';
import type { ConfDoc } from './conf-codec';
import { LANGS, msg, parseLangValue } from '../i18n/msg';
import type { Lang, Msg } from '../i18n/msg';
import { readBindSettings } from '../dns/bind/settings';
import type { BindSettings, BindTools } from '../dns/bind/settings';
import { readPowerDnsSettings } from '../dns/powerdns/settings';
import type { PowerDnsSettings, PowerDnsTools } from '../dns/powerdns/settings';

// The languages are the i18n module's; re-exported for the callers that know them from here.
export { LANGS };
export type { Lang };
export const MAX_LOG_LEVEL = 9;

/** The `Option` flags dnsmgr knows, as they are written in dnsmgr.conf, and the field each one sets. */
export const KNOWN_OPTIONS = {
  DisableAutoUpdate: 'disableAutoUpdate',
  InsecureDomain: 'insecureDomain',
  AllowIpV6: 'allowIpV6',
  AlwaysAllowSharedIp: 'alwaysAllowSharedIp',
} as const;
export type OptionName = keyof typeof KNOWN_OPTIONS;

/** A system user or group for named: a numeric id, or a name as useradd accepts it. */
export type SystemId = number | string;

export interface Settings {
  root: string;
  confFile: string;
  dbFile: string;
  passwdFile: string;
  /** Log: where dnsmgr records what it did by itself (health actions: retransfers, suspensions, deletions). */
  logFile: string;
  /** NameServer: the name server dnsmgr drives (NAME_SERVERS). */
  nameServer: NameServer;
  /** DefaultLang: the language of the panel's messages. */
  defaultLang: Lang;
  /** LogLevel 0–9. */
  logLevel: number;
  /**
   * IPmanager [URL] user:password: the IPmanager account the pool takes its addresses from (allocated there when added
   * here, marked free there when deleted here); unset = addresses are managed here. The URL (http or https, e.g.
   * https://ipmgr.example.net:1500/ipmgr) is needed for the pool to reach it; the legacy form without it is read, and
   * adding an address then says what to write.
   */
  ipmanager?: { url?: string; user: Login; password: string };
  /** Interface the namespace addresses are bound to; '' = not set (binding is refused, never guessed; init records one). */
  networkInterface: string;
  /** SharedDomains: zones whose owners are not checked when another account adds them. */
  sharedDomains: readonly ZoneName[];
  /** LimitedResellers: resellers that may create users only inside their own namespace. */
  limitedResellers: readonly Login[];
  /** RestrictedDomains (our addition, not in the legacy panel): zones no account may add, nor names below them. */
  restrictedDomains: readonly ZoneName[];
  /** Every `Option` line, known or not, as written. */
  options: ReadonlySet<string>;
  /** The known options as flags. */
  option: Record<(typeof KNOWN_OPTIONS)[OptionName], boolean>;
  /** The keys only BIND needs (dns/bind/settings). */
  named: BindSettings;
  /** The keys only PowerDNS needs (dns/powerdns/settings). */
  powerdns: PowerDnsSettings;
  tools: { ip: string } & BindTools & PowerDnsTools;
  health: HealthSettings;
}

/** How zone health is kept current and what happens to zones whose masters stay silent. */
export interface HealthSettings {
  /** HealthInterval: seconds between two health refreshes of the long-running process (and the panel's timer). */
  intervalSeconds: number;
  /** ProblemThreshold: hours a zone may fail before it is marked as long-failing (DNSmanager's 24). */
  problemHours: number;
  /** RetransferLimit: at most this many automatic retransfers per refresh; 0 turns them off. */
  retransferLimit: number;
  /** SuspendDeadZones: days of failing after which a zone is suspended (removed from named, kept); 0 = never. */
  suspendDays: number;
  /** DeleteDeadZones: days of failing after which a zone is deleted; 0 = never. */
  deleteDays: number;
}

/** The health keys: name, default, smallest and largest value. */
export const HEALTH_KEYS = {
  HealthInterval: ['intervalSeconds', 30, 1, 86_400],
  ProblemThreshold: ['problemHours', 24, 1, 8760],
  RetransferLimit: ['retransferLimit', 100, 0, 10_000],
  SuspendDeadZones: ['suspendDays', 0, 0, 3650],
  DeleteDeadZones: ['deleteDays', 0, 0, 3650],
} as const;

/** The name servers dnsmgr can drive, as dnsmgr.conf's NameServer names them. */
export const NAME_SERVERS = ['bind', 'powerdns'] as const;
export type NameServer = (typeof NAME_SERVERS)[number];

/** Paths go into named.conf between quotes and onto command lines: only plain, absolute ones are accepted. */
const SAFE_PATH = /^\/[A-Za-z0-9._/+-]*$/;
const SAFE_COMMAND = /^(?:\/[A-Za-z0-9._/+-]*|[A-Za-z0-9._+-]+)$/;
const INTERFACE_NAME = /^[A-Za-z0-9._@-]{1,15}$/;
const SYSTEM_NAME = /^[a-z_][a-z0-9_-]{0,31}$/;
const SYSTEM_ID = /^(?:0|[1-9][0-9]{0,9})$/;
const MAX_SYSTEM_ID = 4294967294; // (uid_t)-1 means "no change" to chown(2)
/** List values: items separated by white space and/or commas, as the legacy panel wrote them. */
const LIST_SEPARATOR = /[\s,]+/;

/** A name `ip` accepts as an interface and dnsmgr.conf may hold: up to 15 letters, digits and ._@-. */
export function isInterfaceName(name: string): boolean {
  return INTERFACE_NAME.test(name);
}

export function checkRoot(root: string): string {
  const trimmed = root.replace(/\/+$/, '') || '/';
  // An empty root (DNSMGR_ROOT= set but empty) is a mistake, not a request for '/'.
  if (root === '' || !SAFE_PATH.test(trimmed) || trimmed.split('/').includes('..')) {
    throw new ValidationError({ param: 'root', value: root, reason: msg`expected an absolute path of letters, digits and ._+-/` });
  }
  return trimmed;
}

/**
 * DefaultLang alone, for an answer that must be given in some language when the settings as a whole cannot be read
 * (an error in another key, a root that is not set up yet): the key if it can be read, else English.
 */
export function readDefaultLang(root: string): Lang {
  try {
    return parseLangValue(getConf(parseConf(readFileSync(join(root, 'etc', 'dnsmgr.conf'), 'utf8')), 'key', 'DefaultLang') ?? '') ?? 'en';
  } catch {
    return 'en';
  }
}

export function loadSettings(root: string): Settings {
  const confFile = join(root, 'etc', 'dnsmgr.conf');
  let doc: ConfDoc;
  try {
    doc = parseConf(readFileSync(confFile, 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    doc = parseConf('');
  }
  return settingsFromConf(root, confFile, doc);
}

export function settingsFromConf(root: string, confFile: string, doc: ConfDoc): Settings {
  const problems: InvalidParam[] = [];
  const report = (param: string, value: string, reason: Msg): void => {
    problems.push({ param, value, reason });
  };
  const path = (name: string, fallback: string): string => checkedPath(`path ${name}`, getConf(doc, 'path', name) ?? fallback, SAFE_PATH, report);
  const tool = (name: string, fallback: string): string => checkedPath(`path ${name}`, getConf(doc, 'path', name) ?? fallback, SAFE_COMMAND, report);
  const key = (name: string): string | undefined => getConf(doc, 'key', name);

  const dbFile = path('Database', join(root, 'var', 'dnsmgr.db'));
  const passwdFile = path('Passwd', join(root, 'etc', 'dnsmgr.passwd'));
  const logFile = path('Log', join(root, 'var', 'log', 'dnsmgr.log'));
  const reader: ConfReader = {
    path, tool, key, report,
    port: (name, fallback) => portKey(name, key(name) ?? String(fallback), report),
    systemId: (name) => systemId(name, key(name), report),
  };
  const ip = tool('ip', 'ip');
  const bind = readBindSettings(root, reader);
  const pdns = readPowerDnsSettings(root, reader);
  const health = Object.fromEntries(Object.entries(HEALTH_KEYS).map(([name, [field, fallback, min, max]]) => {
    const text = key(name);
    if (text === undefined) return [field, fallback];
    const n = /^[0-9]{1,9}$/.test(text) ? Number(text) : NaN;
    if (!(n >= min && n <= max)) report(name, text, msg`expected a whole number from ${min} to ${max}`);
    return [field, Number.isNaN(n) ? fallback : n];
  })) as unknown as HealthSettings;
  const serverText = key('NameServer') ?? 'bind';
  const nameServer = NAME_SERVERS.find((n) => n === serverText);
  if (nameServer === undefined) report('NameServer', serverText, msg`expected one of ${NAME_SERVERS.map((n) => `'${n}'`).join(', ')}`);
  const langText = key('DefaultLang') ?? 'en';
  const lang = LANGS.find((l) => l === langText);
  if (lang === undefined) report('DefaultLang', langText, msg`expected one of ${LANGS.map((l) => `'${l}'`).join(', ')}`);
  const logText = key('LogLevel') ?? '2';
  if (!isLogLevel(logText)) report('LogLevel', logText, msg`expected a whole number from 0 to ${MAX_LOG_LEVEL}`);

  const iface = key('NetworkInterface') ?? '';
  if (iface !== '' && !INTERFACE_NAME.test(iface)) report('NetworkInterface', iface, msg`expected an interface name`);
  const ipmanager = ipmanagerAccount(key('IPmanager') ?? '', report);

  const sharedDomains = collectProblems(problems, () => splitConfList(key('SharedDomains') ?? '', 'SharedDomains', checkZoneName), []);
  const limitedResellers = collectProblems(problems, () => splitConfList(key('LimitedResellers') ?? '', 'LimitedResellers', checkLogin), []);
  const restrictedDomains = collectProblems(problems, () => splitConfList(key('RestrictedDomains') ?? '', 'RestrictedDomains', checkZoneName), []);

  if (problems.length > 0) throw new ValidationError(problems);
  return {
    root,
    confFile,
    dbFile,
    passwdFile,
    logFile,
    nameServer: nameServer ?? 'bind',
    defaultLang: lang ?? 'en',
    logLevel: Number(logText),
    ...(ipmanager ? { ipmanager } : {}),
    networkInterface: iface,
    sharedDomains,
    limitedResellers,
    restrictedDomains,
    options: new Set(doc.lines.filter((l) => l.entry?.kind === 'option').map((l) => l.entry?.name ?? '')),
    option: {
      disableAutoUpdate: hasOption(doc, 'DisableAutoUpdate'),
      insecureDomain: hasOption(doc, 'InsecureDomain'),
      allowIpV6: hasOption(doc, 'AllowIpV6'),
      alwaysAllowSharedIp: hasOption(doc, 'AlwaysAllowSharedIp'),
    },
    named: bind.named,
    powerdns: pdns.powerdns,
    tools: { ip, ...bind.tools, ...pdns.tools },
    health,
  };
}

function portKey(name: string, text: string, report: Report): number {
  // Digits only: Number() alone would also take '0x3b9', '9.53e2' or '1e3'.
  const port = /^[0-9]{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 1 && port <= 65535)) report(name, text, msg`expected a port number 1-65535`);
  return port;
}

export function hasOptionSet(settings: Settings, name: string): boolean {
  for (const o of settings.options) if (o.toLowerCase() === name.toLowerCase()) return true;
  return false;
}

/** Splits a list value on white space and commas; every item is checked, all bad ones reported, duplicates dropped. */
export function splitConfList<T>(raw: string, param: string, check: (item: string) => Checked<T>): T[] {
  return checkEach(raw.split(LIST_SEPARATOR).filter((s) => s !== ''), param, check);
}

export function isLogLevel(text: string): boolean {
  return /^[0-9]$/.test(text) && Number(text) <= MAX_LOG_LEVEL;
}

type Report = (param: string, value: string, reason: Msg) => void;

/** How a name server's own settings module reads its keys of dnsmgr.conf, each problem reported with the others. */
export interface ConfReader {
  /** A `path` line: an absolute path of safe characters. */
  path(name: string, fallback: string): string;
  /** A `path` line naming a tool: an absolute path or a command name. */
  tool(name: string, fallback: string): string;
  key(name: string): string | undefined;
  port(name: string, fallback: number): number;
  /** A system user or group: a numeric id or a name. */
  systemId(name: string): SystemId | undefined;
  report: Report;
}

/** A tool's path from a configuration file, checked before it goes onto a command line. */
export function checkCommand(param: string, value: string): string {
  return checkedPath(param, value, SAFE_COMMAND, (p, v, reason) => { throw new ValidationError({ param: p, value: v, reason }); });
}

function checkedPath(param: string, value: string, re: RegExp, report: Report): string {
  if (!re.test(value) || value.split('/').includes('..')) {
    report(param, value, msg`expected an absolute path (or a command name) of letters, digits and ._+-/`);
  }
  return value;
}

function systemId(param: string, raw: string | undefined, report: Report): SystemId | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (SYSTEM_ID.test(raw) && Number(raw) <= MAX_SYSTEM_ID) return Number(raw);
  if (SYSTEM_NAME.test(raw)) return raw;
  report(param, raw, msg`expected a numeric id (0-${MAX_SYSTEM_ID}) or a name of lowercase letters, digits, _ and -`);
  return undefined;
}

/** `[URL ]user:password`. The password is never echoed: a problem shows the user part only, or nothing. */
function ipmanagerAccount(value: string, report: Report): { url?: string; user: Login; password: string } | undefined {
  if (value === '') return undefined;
  let raw = value;
  let url: string | undefined;
  const first = /^(\S+)\s+/.exec(value);
  if (first !== null && /^[a-z][a-z0-9+.-]*:\/\//i.test(first[1] as string)) {
    url = ipmanagerUrl(first[1] as string, report);
    raw = value.slice(first[0].length);
  }
  const colon = raw.indexOf(':');
  if (colon < 0) {
    report('IPmanager', '<hidden>', msg`expected user:password`);
    return undefined;
  }
  const user = raw.slice(0, colon);
  const password = raw.slice(colon + 1);
  const shown = `${user}:<password>`;
  const login = checkLogin(user);
  if (!login.ok) report('IPmanager', shown, msg`user: ${login.reason}`);
  if (password === '') report('IPmanager', shown, msg`password: empty`);
  else if (/[\u0000-\u001f\u007f]/.test(password)) report('IPmanager', shown, msg`password: contains a control character`);
  return login.ok && password !== '' ? { ...(url === undefined ? {} : { url }), user: login.value, password } : undefined;
}

function ipmanagerUrl(raw: string, report: Report): string | undefined {
  let u: URL;
  try {
    u = new URL(raw);
  } catch {
    report('IPmanager', raw, msg`expected a URL like https://ipmgr.example.net:1500/ipmgr`);
    return undefined;
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
    report('IPmanager', raw, msg`expected an http(s) URL without credentials, query or fragment`);
    return undefined;
  }
  return u.toString();
}

// ---- The settings form: what the panel administrator may change, and how it is written back. ----

/**
 * A change from the settings form, already validated. A key that is absent stays as it is; '' (or an empty list)
 * removes the key, so the default applies again; an option is switched on or off.
 */
export interface SettingsChange {
  NetworkInterface?: string;
  SharedDomains?: readonly ZoneName[];
  LimitedResellers?: readonly Login[];
  RestrictedDomains?: readonly ZoneName[];
  DefaultLang?: Lang | '';
  LogLevel?: number | '';
  DisableAutoUpdate?: boolean;
  InsecureDomain?: boolean;
  AllowIpV6?: boolean;
  AlwaysAllowSharedIp?: boolean;
  /** The health keys (HEALTH_KEYS): a number in range, or '' to go back to the default. */
  health?: Partial<Record<HealthKey, number | ''>>;
}

export type HealthKey = keyof typeof HEALTH_KEYS;
export const HEALTH_KEY_NAMES = Object.keys(HEALTH_KEYS) as HealthKey[];

const LIST_KEYS = ['SharedDomains', 'LimitedResellers', 'RestrictedDomains'] as const;
const OPTION_NAMES = Object.keys(KNOWN_OPTIONS) as OptionName[];

/**
 * Writes a change into the document through setConf/setOption, so comments, order and unknown keys survive. A key
 * whose value already means the same (the same list however separated) keeps its line byte for byte, which also
 * makes applying the same change twice the same as applying it once. Keys are visited in a fixed order, so new lines
 * are appended in that order whatever order the change lists them in.
 */
export function updateConf(doc: ConfDoc, change: SettingsChange): ConfDoc {
  let next = doc;
  const setKey = (name: string, value: string | undefined): void => {
    if (value === undefined) return;
    if (value === '') {
      if (getConf(next, 'key', name) !== undefined) next = setConf(next, 'key', name, undefined);
    } else if (getConf(next, 'key', name) !== value) {
      next = setConf(next, 'key', name, value);
    }
  };
  if (change.NetworkInterface !== undefined && change.NetworkInterface !== '' && !INTERFACE_NAME.test(change.NetworkInterface)) {
    throw new InternalError(msg`updateConf: ${'NetworkInterface'} was not validated: ${JSON.stringify(change.NetworkInterface)}`);
  }
  if (typeof change.LogLevel === 'number' && !isLogLevel(String(change.LogLevel))) {
    throw new InternalError(msg`updateConf: ${'LogLevel'} was not validated: ${change.LogLevel}`);
  }
  setKey('DefaultLang', change.DefaultLang);
  setKey('LogLevel', change.LogLevel === undefined ? undefined : String(change.LogLevel));
  setKey('NetworkInterface', change.NetworkInterface);
  for (const name of LIST_KEYS) {
    const items = change[name];
    if (items === undefined) continue;
    const current = (getConf(next, 'key', name) ?? '').split(LIST_SEPARATOR).filter((s) => s !== '');
    const same = current.length === items.length && current.every((item, i) => item === items[i]);
    if (!same) setKey(name, items.join(' '));
  }
  for (const name of HEALTH_KEY_NAMES) {
    const value = change.health?.[name];
    if (typeof value === 'number' && !(Number.isSafeInteger(value) && value >= HEALTH_KEYS[name][2] && value <= HEALTH_KEYS[name][3])) {
      throw new InternalError(msg`updateConf: ${name} was not validated: ${value}`);
    }
    setKey(name, value === undefined ? undefined : String(value));
  }
  for (const name of OPTION_NAMES) {
    const on = change[name];
    if (on !== undefined) next = setOption(next, name, on);
  }
  return next;
}

/**
 * The settings form's raw parameters → a SettingsChange. Only the fields present are taken (the panel also sends
 * func, sok and the like, which are ignored); every bad field is reported in one ValidationError.
 */
export function validateSettingsChange(raw: Record<string, string>): SettingsChange {
  const problems: InvalidParam[] = [];
  const take = <T>(name: string, parse: (value: string) => T): T | undefined => {
    const value = Object.hasOwn(raw, name) ? raw[name] : undefined;
    return value === undefined ? undefined : collectProblems<T | undefined>(problems, () => parse(value), undefined);
  };
  const change: SettingsChange = {};
  const iface = take('NetworkInterface', parseInterfaceName);
  if (iface !== undefined) change.NetworkInterface = iface;
  const shared = take('SharedDomains', (v) => splitConfList(v, 'SharedDomains', checkZoneName));
  if (shared !== undefined) change.SharedDomains = shared;
  const limited = take('LimitedResellers', (v) => splitConfList(v, 'LimitedResellers', checkLogin));
  if (limited !== undefined) change.LimitedResellers = limited;
  const restricted = take('RestrictedDomains', (v) => splitConfList(v, 'RestrictedDomains', checkZoneName));
  if (restricted !== undefined) change.RestrictedDomains = restricted;
  const lang = take('DefaultLang', (v) => (v.trim() === '' ? '' : parseOneOf(v.trim(), 'DefaultLang', LANGS)));
  if (lang !== undefined) change.DefaultLang = lang;
  // `|| 0`: '-0' parses to -0, which is written as 0 anyway.
  const logLevel = take('LogLevel', (v) => (v.trim() === '' ? '' : parseIntInRange(v, 'LogLevel', 0, MAX_LOG_LEVEL) || 0));
  if (logLevel !== undefined) change.LogLevel = logLevel;
  for (const name of HEALTH_KEY_NAMES) {
    const [, , min, max] = HEALTH_KEYS[name];
    const value = take(name, (v) => (v.trim() === '' ? '' : parseIntInRange(v, name, min, max) || 0));
    if (value !== undefined) change.health = { ...change.health, [name]: value };
  }
  for (const name of OPTION_NAMES) {
    const on = take(name, (v) => parseYesNo(v, name));
    if (on !== undefined) change[name] = on;
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return change;
}

function parseInterfaceName(raw: string): string {
  const value = raw.trim();
  if (value !== '' && !INTERFACE_NAME.test(value)) {
    throw new ValidationError({ param: 'NetworkInterface', value: raw, reason: msg`expected an interface name: up to 15 letters, digits and ._@-` });
  }
  return value;
}
