// Records of a master zone (issue 12), as DNSmanager's record functions take them: checked field by field for their
// type, named in the zone, and written back in the two forms clients and name servers read — DNSmanager's record key
// (`<fqdn>. <TYPE>  <value>`) and zone-file presentation. Pure: nothing here touches a name server or the database.
import { domainToASCII } from 'node:url';
import { ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import { checkIpAddress, ipFamily } from './address';
import type { IpAddress } from './address';
import { quote } from './checked';
import { MAX_LABEL_LENGTH, MAX_NAME_LENGTH } from './zone-name';
import type { ZoneName } from './zone-name';

export const RECORD_TYPES = ['A', 'AAAA', 'CNAME', 'MX', 'NS', 'TXT', 'SRV', 'PTR', 'CAA'] as const;
export type RecordType = (typeof RECORD_TYPES)[number];

/** TTLs a record may have: from a minute's fraction to a week (clients send 60–3600). */
export const MIN_TTL = 1;
export const MAX_TTL = 604_800;
/** A TXT value's bytes, all strings together: well inside a DNS message. */
export const MAX_TXT_BYTES = 4000;
const TXT_STRING_BYTES = 255;
const CAA_TAGS = ['issue', 'issuewild', 'iodef'] as const;
/** A CAA value's bytes: a CA's domain with its parameters, or an iodef URL. */
const CAA_VALUE_BYTES = 1024;

export type RecordData =
  | { type: 'A' | 'AAAA'; address: IpAddress }
  | { type: 'CNAME' | 'NS' | 'PTR'; target: string }
  | { type: 'MX'; priority: number; exchange: string }
  | { type: 'TXT'; text: string }
  | { type: 'SRV'; priority: number; weight: number; port: number; target: string }
  | { type: 'CAA'; flags: number; tag: (typeof CAA_TAGS)[number]; value: string };

/** A record: its owner (lowercase, no trailing dot, inside its zone), TTL and data. Names in data are absolute too. */
export interface DnsRecord {
  name: string;
  ttl: number;
  data: RecordData;
}

/** What domain.record.edit receives, as the panel's fields; only those of the record's type are read. */
export interface RecordInput {
  name?: string;
  rtype?: string;
  ttl?: string;
  value?: string;
  ip?: string;
  domain?: string;
  priority?: string;
  weight?: string;
  port?: string;
  srvdomain?: string;
  email?: string;
}

/**
 * The record a request describes, every bad field reported at once (a ValidationError naming each). `name` is an FQDN
 * with a trailing dot, or relative to the zone ('' and '@': the zone itself); names in the data likewise. `ttl`
 * defaults to `defaultTtl`.
 */
export function parseRecord(zone: ZoneName, input: RecordInput, defaultTtl = 3600): DnsRecord {
  const problems: InvalidParam[] = [];
  const fail = (param: string, value: string, reason: Msg): undefined => {
    problems.push({ param, value, reason });
    return undefined;
  };
  const typeText = (input.rtype ?? '').trim().toUpperCase();
  const type = RECORD_TYPES.find((t) => t === typeText);
  if (type === undefined) fail('rtype', input.rtype ?? '', msg`expected one of ${RECORD_TYPES.join(', ')}`);
  const name = ownerName(zone, input.name ?? '', type, fail);
  const ttl = input.ttl === undefined || input.ttl.trim() === '' ? defaultTtl : number('ttl', input.ttl, MIN_TTL, MAX_TTL, fail);
  const data = type === undefined ? undefined : recordData(zone, type, input, fail);
  if (problems.length > 0 || name === undefined || ttl === undefined || data === undefined) throw new ValidationError(problems);
  if (data.type === 'CNAME' && name === zone) throw new ValidationError({ param: 'name', value: input.name ?? '', reason: msg`a CNAME cannot be at the zone's apex, beside its SOA and NS` });
  return { name, ttl, data };
}

type Fail = (param: string, value: string, reason: Msg) => undefined;

function number(param: string, raw: string, min: number, max: number, fail: Fail): number | undefined {
  const text = raw.trim();
  const n = /^[0-9]{1,10}$/.test(text) ? Number(text) : NaN;
  return n >= min && n <= max ? n : fail(param, raw, msg`expected a whole number from ${min} to ${max}`);
}

function recordData(zone: ZoneName, type: RecordType, input: RecordInput, fail: Fail): RecordData | undefined {
  // Each type's main field comes as `value`, or under the name billing addons send it by.
  const pick = (...fields: (keyof RecordInput)[]): { param: string; raw: string } => {
    for (const f of fields) if (input[f] !== undefined && input[f].trim() !== '') return { param: f, raw: input[f] };
    return { param: fields[0] as string, raw: '' };
  };
  switch (type) {
    case 'A':
    case 'AAAA': {
      const { param, raw } = pick('value', 'ip');
      const checked = checkIpAddress(raw);
      if (!checked.ok) return fail(param, raw, checked.reason);
      if (ipFamily(checked.value) !== (type === 'A' ? 4 : 6)) return fail(param, raw, type === 'A' ? msg`an A record holds an IPv4 address` : msg`an AAAA record holds an IPv6 address`);
      return { type, address: checked.value };
    }
    case 'CNAME':
    case 'NS':
    case 'PTR': {
      const { param, raw } = pick('value', 'domain');
      const target = targetName(zone, raw, param, fail);
      return target === undefined ? undefined : { type, target };
    }
    case 'MX': {
      const { param, raw } = pick('value', 'domain');
      const priority = number('priority', input.priority ?? '10', 0, 65535, fail);
      const exchange = targetName(zone, raw, param, fail);
      return priority === undefined || exchange === undefined ? undefined : { type, priority, exchange };
    }
    case 'TXT': {
      const { param, raw } = pick('value');
      const text = txtText(raw);
      if (text === '') return fail(param, raw, msg`a TXT record holds some text`);
      if (/[\u0000-\u001f\u007f]/.test(text)) return fail(param, raw, msg`contains a control character`);
      if (Buffer.byteLength(text) > MAX_TXT_BYTES) return fail(param, quote(raw), msg`longer than ${MAX_TXT_BYTES} bytes`);
      return { type, text };
    }
    case 'SRV': {
      const { param, raw } = pick('srvdomain', 'value', 'domain');
      const priority = number('priority', input.priority ?? '', 0, 65535, fail);
      const weight = number('weight', input.weight ?? '', 0, 65535, fail);
      const port = number('port', input.port ?? '', 0, 65535, fail);
      const target = raw.trim() === '.' ? '.' : targetName(zone, raw, param, fail);
      return priority === undefined || weight === undefined || port === undefined || target === undefined ? undefined : { type, priority, weight, port, target };
    }
    case 'CAA': {
      const { param, raw } = pick('value');
      const m = /^\s*([0-9]{1,3})\s+([A-Za-z0-9]+)\s+"?([^"]*)"?\s*$/.exec(raw);
      const tag = CAA_TAGS.find((t) => t === m?.[2]?.toLowerCase());
      if (m === null || tag === undefined || Number(m[1]) > 255) return fail(param, raw, msg`expected flags, tag (issue, issuewild or iodef) and value, e.g. 0 issue "letsencrypt.org"`);
      const value = m[3] ?? '';
      if (/[\u0000-\u001f\u007f]/.test(value)) return fail(param, raw, msg`contains a control character`);
      // Written between quotes in zone files and to PowerDNS: a backslash would escape, differently in each.
      if (value.includes('\\')) return fail(param, raw, msg`a CAA value cannot contain a backslash`);
      if (Buffer.byteLength(value) > CAA_VALUE_BYTES) return fail(param, quote(raw), msg`longer than ${CAA_VALUE_BYTES} bytes`);
      return { type, flags: Number(m[1]), tag, value };
    }
  }
}

/** A TXT value as clients send it: bare, or in double quotes (one string, or several "…" "…" to be joined). */
function txtText(raw: string): string {
  const strings = /^\s*"/.test(raw) ? [...raw.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1')) : [raw.trim()];
  return strings.join('');
}

/** The record's owner: absolute with a trailing dot, else relative to the zone. It must be the zone or below it. */
function ownerName(zone: ZoneName, raw: string, type: RecordType | undefined, fail: Fail): string | undefined {
  const text = raw.trim();
  const absolute = text === '' || text === '@' ? zone : text.endsWith('.') ? text.slice(0, -1) : `${text}.${zone}`;
  const name = hostName(absolute, { wildcard: true, underscore: true });
  if (name === undefined) return fail('name', raw, msg`expected a name of letters, digits, hyphens and underscores, or * as its first label`);
  if (name !== zone && !name.endsWith(`.${zone}`)) return fail('name', raw, msg`not inside the zone ${zone}`);
  if (type === 'SRV' && !/^_[a-z0-9-]+\._[a-z0-9-]+(\.|$)/.test(name)) return fail('name', raw, msg`an SRV record's name starts with _service._protocol`);
  return name;
}

/** A name a record points to: absolute with a trailing dot, else relative to the zone. Never an address. */
function targetName(zone: ZoneName, raw: string, param: string, fail: Fail): string | undefined {
  const text = raw.trim();
  if (text === '') return fail(param, raw, msg`a host name is required`);
  if (checkIpAddress(text.replace(/\.$/, '')).ok) return fail(param, raw, msg`expected a host name, not an address`);
  const absolute = text === '@' ? zone : text.endsWith('.') ? text.slice(0, -1) : `${text}.${zone}`;
  const name = hostName(absolute, { wildcard: false, underscore: true });
  return name ?? fail(param, raw, msg`expected a host name of letters, digits and hyphens`);
}

/** Lowercase A-labels (IDN punycoded), length limits kept; undefined when it is no name. */
function hostName(text: string, allow: { wildcard: boolean; underscore: boolean }): string | undefined {
  if (text.length === 0 || text.length > 1024) return undefined;
  const labels = text.split('.');
  const wildcard = allow.wildcard && labels[0] === '*';
  const rest = wildcard ? labels.slice(1) : labels;
  const ascii = rest.map((l) => (/^[\x21-\x7e]*$/.test(l) ? l.toLowerCase() : domainToASCII(l).toLowerCase()));
  const label = allow.underscore ? /^(?:_?[a-z0-9](?:[a-z0-9_-]*[a-z0-9])?|_[a-z0-9_-]*[a-z0-9]|_)$/ : /^[a-z0-9](?:[a-z0-9-]*[a-z0-9])?$/;
  if (ascii.some((l) => l.length === 0 || l.length > MAX_LABEL_LENGTH || !label.test(l))) return undefined;
  const name = [...(wildcard ? ['*'] : []), ...ascii].join('.');
  return name.length > MAX_NAME_LENGTH ? undefined : name;
}

/** The data as DNSmanager shows it in a record's `value` and key: names absolute with their dot, TXT as its text. */
export function recordValue(d: RecordData): string {
  switch (d.type) {
    case 'A':
    case 'AAAA':
      return d.address;
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return `${d.target}.`;
    case 'MX':
      return `${d.priority} ${d.exchange}.`;
    case 'TXT':
      return d.text;
    case 'SRV':
      return `${d.priority} ${d.weight} ${d.port} ${d.target === '.' ? '.' : `${d.target}.`}`;
    case 'CAA':
      return `${d.flags} ${d.tag} "${d.value}"`;
  }
}

/** DNSmanager's record key: `<fqdn>. <TYPE>  <value>` (one space, the type in capitals, two spaces). */
export function recordKey(r: DnsRecord): string {
  return `${r.name}. ${r.data.type}  ${recordValue(r.data)}`;
}

/** The record's data in zone-file (and nsupdate) presentation: TXT as quoted strings of at most 255 bytes each. */
export function presentData(d: RecordData): string {
  if (d.type !== 'TXT') return recordValue(d);
  return txtStrings(d.text).map((s) => `"${s.replace(/["\\]/g, '\\$&')}"`).join(' ');
}

/** The text cut into strings of at most 255 bytes, never inside a character. */
export function txtStrings(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const ch of text) {
    if (Buffer.byteLength(current + ch) > TXT_STRING_BYTES) {
      out.push(current);
      current = '';
    }
    current += ch;
  }
  return [...out, current];
}

/** One zone-file line: `<owner>. <ttl> IN <TYPE> <data>`. */
export function presentRecord(r: DnsRecord): string {
  return `${r.name}. ${r.ttl} IN ${r.data.type} ${presentData(r.data)}`;
}

/**
 * Why the record cannot join these (a zone's records): a CNAME shares its name with nothing else, and nothing shares a
 * CNAME's; an identical record is there already. Undefined when it can.
 */
export function coexistenceProblem(records: readonly DnsRecord[], r: DnsRecord): Msg | undefined {
  const same = records.filter((o) => o.name === r.name);
  if (same.some((o) => recordKey(o) === recordKey(r))) return msg`the zone has this record already`;
  if (r.data.type === 'CNAME' && same.length > 0) return msg`a CNAME cannot share its name with other records (${r.name} has ${same[0]?.data.type ?? ''})`;
  if (same.some((o) => o.data.type === 'CNAME')) return msg`${r.name} has a CNAME, which shares its name with nothing else`;
  return undefined;
}

/**
 * A record key as clients send it back (decoded, maybe with surrounding spaces): its name, type and value, the value
 * without the spaces around it and `exact`, as sent (a TXT record's text may end in spaces).
 */
export function parseRecordKey(raw: string): { name: string; type: RecordType; value: string; exact: string } | undefined {
  const m = /^\s*(\S+)\. ([A-Za-z]+) {2}(.*)$/s.exec(raw);
  const type = RECORD_TYPES.find((t) => t === m?.[2]?.toUpperCase());
  if (m === null || type === undefined) return undefined;
  const exact = m[3] ?? '';
  return { name: (m[1] ?? '').toLowerCase(), type, value: exact.trim(), exact };
}

/** A contact address (a master zone's SOA): `local@host`, the host a name of letters, digits and hyphens. */
export function parseEmail(raw: string, param = 'email'): string {
  const m = /^([A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*)@(.+)$/.exec(raw.trim());
  const host = m === null ? undefined : hostName(m[2] as string, { wildcard: false, underscore: false });
  // The local part becomes one label of the SOA's mailbox (at most 63 octets), the whole a name of at most 255.
  if (m === null || host === undefined || !host.includes('.') || (m[1] as string).length > MAX_LABEL_LENGTH || (m[1] as string).length + host.length + 2 > MAX_NAME_LENGTH) {
    throw new ValidationError({ param, value: raw, reason: msg`expected an email address, e.g. hostmaster@example.com` });
  }
  return `${m[1] as string}@${host}`;
}

/**
 * Host names separated by commas or spaces (name servers, mail servers), as panels take them: a name with a dot is
 * absolute, trailing dot or not (ns1.example.net); a single label is in the zone (ns1: ns1.<zone>).
 */
export function parseHostList(zone: ZoneName, raw: string, param: string): string[] {
  const problems: InvalidParam[] = [];
  const fail: Fail = (p, value, reason) => {
    problems.push({ param: p, value, reason });
    return undefined;
  };
  const names = raw.split(/[\s,]+/).filter(Boolean).map((item) => targetName(zone, /\.\S/.test(item) && !item.endsWith('.') ? `${item}.` : item, param, fail));
  if (problems.length > 0) throw new ValidationError(problems);
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/**
 * Host names separated by commas or spaces, each absolute with or without its trailing dot (a namespace's name and mail
 * servers, for every zone alike: there is no zone to be relative to, so a name of one label is a mistake).
 */
export function parseAbsoluteHostList(raw: string, param: string): string[] {
  const problems: InvalidParam[] = [];
  const names = raw.split(/[\s,]+/).filter(Boolean).flatMap((item) => {
    const text = item.replace(/\.$/, '');
    const reason = checkIpAddress(text).ok ? msg`expected a host name, not an address` : undefined;
    const name = reason === undefined ? hostName(text, { wildcard: false, underscore: true }) : undefined;
    if (name === undefined || !name.includes('.')) {
      problems.push({ param, value: item, reason: reason ?? msg`expected a full host name, e.g. ns1.example.com` });
      return [];
    }
    return [name];
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return [...new Set(names)];
}

/** Names relative to any zone, separated by commas or spaces (default subdomains: www, ftp…); * may be the first label. */
export function parseRelativeNameList(raw: string, param: string): string[] {
  const problems: InvalidParam[] = [];
  const names = raw.split(/[\s,]+/).filter(Boolean).flatMap((item) => {
    const name = item.endsWith('.') || item === '@' ? undefined : hostName(item, { wildcard: true, underscore: false });
    if (name === undefined) {
      problems.push({ param, value: item, reason: msg`expected a name relative to the zone, of letters, digits and hyphens (e.g. www)` });
      return [];
    }
    return [name];
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return [...new Set(names)];
}
