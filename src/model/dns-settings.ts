// A namespace's DNS settings (DNSmanager's per-user "DNS settings"): what a new master zone of the namespace is made
// with when its request does not say — SOA contact, name servers, mail servers, default subdomains, TTL. Pure: the
// store keeps them (store/dns-settings.ts), funcs/dns-settings.ts changes them.
import { collectProblems, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import { parseYesNo } from './params';
import { MAX_TTL, MIN_TTL, parseAbsoluteHostList, parseEmail, parseRelativeNameList } from './record';
import type { ZoneName } from './zone-name';

export interface DnsSettings {
  /** The SOA's contact; undefined: hostmaster@<zone>. */
  email?: string;
  /** Name servers, absolute; undefined: ns1 and ns2 of each zone (with its address). */
  nameServers?: readonly string[];
  /** Mail exchangers, absolute, by preference; undefined: mail.<zone> (with its address). */
  mailServers?: readonly string[];
  /** Names below the apex that answer with the zone's address. */
  subdomains: readonly string[];
  /** The TTL of a new zone's records and of records added without one. */
  ttl: number;
}

export const DEFAULT_DNS_SETTINGS: DnsSettings = { subdomains: ['www'], ttl: 3600 };

/**
 * A change of the settings as a request gives it: a field absent keeps its value, a field given empty goes back to the
 * built-in default (null), or, for subdomains, to none.
 */
export interface DnsSettingsChange {
  email?: string | null;
  nameServers?: readonly string[] | null;
  mailServers?: readonly string[] | null;
  subdomains?: readonly string[];
  ttl?: number | null;
}

/** The change a submitted form asks for, every bad field reported at once; and whether to apply the name servers to the zones. */
export function parseDnsSettingsChange(raw: Readonly<Record<string, string>>): { change: DnsSettingsChange; apply: boolean } {
  const problems: InvalidParam[] = [];
  const change: DnsSettingsChange = {};
  const field = (name: string, parse: (text: string) => void): void => {
    const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
    if (v !== undefined) collectProblems(problems, () => parse(v), undefined);
  };
  field('email', (v) => { change.email = v.trim() === '' ? null : parseEmail(v, 'email'); });
  field('ns', (v) => {
    if (v.trim() === '') { change.nameServers = null; return; }
    const list = parseAbsoluteHostList(v, 'ns');
    if (list.length === 0) throw new ValidationError({ param: 'ns', value: v, reason: msg`name at least one name server, or leave the field empty for ns1 and ns2 of each zone` });
    change.nameServers = list;
  });
  field('mx', (v) => {
    const list = parseAbsoluteHostList(v, 'mx');
    change.mailServers = list.length === 0 ? null : list;
  });
  field('subdomains', (v) => { change.subdomains = parseRelativeNameList(v, 'subdomains'); });
  field('ttl', (v) => {
    const text = v.trim();
    if (text === '') { change.ttl = null; return; }
    const n = /^[0-9]{1,10}$/.test(text) ? Number(text) : NaN;
    if (!(n >= MIN_TTL && n <= MAX_TTL)) throw new ValidationError({ param: 'ttl', value: v, reason: msg`expected a whole number from ${MIN_TTL} to ${MAX_TTL}` });
    change.ttl = n;
  });
  let apply = false;
  field('apply', (v) => { apply = v.trim() === '' ? false : parseYesNo(v, 'apply'); });
  if (problems.length > 0) throw new ValidationError(problems);
  return { change, apply };
}

/** The settings after the change. */
export function changedSettings(s: DnsSettings, c: DnsSettingsChange): DnsSettings {
  const pick = <T>(key: keyof DnsSettingsChange, now: T): T => (Object.hasOwn(c, key) ? ((c[key] ?? undefined) as T) : now);
  return {
    email: pick('email', s.email),
    nameServers: pick('nameServers', s.nameServers),
    mailServers: pick('mailServers', s.mailServers),
    subdomains: c.subdomains ?? s.subdomains,
    ttl: c.ttl === undefined ? s.ttl : c.ttl ?? DEFAULT_DNS_SETTINGS.ttl,
  };
}

/** The name servers a zone of the namespace gets. */
export function zoneNameServers(s: DnsSettings, zone: ZoneName): string[] {
  return s.nameServers === undefined ? [`ns1.${zone}`, `ns2.${zone}`] : [...s.nameServers];
}

/** Whether two lists of host names hold the same names (order aside; in order too with `ordered`). */
export function sameHosts(a: readonly string[] | undefined, b: readonly string[] | undefined, ordered = false): boolean {
  if (a === undefined || b === undefined) return a === b;
  const key = (hosts: readonly string[]): string => (ordered ? [...hosts] : [...hosts].sort()).join(' ');
  return a.length === b.length && key(a) === key(b);
}
