// domain.record, domain.record.edit, domain.record.delete: a master zone's records, as DNSmanager's clients manage
// them (certificate tools' TXT records, billing panels' A and MX). The database is the source of truth; each change
// reaches the name server as one signed DNS UPDATE of that zone alone, and is undone here if the name server refuses it.
import { NotFoundError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { Actor } from '../model/access';
import { Level } from '../model/level';
import { coexistenceProblem, parseRecord, parseRecordKey, presentData, recordKey, recordValue } from '../model/record';
import type { DnsRecord, RecordInput } from '../model/record';
import { parseZoneName } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import type { RecordOp } from '../dns/backend';
import type { Doc } from '../protocol/types';
import type { App } from '../app';
import { writeTx } from '../store/db';
import type { Db } from '../store/db';
import { addRecords, deleteRecordsByKey, markSent, markUnsent, recordPage, restoreRecords, recordsByKey, recordsNamed, releaseUnsent, setRrsetTtl } from '../store/records';
import { applyListQuery } from './lists';
import { newClaim } from '../app';
import type { Zone } from '../store/zones';
import { getNamespace } from '../store/namespaces';
import { placeOf } from '../sync/place';
import { getDnsSettings } from '../store/dns-settings';
import { defineFunc, isSubmit, optional } from './registry';
import { oneVisibleZone } from './scope';

const RECORD_COLUMNS = ['rkey', 'name', 'ttl', 'rtype', 'value', 'info'] as const;

/** The zone a record function works on: `plid`, or `elid` (the record list as clients call it). */
function zoneParam(raw: Readonly<Record<string, string>>, fallbackToElid: boolean): ZoneName {
  const plid = optional(raw, 'plid');
  if (plid === undefined && fallbackToElid && optional(raw, 'elid') !== undefined) return parseZoneName(raw.elid ?? '', 'elid');
  return parseZoneName(plid ?? '', 'plid');
}

/** The caller's master zone of that name, present (not being deleted). */
function masterZone(db: Db, actor: Actor, name: ZoneName): Zone {
  const zone = oneVisibleZone(db, actor, name, undefined);
  if (zone.pending === 'delete') throw new NotFoundError('domain', name);
  if (zone.dtype !== 'master') throw new ValidationError({ param: 'plid', value: name, reason: msg`'${name}' is a slave zone: its records come from its masters` });
  return zone;
}

function recordRow(r: DnsRecord): Record<string, string> {
  return { rkey: recordKey(r), name: `${r.name}.`, ttl: String(r.ttl), rtype: r.data.type, value: recordValue(r.data), info: presentData(r.data) };
}

export const domainRecordList = defineFunc({
  name: 'domain.record',
  kind: 'list',
  minLevel: Level.user,
  desc: msg`A master zone's records (plid=<zone>, or elid=<zone>); each row's key rkey is '<fqdn>. <TYPE>  <value>'`,
  params: [{ name: 'plid', desc: msg`the zone`, required: true }],
  columns: RECORD_COLUMNS,
  mutates: false,
  // Without a filter, sorted and paged by SQLite (a zone may have tens of thousands of records); a filter goes through
  // every record as other lists do.
  pagesItself: true,
  parse: (raw) => ({ zone: zoneParam(raw, true) }),
  async run({ app, actor, list }, p): Promise<Doc> {
    const zone = masterZone(app.db, actor, p.zone);
    if (list?.filter === undefined) {
      const page = list?.page;
      const { records, total } = recordPage(app.db, zone.id, list?.sort, page === undefined ? { offset: 0, limit: -1 } : { offset: (page.num - 1) * page.cnt, limit: page.cnt });
      const rows = records.map(recordRow);
      return page === undefined ? { kind: 'list', rows } : { kind: 'list', rows, page: { num: page.num, cnt: page.cnt, elems: total } };
    }
    return applyListQuery(recordPage(app.db, zone.id, undefined, { offset: 0, limit: -1 }).records.map(recordRow), list);
  },
});

type EditParams =
  | { submit: false; zone: ZoneName; elid?: string }
  | { submit: true; zone: ZoneName; elid?: string; input: RecordInput };

const INPUT_FIELDS = ['name', 'rtype', 'ttl', 'value', 'ip', 'domain', 'priority', 'weight', 'port', 'srvdomain', 'email'] as const;

export const domainRecordEdit = defineFunc<EditParams>({
  name: 'domain.record.edit',
  kind: 'form',
  minLevel: Level.user,
  desc: msg`Add a record to a master zone (plid=<zone>), or change one (elid=<rkey>); without sok=ok returns the form values`,
  params: [
    // The panel passes the list's zone itself: not a field of the form.
    { name: 'plid', desc: msg`the zone` },
    { name: 'elid', desc: msg`the record being changed (its rkey); empty to add one` },
    { name: 'name', desc: msg`the record's name: absolute with a trailing dot, or relative to the zone (@ or empty: the zone itself)` },
    { name: 'rtype', desc: msg`A, AAAA, CNAME, MX, NS, TXT, SRV, PTR or CAA, in any case`, required: true },
    { name: 'ttl', desc: msg`seconds, 1 to 604800 (default 3600)` },
    { name: 'value', desc: msg`the data: an address, a host name, the text (TXT), flags tag value (CAA)` },
    { name: 'ip', desc: msg`A, AAAA: the address (instead of value)` },
    { name: 'domain', desc: msg`CNAME, NS, PTR, MX: the host name (instead of value)` },
    { name: 'priority', desc: msg`MX, SRV: priority` },
    { name: 'weight', desc: msg`SRV: weight` },
    { name: 'port', desc: msg`SRV: port` },
    { name: 'srvdomain', desc: msg`SRV: the target host` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  mutates: true,
  parse(raw) {
    const zone = zoneParam(raw, false);
    const elid = optional(raw, 'elid');
    if (!isSubmit(raw)) return { submit: false, zone, elid };
    const input: RecordInput = {};
    for (const f of INPUT_FIELDS) if (raw[f] !== undefined) input[f] = raw[f];
    return { submit: true, zone, elid, input };
  },
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const zone = masterZone(db, actor, p.zone);
    const edited = p.elid === undefined ? undefined : oneRecord(db, zone, p.elid);
    if (!p.submit) {
      if (edited === undefined) return { kind: 'form', fields: { plid: zone.name, name: '', rtype: 'A', ttl: String(getDnsSettings(db, zone.namespaceId).ttl), value: '' } };
      return { kind: 'form', fields: { plid: zone.name, elid: recordKey(edited), ...recordRow(edited) } };
    }
    // A record sent without a TTL takes its namespace's default (dnsparam).
    const record = parseRecord(zone.name, p.input, getDnsSettings(db, zone.namespaceId).ttl);
    // A record added again (a certificate tool retrying) is that record: unchanged, or given the TTL asked for.
    const old = edited ?? recordsByKey(db, zone.id, [recordKey(record)])[0];
    if (old !== undefined && recordKey(old) === recordKey(record) && old.ttl === record.ttl) return { kind: 'ok' };
    // The new record goes in before the old one goes: named ignores the deletion of a zone's last NS, so an apex NS
    // replaced the other way round would stay in named beside the new one. (The same key: its TTL changes, delete first.)
    const ops: RecordOp[] = old === undefined ? [{ op: 'add', record }]
      : recordKey(old) === recordKey(record) ? [{ op: 'delete', record: old }, { op: 'add', record }]
        : [{ op: 'add', record }, { op: 'delete', record: old }];
    // The name server gives a record set one TTL: the others of the name and type take the new one, as there.
    const claim = newClaim();
    const before = writeTx(db, () => {
      // Read again here: another request may have changed or deleted it since.
      if (old !== undefined && recordsByKey(db, zone.id, [recordKey(old)]).length === 0) throw new NotFoundError('record', recordKey(old));
      const sameName = recordsNamed(db, zone.id, record.name).filter((r) => old === undefined || recordKey(r) !== recordKey(old));
      const problem = coexistenceProblem(sameName, record);
      if (problem !== undefined) throw new ValidationError({ param: 'name', value: p.input.name ?? '', reason: problem });
      if (old !== undefined) refuseLastApexNs(db, zone, [old], [record], 'elid');
      const rrset = sameName.filter((r) => r.data.type === record.data.type);
      if (old !== undefined) deleteRecordsByKey(db, zone.id, [recordKey(old)]);
      addRecords(db, zone.id, [record]);
      setRrsetTtl(db, zone.id, record.name, record.data.type, record.ttl);
      markUnsent(db, zone.id, claim);
      return rrset;
    });
    await sendOrUndo(app, zone, claim, ops, () => {
      deleteRecordsByKey(db, zone.id, [recordKey(record)]);
      for (const r of before) setRrsetTtl(db, zone.id, r.name, r.data.type, r.ttl);
      if (old !== undefined) restoreRecords(db, zone.id, [old]);
    });
    return { kind: 'ok' };
  },
});

export const domainRecordDelete = defineFunc({
  name: 'domain.record.delete',
  kind: 'action',
  minLevel: Level.user,
  desc: msg`Delete records of a master zone (plid=<zone>, elid=<rkey>[, <rkey>…]); a record the zone does not have is not an error`,
  params: [
    { name: 'plid', desc: msg`the zone`, required: true },
    { name: 'elid', desc: msg`the records' keys, separated by ", "`, required: true },
  ],
  mutates: true,
  parse: (raw) => ({ zone: zoneParam(raw, false), keys: parseRecordKeys(raw.elid ?? '') }),
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const zone = masterZone(db, actor, p.zone);
    const claim = newClaim();
    const gone = writeTx(db, () => {
      const found = recordsOfKeys(db, zone.id, p.keys);
      refuseLastApexNs(db, zone, found, [], 'elid');
      deleteRecordsByKey(db, zone.id, found.map(recordKey));
      if (found.length > 0) markUnsent(db, zone.id, claim);
      return found;
    });
    if (gone.length > 0) await sendOrUndo(app, zone, claim, gone.map((record) => ({ op: 'delete', record })), () => restoreRecords(db, zone.id, gone));
    return { kind: 'ok', rows: gone.map((r) => ({ deleted: recordKey(r) })) };
  },
});

/**
 * The change, made in the database already (marked unsent under `claim`), to the name server as one UPDATE; refused or
 * not delivered, the database is put back (`undo`, in one transaction) and the error thrown: the request changed
 * nothing. An answer lost on the way may hide an applied change: the mark stays, released, for the next request to
 * read the zone back (recoverUnsentRecords), as after a kill.
 */
async function sendOrUndo(app: App, zone: Zone, claim: string, ops: readonly RecordOp[], undo: () => void): Promise<void> {
  const ns = getNamespace(app.db, zone.namespaceId);
  try {
    if (ns === undefined) throw new NotFoundError('domain', zone.name);
    await app.backend.updateRecords(zone.appliedView ?? placeOf(ns).view, zone.name, ops);
  } catch (err) {
    writeTx(app.db, () => {
      undo();
      releaseUnsent(app.db, zone.id, claim);
    });
    throw err;
  }
  writeTx(app.db, () => markSent(app.db, zone.id, [claim]));
}

/**
 * A zone keeps at least one NS at its apex: named ignores deleting the last one and PowerDNS takes it, so the two would
 * differ, and a zone made again from the database without one does not load.
 */
function refuseLastApexNs(db: Db, zone: Zone, removed: readonly DnsRecord[], added: readonly DnsRecord[], param: string): void {
  const apexNs = (r: DnsRecord): boolean => r.name === zone.name && r.data.type === 'NS';
  if (!removed.some(apexNs) || added.some(apexNs)) return;
  const gone = new Set(removed.map(recordKey));
  if (recordsNamed(db, zone.id, zone.name).some((r) => apexNs(r) && !gone.has(recordKey(r)))) return;
  throw new ValidationError({ param, value: removed.filter(apexNs).map(recordKey).join(', '), reason: msg`a zone keeps at least one name server (NS) at its apex: add the new one first` });
}

/** The zone's record under this key, as a client sends it back; NotFoundError when the zone has none. */
function oneRecord(db: Db, zone: Zone, raw: string): DnsRecord {
  const [key] = parseRecordKeys(raw);
  const found = key === undefined ? undefined : recordsOfKeys(db, zone.id, [key])[0];
  if (found === undefined) throw new NotFoundError('record', raw);
  return found;
}

/** For each key (its readings, most literal first), the record under the first reading the zone has. */
function recordsOfKeys(db: Db, zoneId: number, keys: readonly (readonly string[])[]): DnsRecord[] {
  const found = keys.flatMap((readings) => readings.map((k) => recordsByKey(db, zoneId, [k])[0]).find((r) => r !== undefined) ?? []);
  return [...new Map(found.map((r) => [recordKey(r), r])).values()];
}

/**
 * Record keys as the panel's multi-selection joins them (", "), each in DNSmanager's form: a TXT value may hold ", "
 * itself, so a key ends only where the next one starts (`<name>. <TYPE>  `). Each key comes with its readings, most
 * literal first, normalised as stored (the name lowercase, the type in capitals): the value as sent (a TXT value may end
 * in a space), without the spaces a client may have added around it, and a TXT value without the quotes clients add.
 */
export function parseRecordKeys(raw: string): string[][] {
  if (raw.trim() === '') throw new ValidationError({ param: 'elid', value: raw, reason: msg`is required` });
  const parts = raw.split(/, (?=\S+\. [A-Za-z]+ {2})/);
  const bad = parts.filter((k) => parseRecordKey(k) === undefined);
  if (bad.length > 0) throw new ValidationError(bad.map((k) => ({ param: 'elid', value: k, reason: msg`expected a record key '<name>. <TYPE>  <value>'` })));
  const keys = parts.map((k) => {
    const { name, type, value, exact } = parseRecordKey(k) as { name: string; type: string; value: string; exact: string };
    const unquoted = type === 'TXT' && /^".*"$/s.test(value) ? [value.slice(1, -1)] : [];
    return [...new Set([exact, value, ...unquoted])].map((v) => `${name}. ${type}  ${v}`);
  });
  return [...new Map(keys.map((readings) => [readings.join('\n'), readings])).values()];
}
