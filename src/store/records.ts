// A master zone's records (issue 12): the source of truth its name server is brought in line with, one row per record
// under DNSmanager's record key, and its SOA's own values. Records were checked (model/record) before they were
// stored: read back, they are trusted here, the one place that may.
import type { DnsRecord, RecordData } from '../model/record';
import { presentData, recordKey } from '../model/record';
import { sqlListOrder } from '../model/list-order';
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
import type { Db } from './db';
import { now } from './db';

export interface ZoneSoa {
  /** The primary name server, absolute without the trailing dot. */
  mname: string;
  email: string;
  serial: number;
  /** Signed with the name server's automatic DNSSEC policy. */
  dnssec: boolean;
  /** It was signed once (its signing, when off, is being taken away). */
  signedBefore?: boolean;
}

interface Row { name: string; ttl: number; data: string }

const toRecord = (r: Row): DnsRecord => ({ name: r.name, ttl: r.ttl, data: JSON.parse(r.data) as RecordData });

/** The zone's records, by name and key. */
export function zoneRecords(db: Db, zoneId: number): DnsRecord[] {
  return (db.prepare('SELECT name, ttl, data FROM zone_record WHERE zone_id = ? ORDER BY name, rkey').all(zoneId) as Row[]).map(toRecord);
}

/** The records of one name (for the coexistence rules of a record joining it). */
export function recordsNamed(db: Db, zoneId: number, name: string): DnsRecord[] {
  return (db.prepare('SELECT name, ttl, data FROM zone_record WHERE zone_id = ? AND name = ? ORDER BY rkey').all(zoneId, name) as Row[]).map(toRecord);
}

/**
 * A record's row as stored: zone, name, type, TTL, data, key, and the data as the list shows it when that is not the
 * value (a TXT record's quoted strings; NULL for the others).
 */
function recordColumns(zoneId: number, r: DnsRecord): [number, string, string, number, string, string, string | null] {
  return [zoneId, r.name, r.data.type, r.ttl, JSON.stringify(r.data), recordKey(r), r.data.type === 'TXT' ? presentData(r.data) : null];
}

/** Adds records, all or none: false (nothing added) when one of them is there already, under its key. */
export function addRecords(db: Db, zoneId: number, records: readonly DnsRecord[]): boolean {
  const insert = db.prepare('INSERT OR IGNORE INTO zone_record (zone_id, name, type, ttl, data, rkey, info) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const duplicate = new Error('duplicate record');
  try {
    db.transaction(() => {
      for (const r of records) {
        if (insert.run(...recordColumns(zoneId, r)).changes === 0) throw duplicate;
      }
    }).default();
    return true;
  } catch (err) {
    if (err === duplicate) return false;
    throw err;
  }
}

/** Puts records back one by one (an undo): one another request has added again meanwhile stays as it is. */
export function restoreRecords(db: Db, zoneId: number, records: readonly DnsRecord[]): void {
  const insert = db.prepare('INSERT OR IGNORE INTO zone_record (zone_id, name, type, ttl, data, rkey, info) VALUES (?, ?, ?, ?, ?, ?, ?)');
  for (const r of records) insert.run(...recordColumns(zoneId, r));
}

/** The records under these keys, as stored (those there are). */
export function recordsByKey(db: Db, zoneId: number, rkeys: readonly string[]): DnsRecord[] {
  const get = db.prepare('SELECT name, ttl, data FROM zone_record WHERE zone_id = ? AND rkey = ?');
  return rkeys.flatMap((k) => { const row = get.get(zoneId, k) as Row | undefined; return row ? [toRecord(row)] : []; });
}

/** Deletes the records under these keys; how many there were. */
export function deleteRecordsByKey(db: Db, zoneId: number, rkeys: readonly string[]): number {
  const del = db.prepare('DELETE FROM zone_record WHERE zone_id = ? AND rkey = ?');
  return db.transaction(() => rkeys.reduce((n, k) => n + del.run(zoneId, k).changes, 0)).default();
}

export function setZoneSoa(db: Db, zoneId: number, soa: ZoneSoa): void {
  // dnssec: 0 never signed, 1 signed, 2 signed once and no more.
  const dnssec = soa.dnssec ? 1 : soa.signedBefore === true ? 2 : 0;
  db.prepare(`INSERT INTO zone_soa (zone_id, mname, email, serial, dnssec) VALUES (?, ?, ?, ?, ?)
      ON CONFLICT(zone_id) DO UPDATE SET mname = excluded.mname, email = excluded.email, serial = excluded.serial, dnssec = excluded.dnssec`)
    .run(zoneId, soa.mname, soa.email, soa.serial, dnssec);
}

export function getZoneSoa(db: Db, zoneId: number): ZoneSoa | undefined {
  const row = db.prepare('SELECT mname, email, serial, dnssec FROM zone_soa WHERE zone_id = ?').get(zoneId) as (Omit<ZoneSoa, 'dnssec'> & { dnssec: number }) | undefined;
  return row && { ...row, dnssec: row.dnssec === 1, ...(row.dnssec === 2 ? { signedBefore: true } : {}) };
}

/** Every record of the name and type gets this TTL (a name server keeps one per record set). */
export function setRrsetTtl(db: Db, zoneId: number, name: string, type: RecordData['type'], ttl: number): void {
  db.prepare('UPDATE zone_record SET ttl = ? WHERE zone_id = ? AND name = ? AND type = ? AND ttl <> ?').run(ttl, zoneId, name, type, ttl);
}

/**
 * The record list's columns as SQL over zone_record, to sort by: what the list shows (`name` with its trailing dot).
 * The value is the end of the key (`<name>. <TYPE>  <value>`: names and types are ASCII, so its characters start at
 * their lengths plus five); the data is the value but for a TXT record (its quoted strings, kept in `info`).
 */
const VALUE = 'substr(rkey, length(name) + length(type) + 5)';
const RECORD_ORDER: Readonly<Record<string, string>> = { name: "name || '.'", rkey: 'rkey', rtype: 'type', ttl: 'ttl', value: VALUE, info: `coalesce(info, ${VALUE})` };

/**
 * One page of a zone's records (limit -1: all of them) in the list's order — by name, then key; sorted by a column as
 * every list sorts (model/list-order), ties keep that order — and how many records the zone has.
 */
export function recordPage(db: Db, zoneId: number, sort: { column: string; desc: boolean } | undefined, page: { offset: number; limit: number }): { records: DnsRecord[]; total: number } {
  const by = sort === undefined ? '' : `${sqlListOrder(recordColumn(sort.column), sort.desc)}, `;
  const records = (db.prepare(`SELECT name, ttl, data FROM zone_record WHERE zone_id = ? ORDER BY ${by}name || '.', rkey LIMIT ? OFFSET ?`)
    .all(zoneId, page.limit, page.offset) as Row[]).map(toRecord);
  const total = db.prepare('SELECT count(*) FROM zone_record WHERE zone_id = ?').pluck().get(zoneId) as number;
  return { records, total };
}

function recordColumn(column: string): string {
  const sql = Object.hasOwn(RECORD_ORDER, column) ? RECORD_ORDER[column] : undefined;
  if (sql === undefined) throw new InternalError(msg`not a column of the record list: ${column}`);
  return sql;
}

/** A record change of a master zone committed here and not yet seen applied by the name server: whose (its claim). */
export interface UnsentChange {
  zoneId: number;
  claim: string;
  claimedAt: number;
}

/**
 * The request (`claim`) changed the zone's records here and is sending the change: written in the change's own
 * transaction, so that a request killed before the name server applied it leaves this behind (recoverUnsentRecords).
 */
export function markUnsent(db: Db, zoneId: number, claim: string): void {
  db.prepare('INSERT OR REPLACE INTO zone_record_unsent (zone_id, claim, claimed_at) VALUES (?, ?, ?)').run(zoneId, claim, now());
}

/** The name server has the changes of these claims (applied, or read back and put right). */
export function markSent(db: Db, zoneId: number, claims: readonly string[]): void {
  const del = db.prepare('DELETE FROM zone_record_unsent WHERE zone_id = ? AND claim = ?');
  for (const c of claims) del.run(zoneId, c);
}

/**
 * The request gave up sending its change (the name server refused it or did not answer): whatever became of it, its
 * claim is no longer held, so that the next request reads the zone back and puts it right.
 */
export function releaseUnsent(db: Db, zoneId: number, claim: string): void {
  db.prepare('UPDATE zone_record_unsent SET claimed_at = 0 WHERE zone_id = ? AND claim = ?').run(zoneId, claim);
}

/** Whether any change is unsent: the one query every changing request pays when there is none. */
export function hasUnsentChanges(db: Db): boolean {
  return db.prepare('SELECT 1 FROM zone_record_unsent LIMIT 1').get() !== undefined;
}

/** The unsent changes of one zone, or of every zone. */
export function unsentChanges(db: Db, zoneId?: number): UnsentChange[] {
  const sql = 'SELECT zone_id AS zoneId, claim, claimed_at AS claimedAt FROM zone_record_unsent';
  return (zoneId === undefined ? db.prepare(`${sql} ORDER BY zone_id`).all() : db.prepare(`${sql} WHERE zone_id = ?`).all(zoneId)) as UnsentChange[];
}
