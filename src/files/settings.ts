// The settings dnsmgr reads from <root>/etc/dnsmgr.conf, with embedded defaults under the installation root.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ValidationError } from '../errors';
import { isIpv4, isIpv6 } from '../model/address';
import { getConf, parseConf } from './conf-codec';
import type { ConfDoc } from './conf-codec';

export interface Settings {
  root: string;
  confFile: string;
  dbFile: string;
  passwdFile: string;
  /** Interface the namespace addresses are bound to; '' = the first non-loopback interface. */
  networkInterface: string;
  options: ReadonlySet<string>;
  named: {
    conf: string;
    views: string;
    zoneDir: string;
    nzdDir: string;
    rndcKey: string;
    rndcServer: string;
    rndcPort: number;
  };
  tools: { rndc: string; namedCheckconf: string; ip: string; named: string };
}

/** Paths go into named.conf between quotes and onto command lines: only plain, absolute ones are accepted. */
const SAFE_PATH = /^\/[A-Za-z0-9._/+-]*$/;
const SAFE_COMMAND = /^(?:\/[A-Za-z0-9._/+-]*|[A-Za-z0-9._+-]+)$/;

export function checkRoot(root: string): string {
  const trimmed = root.replace(/\/+$/, '') || '/';
  // An empty root (DNSMGR_ROOT= set but empty) is a mistake, not a request for '/'.
  if (root === '' || !SAFE_PATH.test(trimmed) || trimmed.split('/').includes('..')) {
    throw new ValidationError({ param: 'root', value: root, reason: 'expected an absolute path of letters, digits and ._+-/' });
  }
  return trimmed;
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
  const path = (name: string, fallback: string): string => checked(`path ${name}`, getConf(doc, 'path', name) ?? fallback, SAFE_PATH);
  const tool = (name: string, fallback: string): string => checked(`path ${name}`, getConf(doc, 'path', name) ?? fallback, SAFE_COMMAND);
  const options = new Set(doc.lines.filter((l) => l.entry?.kind === 'option').map((l) => l.entry?.name ?? ''));
  const portText = getConf(doc, 'key', 'RndcPort') ?? '953';
  // Digits only: Number() alone would also take '0x3b9', '9.53e2' or '1e3'.
  const port = /^[0-9]{1,5}$/.test(portText) ? Number(portText) : NaN;
  if (!(port >= 1 && port <= 65535)) {
    throw new ValidationError({ param: 'RndcPort', value: portText, reason: 'expected a port number 1-65535' });
  }
  const iface = getConf(doc, 'key', 'NetworkInterface') ?? '';
  if (iface !== '' && !/^[A-Za-z0-9._@-]{1,15}$/.test(iface)) {
    throw new ValidationError({ param: 'NetworkInterface', value: iface, reason: 'expected an interface name' });
  }
  const rndcServer = getConf(doc, 'key', 'RndcServer') ?? '127.0.0.1';
  // The character class alone would take 'cafe' or '...', which named.conf reads as an ACL name or rejects.
  if (!isIpv4(rndcServer) && !isIpv6(rndcServer)) {
    throw new ValidationError({ param: 'RndcServer', value: rndcServer, reason: 'expected an IP address' });
  }
  return {
    root,
    confFile,
    dbFile: path('Database', join(root, 'var', 'dnsmgr.db')),
    passwdFile: path('Passwd', join(root, 'etc', 'dnsmgr.passwd')),
    networkInterface: iface,
    options,
    named: {
      conf: path('NamedConf', join(root, 'etc', 'named', 'named.conf')),
      views: path('NamedViews', join(root, 'etc', 'named', 'dnsmgr-views.conf')),
      zoneDir: path('NamedZoneDir', join(root, 'var', 'named', 'slave')),
      nzdDir: path('NamedNewZonesDir', join(root, 'var', 'named', 'nzd')),
      rndcKey: path('RndcKey', join(root, 'etc', 'named', 'rndc.key')),
      rndcServer,
      rndcPort: port,
    },
    tools: {
      rndc: tool('rndc', 'rndc'),
      namedCheckconf: tool('named-checkconf', 'named-checkconf'),
      ip: tool('ip', 'ip'),
      named: tool('named', 'named'),
    },
  };
}

export function hasOptionSet(settings: Settings, name: string): boolean {
  for (const o of settings.options) if (o.toLowerCase() === name.toLowerCase()) return true;
  return false;
}

function checked(param: string, value: string, re: RegExp): string {
  if (!re.test(value) || value.split('/').includes('..')) {
    throw new ValidationError({ param, value, reason: 'expected an absolute path (or a command name) of letters, digits and ._+-/' });
  }
  return value;
}

