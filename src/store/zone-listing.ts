// The `domain` list as SQLite computes it: filtered, sorted, paged or streamed, never a scan made of objects.
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
import type { Db } from './db';

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

// The list's columns as shown, computed by SQLite row by row, because at 100,000 zones every object and string made per
// row in JavaScript shows in the time of the request. z.id comes along as zid: the last key of every order, so a
// name held by two accounts still has one place in the list and pages never overlap.
const LISTING_SELECT = `SELECT z.id AS zid, z.name, a.name AS owner, z.dtype, replace(z.masters, ',', ', ') AS masterip,
      CASE
        WHEN z.pending = 'delete' THEN 'deleting'
        WHEN z.pending = 'apply' THEN CASE WHEN z.suspended_at IS NOT NULL THEN 'resuming' WHEN z.applied_masters IS NULL THEN 'adding' ELSE 'updating' END
        WHEN z.suspended_at IS NOT NULL THEN 'suspended'
        ELSE coalesce(h.status, 'waiting')
      END AS status,
      coalesce(h.reason, '') AS reason, coalesce(CAST(h.serial AS TEXT), '') AS serial,
      CASE WHEN h.last_ok_at > 0 THEN strftime('%Y-%m-%d %H:%M:%S', h.last_ok_at, 'unixepoch') ELSE '' END AS updated`;
const LISTING_JOINS = 'JOIN account a ON a.id = z.owner_id LEFT JOIN zone_health h ON h.zone_id = z.id';
const SHOWN = 'name, owner, dtype, masterip, status, reason, serial, updated';
/** How a column sorts: serial as the number it is, the others as the text shown ("updated" is written to sort). */
const SORT_KEY: Readonly<Record<string, string>> = { serial: "CAST(nullif(serial, '') AS INTEGER)" };

/** The query's rows as (zid, shown columns), narrowed and ordered; `tail` is put after ORDER BY (LIMIT …). */
function listingSql(q: ListingQuery, columns: string, tail = ''): { sql: string; values: Record<string, string | number> } {
  const values: Record<string, string | number> = {};
  const where: string[] = [];
  if (q.ownerIds !== undefined) {
    where.push('z.owner_id IN (SELECT value FROM json_each(@owners))');
    values.owners = JSON.stringify(q.ownerIds);
  }
  const inner = `${LISTING_SELECT} FROM zone z ${LISTING_JOINS}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}`;
  // filter=on: the rows as shown, narrowed by SQLite, so 100,000 zones never become objects to find one.
  const conditions = (q.filters ?? []).map((f, i) => {
    if (!LISTING_COLUMNS.includes(f.column)) throw new InternalError(msg`not a column of the domain list: ${f.column}`);
    values[`f${i}`] = f.value;
    return f.exact ? `lower(${f.column}) = @f${i}` : `instr(lower(${f.column}), @f${i}) > 0`;
  });
  const sort = q.sort ?? { column: 'name', desc: false };
  if (!LISTING_COLUMNS.includes(sort.column)) throw new InternalError(msg`not a column of the domain list: ${sort.column}`);
  const dir = sort.desc ? 'DESC' : 'ASC';
  // name before zid after any column: the index on zone(name), which holds the row id, serves the default order.
  const order = [...new Set([SORT_KEY[sort.column] ?? sort.column, 'name', 'zid'])].map((k) => `${k} ${dir}`).join(', ');
  const filtered = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  return { sql: `SELECT ${columns} FROM (${inner})${filtered} ORDER BY ${order}${tail}`, values };
}

/** The whole `domain` list, read at once; a long one is better streamed (streamZoneListing) or paged (zoneListingPage). */
export function listZones(db: Db, ownerIds?: readonly number[], filters: readonly ListingFilter[] = [], sort?: ListingQuery['sort']): ZoneListing[] {
  const { sql, values } = listingSql({ ...(ownerIds === undefined ? {} : { ownerIds }), filters, ...(sort ? { sort } : {}) }, SHOWN);
  return db.prepare(sql).all(values) as ZoneListing[];
}

/** One page: SQLite reads the rows before it along the index (default order) and no further. */
export function zoneListingPage(db: Db, q: ListingQuery, offset: number, limit: number): ZoneListing[] {
  const { sql, values } = listingSql(q, SHOWN, ' LIMIT @limit OFFSET @offset');
  return db.prepare(sql).all({ ...values, limit, offset }) as ZoneListing[];
}

/** How many rows the list has: without a filter a count of an index (the owner check needs no join: owner_id is a key). */
export function countZoneListing(db: Db, q: ListingQuery): number {
  if ((q.filters ?? []).length === 0) {
    const row = q.ownerIds === undefined
      ? db.prepare('SELECT count(*) AS n FROM zone').get()
      : db.prepare('SELECT count(*) AS n FROM zone WHERE owner_id IN (SELECT value FROM json_each(?))').get(JSON.stringify(q.ownerIds));
    return (row as { n: number }).n;
  }
  const { sql, values } = listingSql({ ...q, sort: { column: 'name', desc: false } }, 'count(*) AS n');
  return (db.prepare(sql).get(values) as { n: number }).n;
}

/** Rows per query when the list is streamed. */
const STREAM_BATCH = 1000;

/**
 * The whole list, read as it is written: the zone ids in order first (one number each), then the rows a batch at a
 * time. No statement stays open between batches, so the HTTP server's one connection is free for other requests
 * while a slow client reads, and memory holds the ids and one batch, whatever the number of zones.
 */
export function* streamZoneListing(db: Db, q: ListingQuery): Generator<ZoneListing, void, undefined> {
  const { sql, values } = listingSql(q, 'zid');
  const ids = db.prepare(sql).pluck().all(values) as number[];
  const batch = db.prepare(`SELECT ${SHOWN} FROM (${LISTING_SELECT}, j.key AS position
      FROM json_each(?) j JOIN zone z ON z.id = j.value ${LISTING_JOINS}) ORDER BY position`);
  for (let from = 0; from < ids.length; from += STREAM_BATCH) {
    // A zone deleted since the ids were read is simply not there.
    yield* batch.all(JSON.stringify(ids.slice(from, from + STREAM_BATCH))) as ZoneListing[];
  }
}

/** A condition of the domain list's filter: the value is already lowercased as SQLite's lower() does (ASCII only). */
export interface ListingFilter {
  column: string;
  value: string;
  exact: boolean;
}

/** The columns of ZoneListing, the only names a filter may put into the query. */
export const LISTING_COLUMNS: readonly string[] = ['name', 'owner', 'dtype', 'masterip', 'status', 'reason', 'serial', 'updated'];
