// The `domain` list as SQLite computes it: filtered, sorted, paged or streamed, never a scan made of objects.
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
import { readOnce, type Db } from './db';
import { zoneCount } from './accounts';

/** A zone as the `domain` list shows it: every value already text. */
export type ZoneListing = {
  name: string;
  owner: string;
  dtype: string;
  masterip: string;
  /** A change on its way to named first (adding, updating, deleting, resuming), then suspended, then the health status. */
  status: string;
  reason: string;
  serial: string;
  /** The last successful transfer or refresh, "YYYY-MM-DD HH:MM:SS" UTC, or ''. */
  updated: string;
};

/** What of the `domain` list is asked: whose zones (undefined: everyone's), which rows, in which order. */
export interface ListingQuery {
  ownerIds?: readonly number[];
  filters?: readonly ListingFilter[];
  /** Default: by name, ascending. */
  sort?: { column: string; desc: boolean };
}

/** A condition of the domain list's filter: the value is already lowercased as SQLite's lower() does (ASCII only). */
export interface ListingFilter {
  column: string;
  value: string;
  exact: boolean;
}

/** The columns of ZoneListing, the only names a filter or a sort may put into the query. */
export const LISTING_COLUMNS: readonly string[] = ['name', 'owner', 'dtype', 'masterip', 'status', 'reason', 'serial', 'updated'];

type Join = 'account' | 'health';

/**
 * A column as SQLite computes it from zone z, account a and zone_health h, the join it needs, and the key it sorts by
 * when that is not the value shown: at 100,000 zones every object and string made per row in JavaScript shows in the
 * time of the request, and so does every join and expression SQLite computes for a row no page shows.
 */
interface Column {
  sql: string;
  join?: Join;
  /** What it sorts by, on zone alone and indexed with the name (migration 10): a page is a walk along that index. */
  key?: string;
}

const COLUMNS: Readonly<Record<string, Column>> = {
  name: { sql: 'z.name' },
  owner: { sql: 'a.name', join: 'account' },
  // Indexed with the name (migration 10), as are name and status: sorted along their indexes.
  dtype: { sql: 'z.dtype' },
  // Sorted as stored, which is the order shown: ', ' for ',' keeps it (where two lists first differ, their shown forms
  // first differ too, by the same two bytes).
  masterip: { sql: "replace(z.masters, ',', ', ')", key: 'z.masters' },
  // Kept by triggers (migration 7) and indexed with the name: a change on its way to named first (adding, updating,
  // deleting, resuming), then suspended, then the health status.
  status: { sql: 'z.list_status' },
  // Health's, sorted by the keys each zone keeps of them (migration 10): the reason keyword, serial as the number it
  // is, updated as the time it shows (its whole seconds; '' and 0 first, as '' sorts before any date).
  reason: { sql: "coalesce(h.reason, '')", join: 'health', key: 'z.list_reason' },
  serial: { sql: "coalesce(CAST(h.serial AS TEXT), '')", join: 'health', key: 'z.list_serial' },
  updated: { sql: "CASE WHEN h.last_ok_at > 0 THEN strftime('%Y-%m-%d %H:%M:%S', h.last_ok_at, 'unixepoch') ELSE '' END", join: 'health', key: 'z.list_updated' },
};
const JOINS: Readonly<Record<Join, string>> = {
  account: 'JOIN account a ON a.id = z.owner_id',
  health: 'LEFT JOIN zone_health h ON h.zone_id = z.id',
};
/** Every column as shown, after z.id (zid): what the rows of a page or a batch are read with. */
const SHOWN = `z.id AS zid, ${LISTING_COLUMNS.map((c) => `${column(c).sql} AS ${c}`).join(', ')}`;
const NAME_ORDER = { column: 'name', desc: false };

function column(name: string): Column {
  const c = Object.hasOwn(COLUMNS, name) ? COLUMNS[name] : undefined;
  if (c === undefined) throw new InternalError(msg`not a column of the domain list: ${name}`);
  return c;
}

/** What a column sorts by: its key, or the value shown. */
function sortKey(name: string): string {
  const c = column(name);
  return c.key ?? c.sql;
}

/** The columns whose shown values an order reads: its own, unless it sorts by a key kept on zone (then no join). */
function readsOf(sort: { column: string }): string[] {
  return column(sort.column).key === undefined ? [sort.column] : [];
}

/**
 * The zones a query keeps, joined only to what its filter and its order read: `FROM … WHERE …` and the values.
 * `scan` says how zone is to be read when the owners do not narrow it: along the name index (a batch taking up where
 * the last one ended), or the table itself (a filter keeping few rows: SQLite, knowing no sizes, would otherwise walk
 * the order's index, a lookup per zone).
 */
function narrowed(q: ListingQuery, reads: readonly string[], scan: Scan): { from: string; where: string[]; values: Record<string, string | number> } {
  const values: Record<string, string | number> = {};
  const where: string[] = [];
  const joins = new Set<Join>();
  if (q.ownerIds !== undefined) {
    where.push('z.owner_id IN (SELECT value FROM json_each(@owners))');
    values.owners = JSON.stringify(q.ownerIds);
  }
  // filter=on: the rows as shown, narrowed by SQLite, so 100,000 zones never become objects to find one.
  for (const [i, f] of (q.filters ?? []).entries()) {
    const { sql, join } = column(f.column);
    if (join) joins.add(join);
    values[`f${i}`] = f.value;
    where.push(f.exact ? `lower(${sql}) = @f${i}` : `instr(lower(${sql}), @f${i}) > 0`);
  }
  for (const c of reads) {
    const { join } = column(c);
    if (join) joins.add(join);
  }
  if (scan === 'owner') {
    // The accounts along their name index, each one's zones along zone_owner_name: the owner order with no sort.
    joins.delete('account');
    return { from: ['account a CROSS JOIN zone z ON z.owner_id = a.id', ...[...joins].map((j) => JOINS[j])].join(' '), where, values };
  }
  const hint = scan === 'table' ? ' NOT INDEXED' : scan === 'name' ? ' INDEXED BY zone_name' : '';
  const from = ['zone z' + hint, ...[...joins].map((j) => JOINS[j])].join(' ');
  return { from, where, values };
}

/**
 * How zone is read: as SQLite sees fit, the table itself, along the name index, or account first (owner order).
 */
type Scan = 'any' | 'table' | 'name' | 'owner';

const whereOf = (where: readonly string[]): string => (where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`);

/**
 * The ORDER BY of a sort: its column, then name, then zid, all the same way — zid, the last key, gives a name held by
 * two accounts one place in the list, so pages never overlap. `reversed` turns every key, giving the exact reverse.
 */
function orderBy(sort: { column: string; desc: boolean }, reversed = false): string {
  const dir = sort.desc !== reversed ? 'DESC' : 'ASC';
  return [...new Set([sortKey(sort.column), 'z.name', 'z.id'])].map((k) => `${k} ${dir}`).join(', ');
}

function sortOf(q: ListingQuery): { column: string; desc: boolean } {
  const sort = q.sort ?? NAME_ORDER;
  column(sort.column);
  return sort;
}

/**
 * How zone is read for the `rows` first rows of a query in this order, of `elems` it keeps: by owner, the accounts
 * first; in any other order along the index holding its key and the name, unless a filter reading the zones' rows
 * (not only their names) keeps so few that the walk would look up more than a tenth of the zones one by one (a lookup
 * costs ten rows of a scan): then the table.
 */
function scanFor(q: ListingQuery, sort: { column: string }, rows = 0, elems = 0): Scan {
  if (sort.column === 'owner') return 'owner';
  if (q.ownerIds !== undefined) return 'any';
  const readsRows = (q.filters ?? []).some((f) => f.column !== 'name');
  return readsRows && rows * 10 > elems ? 'table' : 'any';
}

type RawRow = [number, string, string, string, string, string, string, string, string];

/** A row read raw (zid first) as the list shows it: one object of one shape per row, zid left out. */
function listing(r: RawRow): ZoneListing {
  return { name: r[1], owner: r[2], dtype: r[3], masterip: r[4], status: r[5], reason: r[6], serial: r[7], updated: r[8] };
}

/** The whole `domain` list, read at once; a long one is better streamed (streamZoneListing) or paged (zoneListingPage). */
export function listZones(db: Db, ownerIds?: readonly number[], filters: readonly ListingFilter[] = [], sort?: ListingQuery['sort']): ZoneListing[] {
  const q: ListingQuery = { ...(ownerIds === undefined ? {} : { ownerIds }), filters, ...(sort ? { sort } : {}) };
  const order = sortOf(q);
  const { from, where, values } = narrowed(q, LISTING_COLUMNS, scanFor(q, order, Infinity));
  return (db.prepare(`SELECT ${SHOWN} FROM ${from}${whereOf(where)} ORDER BY ${orderBy(order)}`).raw().all(values) as RawRow[]).map(listing);
}

/**
 * How many rows the list has. Unfiltered, the owners' zone counts the database keeps (migration 5: every zone has an
 * owner, counted by triggers in the change's own transaction): counting an index of 100,000 zones read ~1 MB of it
 * into a fresh process, ~1.5 ms of each page. Filtered, a count of an index unless a filter reads a column the index
 * does not hold.
 */
export function countZoneListing(db: Db, q: ListingQuery): number {
  if ((q.filters ?? []).length === 0) {
    return q.ownerIds === undefined ? db.prepare('SELECT coalesce(sum(zones_used), 0) FROM account').pluck().get() as number : zoneCount(db, q.ownerIds);
  }
  const { from, where, values } = narrowed(q, [], 'any');
  return db.prepare(`SELECT count(*) FROM ${from}${whereOf(where)}`).pluck().get(values) as number;
}

/**
 * One page and the number of rows of the whole list, read in one transaction (they agree). The page's zones are found
 * first by the narrowest query there is — zone ids sorted by the order's key alone, through the joins the order and the
 * filter read and no other, an index read for the name order — and from whichever end of the list is nearer, so
 * SQLite keeps at most half the list in its sorter; then only the page's rows get their columns computed. Everyone's
 * zones unfiltered, the ids come from one walk along an index that holds the order's key and the id (each of its pages
 * read once), then a page of rows: read with a page cache of a few pages (readOnce). A filter or an owner set may read
 * the zones' rows in another index's order, a table page many times over: that keeps the whole cache.
 */
export function zoneListingPage(db: Db, q: ListingQuery, offset: number, limit: number): { rows: ZoneListing[]; elems: number } {
  const page = db.transaction(() => {
    const elems = countZoneListing(db, q);
    const end = Math.min(offset + limit, elems);
    if (offset >= end) return { rows: [], elems };
    const sort = sortOf(q);
    const fromEnd = elems - end < offset;
    const { from, where, values } = narrowed(q, readsOf(sort), scanFor(q, sort, fromEnd ? elems - offset : end, elems));
    const ids = db.prepare(`SELECT z.id FROM ${from}${whereOf(where)} ORDER BY ${orderBy(sort, fromEnd)} LIMIT @limit OFFSET @offset`)
      .pluck().all({ ...values, limit: end - offset, offset: fromEnd ? elems - end : offset }) as number[];
    return { rows: rowsOf(db, fromEnd ? ids.reverse() : ids), elems };
  });
  return q.ownerIds === undefined && (q.filters ?? []).length === 0 ? readOnce(db, page) : page();
}

const ROWS_OF = `SELECT ${SHOWN} FROM json_each(?) j CROSS JOIN zone z ON z.id = j.value ${JOINS.account} ${JOINS.health} ORDER BY j.key`;

/** The rows of these zones, in this order; a zone deleted since its id was read is simply not there. */
function rowsOf(db: Db, ids: readonly number[]): ZoneListing[] {
  return rawRowsOf(db, ids).map(listing);
}

function rawRowsOf(db: Db, ids: readonly number[]): RawRow[] {
  return db.prepare(ROWS_OF).raw().all(JSON.stringify(ids)) as RawRow[];
}

/**
 * Rows per query when the list is streamed. Each row becomes an object only as it is written, and a batch this small
 * is garbage before V8 moves it to its old space: with 1,000 the process's peak grew 8 MiB from 100,000 to 300,000 zones,
 * with 500 it stays where it is (the rest of the growth up to 100,000 is SQLite's page cache filling, 16 MB at most).
 */
const STREAM_BATCH = 500;

/**
 * The whole list, read as it is written, a batch at a time; no statement stays open between batches, so the HTTP
 * server's one connection is free for other requests while a slow client reads. In name order (the default) each batch
 * takes up along the name index after the last row of the one before, so memory holds one batch whatever the number of
 * zones; in another order the zone ids are read sorted first, one number per zone (8 bytes: 800 KB at 100,000), then
 * the rows a batch of ids at a time.
 */
export function* streamZoneListing(db: Db, q: ListingQuery): Generator<ZoneListing, void, undefined> {
  const sort = sortOf(q);
  if (sort.column === 'name') {
    yield* alongNames(db, q, sort.desc);
    return;
  }
  const { from, where, values } = narrowed(q, readsOf(sort), scanFor(q, sort));
  const ids = db.prepare(`SELECT z.id FROM ${from}${whereOf(where)} ORDER BY ${orderBy(sort)}`).pluck().all(values) as number[];
  for (let i = 0; i < ids.length; i += STREAM_BATCH) {
    for (const r of rawRowsOf(db, ids.slice(i, i + STREAM_BATCH))) yield listing(r);
  }
}

/**
 * Name order in keyset batches: (name, zid) after the last row's. Everyone's zones, or an owner set holding many, are
 * read along the name index; a few thousand zones of a few owners are found through the owner index, each batch sorting
 * what is left of them.
 */
function* alongNames(db: Db, q: ListingQuery, desc: boolean): Generator<ZoneListing, void, undefined> {
  const sort = { column: 'name', desc };
  const alongIndex = q.ownerIds === undefined || countZoneListing(db, { ownerIds: q.ownerIds }) > STREAM_BATCH * 8;
  const { from, where, values } = narrowed(q, LISTING_COLUMNS, alongIndex ? 'name' : 'any');
  const tail = ` ORDER BY ${orderBy(sort)} LIMIT ${STREAM_BATCH}`;
  const first = db.prepare(`SELECT ${SHOWN} FROM ${from}${whereOf(where)}${tail}`).raw();
  const next = db.prepare(`SELECT ${SHOWN} FROM ${from}${whereOf([...where, `(z.name, z.id) ${desc ? '<' : '>'} (@name, @zid)`])}${tail}`).raw();
  let batch = first.all(values) as RawRow[];
  while (batch.length > 0) {
    for (const r of batch) yield listing(r);
    if (batch.length < STREAM_BATCH) return;
    const last = batch[batch.length - 1]!;
    batch = next.all({ ...values, zid: last[0], name: last[1] }) as RawRow[];
  }
}
