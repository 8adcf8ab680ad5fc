// A list as SQLite computes it, every value text as shown: a provider's 2,000 accounts, namespaces and addresses are
// read as the page asked for, not made into objects one by one to show ten of them.
import { InternalError } from '../errors';
import { msg } from '../i18n/msg';
import type { Db } from './db';

/** A list's query: each column as SQLite computes it, the rows it shows (FROM … WHERE), and the list's own order. */
export interface SqlList {
  columns: Readonly<Record<string, string>>;
  /** FROM and its joins. */
  from: string;
  /** Conditions on who sees what, with their named values (@name). */
  where: readonly string[];
  values: Readonly<Record<string, string | number>>;
  /** The list's own order, a total one (ties broken by a unique key). */
  orderBy: string;
}

/** A condition of a list's filter: the value already lowercased as SQLite's lower() does (ASCII only). */
export interface SqlListFilter {
  column: string;
  value: string;
  exact: boolean;
}

type Shown = Record<string, string>;

/**
 * The rows a filter keeps, in the list's own order: every one, or those of a page (`offset`, `limit`) with the count
 * of all (`elems`). SQLite computes a row's columns only for the rows it returns: a page of a long list costs the page.
 */
export function sqlListRows(db: Db, list: SqlList, filters: readonly SqlListFilter[], page?: { offset: number; limit: number }): { rows: Shown[]; elems: number } {
  const values: Record<string, string | number> = { ...list.values };
  const where = [...list.where];
  filters.forEach((f, i) => {
    // Only the list's own columns: the names a request gave are checked against them before they get here.
    const sql = Object.hasOwn(list.columns, f.column) ? list.columns[f.column] : undefined;
    if (sql === undefined) throw new InternalError(msg`not a column of this list: ${f.column}`);
    values[`f${i}`] = f.value;
    where.push(f.exact ? `lower(${sql}) = @f${i}` : `instr(lower(${sql}), @f${i}) > 0`);
  });
  const tail = `${list.from}${where.length === 0 ? '' : ` WHERE ${where.join(' AND ')}`}`;
  const shown = Object.entries(list.columns).map(([name, sql]) => `${sql} AS "${name}"`).join(', ');
  if (page === undefined) {
    const rows = db.prepare(`SELECT ${shown} ${tail} ORDER BY ${list.orderBy}`).all(values) as Shown[];
    return { rows, elems: rows.length };
  }
  // One read transaction: the page and the count of the same state, whatever another process commits meanwhile.
  return db.transaction(() => ({
    rows: db.prepare(`SELECT ${shown} ${tail} ORDER BY ${list.orderBy} LIMIT @limit OFFSET @offset`).all({ ...values, ...page }) as Shown[],
    elems: db.prepare(`SELECT count(*) ${tail}`).pluck().get(values) as number,
  }))();
}
