// A master zone's records as PowerDNS's HTTP API holds them (issue 12): record sets (`rrsets`) of one name and type,
// one TTL, each record's data in presentation format (`content`). Converted both ways, and a batch of RecordOps turned
// into the PATCH that gives each record set it touches its whole new content (PowerDNS 4.7 replaces record sets; it
// cannot add or take away one record). Pure: nothing here talks to PowerDNS.
import { checkIpAddress } from '../../model/address';
import { presentData, RECORD_TYPES, recordKey } from '../../model/record';
import type { DnsRecord, RecordData, RecordType } from '../../model/record';
import type { RecordOp } from '../backend';

/** One record set as the API answers it (GET /zones/<zone>). */
export interface Rrset {
  /** Absolute, with its trailing dot. */
  name: string;
  type: string;
  ttl: number;
  records: { content: string; disabled: boolean }[];
}

/** One record set of a PATCH: replaced by these records, or deleted. */
export type RrsetChange =
  | { name: string; type: string; changetype: 'REPLACE'; ttl: number; records: { content: string; disabled: false }[] }
  | { name: string; type: string; changetype: 'DELETE' };

/** The record's data as the API's `content`: zone-file presentation, names absolute, TXT as quoted strings. */
export function recordContent(d: RecordData): string {
  return presentData(d);
}

/**
 * The records of these record sets that dnsmgr's records can be: served ones (not disabled) of its types. The SOA and
 * DNSSEC records are left out, as is anything of a type dnsmgr never writes.
 */
export function rrsetsToRecords(rrsets: readonly Rrset[]): DnsRecord[] {
  const out: DnsRecord[] = [];
  for (const set of rrsets) {
    const type = RECORD_TYPES.find((t) => t === set.type.toUpperCase());
    if (type === undefined) continue;
    const name = ownerOf(set.name);
    for (const r of set.records) {
      if (r.disabled) continue;
      const data = parseContent(type, r.content);
      if (data !== undefined) out.push({ name, ttl: set.ttl, data });
    }
  }
  return out;
}

/**
 * The PATCH that applies `ops` in order to the record sets they touch, as `current` holds them now (only those sets
 * are read): each changed set is sent whole, one emptied is deleted, one left as it was is not sent. An added record
 * gives its whole set its TTL, as a DNS UPDATE does under BIND; adding a record the set has, or deleting one it lacks,
 * changes nothing. A record whose content is not understood is kept as it is.
 */
export function rrsetPatch(current: readonly Rrset[], ops: readonly RecordOp[]): RrsetChange[] {
  interface Working { name: string; type: RecordType; ttl: number; before: string; ttlBefore: number; records: Map<string, string> }
  const sets = new Map<string, Working>();
  const setOf = (owner: string, type: RecordType): Working => {
    const id = setId(owner, type);
    let set = sets.get(id);
    if (set === undefined) {
      const held = current.find((s) => setId(ownerOf(s.name), s.type.toUpperCase()) === id);
      // Keyed by dnsmgr's record key, or by the content itself when it does not parse.
      const records = new Map<string, string>();
      for (const r of held?.records ?? []) {
        if (r.disabled) continue;
        const data = parseContent(type, r.content);
        records.set(data === undefined ? `\u0000${r.content}` : recordKey({ name: owner, ttl: 0, data }), data === undefined ? r.content : recordContent(data));
      }
      const ttl = held?.ttl ?? 0;
      set = { name: owner, type, ttl, ttlBefore: ttl, records, before: [...records.values()].sort().join('\n') };
      sets.set(id, set);
    }
    return set;
  };
  let primary: RrsetChange | undefined;
  for (const op of ops) {
    if (op.op === 'primary') {
      primary = primaryChange(current, op.zone, op.mname) ?? primary;
      continue;
    }
    if (op.op === 'delete-rrset') {
      setOf(op.name, op.type).records.clear();
      continue;
    }
    const set = setOf(op.record.name, op.record.data.type);
    const key = recordKey({ ...op.record, ttl: 0 });
    if (op.op === 'delete') {
      set.records.delete(key);
    } else {
      set.records.set(key, recordContent(op.record.data));
      set.ttl = op.record.ttl;
    }
  }
  const changes: RrsetChange[] = [];
  for (const set of sets.values()) {
    const contents = [...set.records.values()].sort();
    const name = `${set.name}.`;
    if (contents.length === 0) {
      if (set.before !== '') changes.push({ name, type: set.type, changetype: 'DELETE' });
    } else if (contents.join('\n') !== set.before || set.ttl !== set.ttlBefore) {
      changes.push({ name, type: set.type, changetype: 'REPLACE', ttl: set.ttl, records: contents.map((content) => ({ content, disabled: false })) });
    }
  }
  return primary === undefined ? changes : [...changes, primary];
}

/**
 * The zone's SOA as `current` holds it with another primary (MNAME), the rest as it is: PowerDNS advances the serial
 * of an SOA sent through the API itself (SOA-EDIT-API INCREASE). Undefined when the SOA names that primary already,
 * or is not among the record sets read.
 */
function primaryChange(current: readonly Rrset[], zone: string, mname: string): RrsetChange | undefined {
  const soa = current.find((s) => s.type.toUpperCase() === 'SOA' && ownerOf(s.name) === ownerOf(zone));
  const content = soa?.records.find((r) => !r.disabled)?.content;
  if (soa === undefined || content === undefined) return undefined;
  const [served, ...rest] = content.trim().split(/\s+/);
  if (served === undefined || ownerOf(served) === ownerOf(mname)) return undefined;
  return { name: soa.name, type: 'SOA', changetype: 'REPLACE', ttl: soa.ttl, records: [{ content: [`${ownerOf(mname)}.`, ...rest].join(' '), disabled: false }] };
}

/** The primary name server the zone's SOA names, as dnsmgr keeps names; undefined without an SOA among the sets. */
export function primaryOfRrsets(rrsets: readonly Rrset[]): string | undefined {
  const content = rrsets.find((s) => s.type.toUpperCase() === 'SOA')?.records.find((r) => !r.disabled)?.content;
  const served = content?.trim().split(/\s+/)[0];
  return served === undefined || served === '' ? undefined : ownerOf(served);
}

/** The record sets (owner, type) these ops touch, for reading just those first: the SOA for a new primary. */
export function touchedRrsets(ops: readonly RecordOp[]): { name: string; type: RecordType | 'SOA' }[] {
  const seen = new Map<string, { name: string; type: RecordType | 'SOA' }>();
  for (const op of ops) {
    const [name, type] = op.op === 'primary' ? [op.zone, 'SOA' as const] : op.op === 'delete-rrset' ? [op.name, op.type] : [op.record.name, op.record.data.type];
    seen.set(setId(name, type), { name, type });
  }
  return [...seen.values()];
}

function setId(owner: string, type: string): string {
  return `${owner}\u0000${type}`;
}

/** An owner or target as dnsmgr keeps names: lowercase, without the trailing dot. */
function ownerOf(name: string): string {
  return name.replace(/\.$/, '').toLowerCase();
}

/** A name in record data: absolute (PowerDNS writes them with their dot); the root stays '.'. */
function targetOf(text: string): string | undefined {
  if (text === '.') return '.';
  return text.endsWith('.') && text.length > 1 ? ownerOf(text) : undefined;
}

/** A record's `content` as dnsmgr's data; undefined when it is not what PowerDNS writes for that type. */
export function parseContent(type: RecordType, content: string): RecordData | undefined {
  const text = content.trim();
  const fields = text.split(/\s+/);
  const int = (s: string | undefined, max: number): number | undefined => (s !== undefined && /^[0-9]{1,5}$/.test(s) && Number(s) <= max ? Number(s) : undefined);
  switch (type) {
    case 'A':
    case 'AAAA': {
      const checked = checkIpAddress(text);
      return checked.ok && (type === 'A') === !checked.value.includes(':') ? { type, address: checked.value } : undefined;
    }
    case 'CNAME':
    case 'NS':
    case 'PTR': {
      const target = fields.length === 1 ? targetOf(text) : undefined;
      return target === undefined || target === '.' ? undefined : { type, target };
    }
    case 'MX': {
      const priority = int(fields[0], 65535);
      const exchange = fields.length === 2 ? targetOf(fields[1] as string) : undefined;
      return priority === undefined || exchange === undefined ? undefined : { type, priority, exchange };
    }
    case 'SRV': {
      const [priority, weight, port] = [int(fields[0], 65535), int(fields[1], 65535), int(fields[2], 65535)];
      const target = fields.length === 4 ? targetOf(fields[3] as string) : undefined;
      return priority === undefined || weight === undefined || port === undefined || target === undefined ? undefined : { type, priority, weight, port, target };
    }
    case 'TXT': {
      const strings = quotedStrings(text);
      return strings === undefined ? undefined : { type, text: strings.join('') };
    }
    case 'CAA': {
      const m = /^([0-9]{1,3})\s+([A-Za-z0-9]+)\s+(".*")$/s.exec(text);
      const tag = (['issue', 'issuewild', 'iodef'] as const).find((t) => t === m?.[2]?.toLowerCase());
      const value = m === null ? undefined : quotedStrings(m[3] as string);
      return m === null || tag === undefined || value === undefined || value.length !== 1 || Number(m[1]) > 255 ? undefined : { type, flags: Number(m[1]), tag, value: value[0] as string };
    }
  }
}

/**
 * Quoted character strings as PowerDNS writes them (`"a" "b"`): `\"` and `\\` escaped, other bytes as themselves or as
 * `\DDD` (decimal); each string's bytes read as UTF-8. Undefined when the text is not such a list.
 */
export function quotedStrings(text: string): string[] | undefined {
  const out: string[] = [];
  let i = 0;
  const skipSpace = (): void => {
    while (i < text.length && /\s/.test(text[i] as string)) i++;
  };
  skipSpace();
  if (i >= text.length) return undefined;
  while (i < text.length) {
    if (text[i] !== '"') return undefined;
    i++;
    const bytes: number[] = [];
    for (;;) {
      if (i >= text.length) return undefined;
      const ch = text[i] as string;
      if (ch === '"') {
        i++;
        break;
      }
      if (ch === '\\') {
        const digits = /^[0-9]{3}/.exec(text.slice(i + 1, i + 4))?.[0];
        if (digits !== undefined && Number(digits) <= 255) {
          bytes.push(Number(digits));
          i += 4;
          continue;
        }
        if (i + 1 >= text.length) return undefined;
        i++;
      }
      const cp = text.codePointAt(i) as number;
      const c = String.fromCodePoint(cp);
      bytes.push(...Buffer.from(c, 'utf8'));
      i += c.length;
    }
    out.push(Buffer.from(bytes).toString('utf8'));
    const before = i;
    skipSpace();
    if (i < text.length && i === before) return undefined;
  }
  return out;
}
