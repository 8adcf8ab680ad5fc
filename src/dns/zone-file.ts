// A master zone as text in the zone-file format (RFC 1035), from validated values only (issue 12): its SOA, then its
// records in a stable order. What a new master zone starts with — its name servers, the address of its apex and www,
// its mail exchanger — comes from defaultRecords. Pure: nothing here touches a file or a name server.
import type { IpAddress } from '../model/address';
import { ipFamily } from '../model/address';
import { presentRecord, recordKey } from '../model/record';
import type { DnsRecord, RecordData } from '../model/record';
import type { ZoneName } from '../model/zone-name';

/** The SOA's timers: refresh, retry, expire and the negative-caching TTL, in seconds. */
export const SOA_TIMERS = { refresh: 10_800, retry: 3600, expire: 604_800, minimum: 3600 } as const;
export const DEFAULT_TTL = 3600;

export interface Soa {
  /** The primary name server (absolute, no trailing dot). */
  mname: string;
  /** The contact's mailbox as an email address (user@host). */
  email: string;
  serial: number;
}

/** What a new master zone is made with (DNSmanager's domain.edit dtype=master, and its DNS settings). */
export interface ZoneDefaults {
  /** Its name servers, absolute: the first is the SOA's primary. */
  nameServers: readonly string[];
  /** The address its apex and its default subdomains answer with, if any. */
  ip?: IpAddress;
  /** Names below the apex that answer with `ip` too (DNSmanager's default: www). */
  subdomains: readonly string[];
  /** Mail exchangers, absolute; none: mail.<zone>, with `ip`, when there is an address. */
  mailServers?: readonly string[];
}

/** An email address as the SOA's RNAME: its local part's dots escaped, `@` a label separator. */
export function soaMailbox(email: string): string {
  const at = email.lastIndexOf('@');
  const local = email.slice(0, at).replace(/\./g, '\\.');
  return `${local}.${email.slice(at + 1)}.`;
}

/** The records a new master zone starts with: NS, the apex's and subdomains' addresses, MX. */
export function defaultRecords(zone: ZoneName, d: ZoneDefaults, ttl = DEFAULT_TTL): DnsRecord[] {
  const at = (name: string, data: RecordData): DnsRecord => ({ name, ttl, data });
  const records = d.nameServers.map((ns) => at(zone, { type: 'NS', target: ns }));
  if (d.ip !== undefined) {
    const type = ipFamily(d.ip) === 4 ? 'A' : 'AAAA';
    records.push(at(zone, { type, address: d.ip }));
    for (const sub of d.subdomains) records.push(at(`${sub}.${zone}`, { type, address: d.ip }));
  }
  const mail = d.mailServers ?? (d.ip !== undefined ? [`mail.${zone}`] : []);
  mail.forEach((mx, i) => records.push(at(zone, { type: 'MX', priority: 10 * (i + 1), exchange: mx })));
  if (d.mailServers === undefined && d.ip !== undefined && !d.subdomains.includes('mail')) {
    records.push(at(`mail.${zone}`, { type: ipFamily(d.ip) === 4 ? 'A' : 'AAAA', address: d.ip }));
  }
  return records;
}

/**
 * The zone file: $ORIGIN and $TTL, the SOA, then every record, the apex first, names in order, each name's records by
 * type and value, so that the same zone always gives the same text.
 */
export function renderZoneFile(zone: ZoneName, soa: Soa, records: readonly DnsRecord[]): string {
  const t = SOA_TIMERS;
  const head = [
    `$ORIGIN ${zone}.`,
    `$TTL ${DEFAULT_TTL}`,
    `${zone}. ${DEFAULT_TTL} IN SOA ${soa.mname}. ${soaMailbox(soa.email)} ${soa.serial} ${t.refresh} ${t.retry} ${t.expire} ${t.minimum}`,
  ];
  const order = (r: DnsRecord): string => `${r.name === zone ? '' : r.name.split('.').reverse().join('.')}\u0000${recordKey(r)}`;
  const sorted = [...records].sort((a, b) => (order(a) < order(b) ? -1 : order(a) > order(b) ? 1 : 0));
  return `${[...head, ...sorted.map(presentRecord)].join('\n')}\n`;
}
