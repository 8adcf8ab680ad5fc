// A panel's slave settings: <root>/etc/dnsmgr-<panel>.conf (dnsmgr-ispmgr.conf for ISPmanager), COREmanager syntax,
// mode 0600 (it holds a password).
import { mkdirSync, readFileSync } from 'node:fs';
import { msg } from '../i18n/msg';
import { dirname, join } from 'node:path';
import { collectProblems, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { writeFileAtomic } from '../files/atomic-write';
import { getConf, parseConf, renderConf, setConf } from '../files/conf-codec';
import type { ConfDoc } from '../files/conf-codec';
import { checkCommand } from '../files/settings';
import { parseLogin } from '../model/account-name';
import { parseIpAddress } from '../model/address';
import type { IpAddress } from '../model/address';
import type { Db } from '../store/db';
import type { SlavePushAdapter } from './adapter';
import { listSlaveServers, SETTINGS_TARGET } from '../store/panel-queue';

export interface SlaveConfig {
  url: string;
  username: string;
  password: string;
  masterIp: IpAddress | '';
  enabled: boolean;
  /** Seconds before the first retry; doubles up to an hour. */
  retryBase: number;
  /** The panel's mgrctl, to list its DNS domains for a synchronization. */
  mgrctl: string;
}

export function confPath(root: string, panel: string): string {
  return join(root, 'etc', `dnsmgr-${panel}.conf`);
}

function readConfDoc(root: string, panel: string): ConfDoc {
  try {
    return parseConf(readFileSync(confPath(root, panel), 'utf8'));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return parseConf('');
    throw err;
  }
}

export function loadSlaveConfig(root: string, panel: string): SlaveConfig {
  const doc = readConfDoc(root, panel);
  const key = (k: string): string => getConf(doc, 'key', k) ?? '';
  const masterIp = key('MasterIp');
  const base = Number(key('RetryBase') || '5');
  return {
    url: key('SlaveUrl'),
    username: key('SlaveUser'),
    password: decodePassword(key('SlavePassword')),
    masterIp: masterIp === '' ? '' : parseIpAddress(masterIp, 'MasterIp'),
    enabled: key('Enabled') === 'yes',
    retryBase: Number.isFinite(base) && base > 0 ? base : 5,
    mgrctl: checkCommand('path mgrctl', getConf(doc, 'path', 'mgrctl') ?? join(root, 'sbin', 'mgrctl')),
  };
}

/** The settings of whatever pushes: its own (dnsmgr's: no settings form), or the settings form's file. */
export function adapterConfig(root: string, adapter: SlavePushAdapter): SlaveConfig {
  return adapter.config === undefined ? loadSlaveConfig(root, adapter.panel) : adapter.config(root);
}

export interface SlaveConfigChange {
  url: string;
  username: string;
  password?: string;
  masterIp: IpAddress;
  enabled: boolean;
}

/** Checks the settings form; every bad field is reported at once. The URL must be http(s) with no credentials in it. */
export function validateSlaveConfig(raw: Readonly<Record<string, string>>): SlaveConfigChange {
  const problems: InvalidParam[] = [];
  const attempt = <T>(fn: () => T): T | undefined => collectProblems<T | undefined>(problems, fn, undefined);
  const url = attempt(() => parseSlaveUrl(raw.url ?? ''));
  const username = attempt(() => parseLogin(raw.username ?? '', 'username'));
  const masterIp = attempt(() => parseIpAddress(raw.masterip ?? '', 'masterip'));
  const password = raw.password === undefined || raw.password === '' ? undefined : raw.password;
  if (password !== undefined && (password.length > 72 || /[\u0000-\u001f\n]/.test(password))) {
    problems.push({ param: 'password', value: '(hidden)', reason: msg`up to 72 characters, no control characters` });
  }
  const enabled = ['on', 'yes', 'true', '1'].includes((raw.enabled ?? 'off').toLowerCase());
  // A field left undefined had its problem recorded.
  if (problems.length > 0 || url === undefined || username === undefined || masterIp === undefined) throw new ValidationError(problems);
  return { url, username, password, masterIp, enabled };
}

export function parseSlaveUrl(raw: string): string {
  let u: URL;
  try {
    u = new URL(raw.trim());
  } catch {
    throw new ValidationError({ param: 'url', value: raw, reason: msg`expected a URL like https://ns2.example.net:1500/dnsmgr` });
  }
  if ((u.protocol !== 'http:' && u.protocol !== 'https:') || u.username !== '' || u.password !== '' || u.search !== '' || u.hash !== '') {
    throw new ValidationError({ param: 'url', value: raw, reason: msg`expected an http(s) URL without credentials, query or fragment` });
  }
  return u.toString();
}

export function saveSlaveConfig(root: string, panel: string, change: SlaveConfigChange): void {
  let doc = readConfDoc(root, panel);
  doc = setConf(doc, 'key', 'SlaveUrl', change.url);
  doc = setConf(doc, 'key', 'SlaveUser', change.username);
  if (change.password !== undefined) doc = setConf(doc, 'key', 'SlavePassword', encodePassword(change.password));
  doc = setConf(doc, 'key', 'MasterIp', change.masterIp);
  doc = setConf(doc, 'key', 'Enabled', change.enabled ? 'yes' : 'no');
  mkdirSync(dirname(confPath(root, panel)), { recursive: true, mode: 0o755 });
  writeFileAtomic(confPath(root, panel), renderConf(doc), 0o600);
}

// Stored encoded: in COREmanager syntax "//" after a space starts a comment and outer spaces are trimmed, so some
// passwords would not read back as written. A plain value (written by hand) is taken as it is.
const B64 = 'base64:';

export function decodePassword(stored: string): string {
  return stored.startsWith(B64) ? Buffer.from(stored.slice(B64.length), 'base64').toString('utf8') : stored;
}

export function encodePassword(password: string): string {
  return `${B64}${Buffer.from(password).toString('base64')}`;
}

/** A slave server the panel pushes to: the settings form's (SETTINGS_TARGET), or one added by slaveserver.edit. */
export interface SlaveTarget {
  id: number;
  url: string;
  username: string;
  password: string;
}

/** Every slave server this panel pushes to: the settings form's, where it names one, then slaveserver's. */
export function slaveTargets(cfg: SlaveConfig, db: Db): SlaveTarget[] {
  const first = cfg.url === '' ? [] : [{ id: SETTINGS_TARGET, url: cfg.url, username: cfg.username, password: cfg.password }];
  return [...first, ...listSlaveServers(db).map((r) => ({ id: r.id, url: r.url, username: r.username, password: decodePassword(r.password) }))];
}

/** The slave server a queued change goes to; undefined once it was deleted (its changes go with it). */
export function slaveTarget(cfg: SlaveConfig, db: Db, id: number): SlaveTarget | undefined {
  return slaveTargets(cfg, db).find((t) => t.id === id);
}

/** The panel's settings (its address, retries, mgrctl) with one slave server's address and login. */
export function withTarget(cfg: SlaveConfig, t: SlaveTarget): SlaveConfig {
  return { ...cfg, url: t.url, username: t.username, password: t.password };
}
