// The `domain` list, which may hold 100,000 zones: filtered, sorted and paged by SQLite, streamed when not paged.
import { reasonText } from '../health/reasons';
import type { Lang } from '../i18n/msg';
import type { Doc } from '../protocol/types';
import type { Db } from '../store/db';
import { listZones, streamZoneListing, zoneListingPage } from '../store/zone-listing';
import type { ListingQuery, ZoneListing } from '../store/zone-listing';
import { filterRows, pageOf } from './lists';
import type { ListQuery } from './lists';

/** `ownerIds` undefined: every zone. */
export function domainListing(db: Db, ownerIds: readonly number[] | undefined, lang: Lang, q: ListQuery = {}): Doc {
  // SQLite narrows by every column it holds as shown; reason it holds as a keyword and shows in words, so a filter on
  // it is matched here, on the words, before the page is cut.
  const inSql = q.filter?.filter((f) => f.column !== 'reason') ?? [];
  const byReason = q.filter?.filter((f) => f.column === 'reason') ?? [];
  const query: ListingQuery = { ...(ownerIds === undefined ? {} : { ownerIds }), filters: inSql, ...(q.sort ? { sort: q.sort } : {}) };
  if (byReason.length > 0) {
    const rows = filterRows([...saidReasons(listZones(db, ownerIds, inSql, q.sort), lang)], byReason);
    return q.page === undefined ? { kind: 'list', rows } : pageOf(rows, q.page);
  }
  if (q.page === undefined) return { kind: 'list', rows: saidReasons(streamZoneListing(db, query), lang) };
  const { num, cnt } = q.page;
  const { rows, elems } = zoneListingPage(db, query, (num - 1) * cnt, cnt);
  return { kind: 'list', rows: [...saidReasons(rows, lang)], page: { num, cnt, elems } };
}

/** Each row's reason keyword in words, as the row goes by; each keyword is looked up once. */
function* saidReasons(rows: Iterable<ZoneListing>, lang: Lang): Generator<ZoneListing, void, undefined> {
  const said = new Map<string, string>();
  for (const row of rows) {
    if (row.reason !== '') {
      let text = said.get(row.reason);
      if (text === undefined) said.set(row.reason, (text = reasonText(row.reason, lang)));
      row.reason = text;
    }
    yield row;
  }
}
