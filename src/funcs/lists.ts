// What lists share: the panel's multi-selection "a, b, c" for keys that are logins, the list filter
// (filter=on&<column>=<value>) that clients use to find a row, e.g. func=domain&filter=on&name=example.com, and the
// panel's paging and sorting (p_num, p_cnt, p_sort, p_order). The order is always: filter, then sort, then the page.
import { domainToASCII } from 'node:url';
import { collectProblems, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import { checkLogin } from '../model/account-name';
import type { Login } from '../model/account-name';
import { checkEach } from '../model/checked';
import { compareListValues } from '../model/list-order';
import type { Doc, Row } from '../protocol/types';
import type { Db } from '../store/db';
import { sqlListRows } from '../store/sql-list';
import type { SqlList } from '../store/sql-list';

export function parseLoginList(raw: string, param: string): Login[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new ValidationError({ param, value: raw, reason: msg`is required` });
  return checkEach(items, param, checkLogin);
}

/**
 * One condition of a list filter. As the panel's filters do, a value matches a row whose column contains it, letters
 * compared without regard to ASCII case; a value in double quotes ("example.com") must be the whole column.
 * `value` is already lowercased the way SQLite's lower() does it (ASCII only), so SQL and rowMatches agree.
 */
export interface ColumnFilter {
  column: string;
  value: string;
  exact: boolean;
}

/** Parameters that keep their meaning in a filtered list; every other one must name a column. */
const NOT_COLUMNS: ReadonlySet<string> = new Set(['func', 'filter', 'su', 'lang', 'out', 'sok', 'elid', 'plid', 'p_num', 'p_cnt', 'p_sort', 'p_order']);

/**
 * The filter a list request asks for: undefined without filter=on (the column parameters then mean what they always
 * did: nothing), otherwise one condition per column given. A parameter that is neither a column nor one of the list's
 * own parameters is refused, so a misspelt column never silently returns the whole list.
 */
export function parseListFilter(
  raw: Readonly<Record<string, string>>,
  list: { name: string; columns?: readonly string[]; params: readonly { name: string }[] },
): ColumnFilter[] | undefined {
  const mode = (Object.hasOwn(raw, 'filter') ? raw.filter ?? '' : '').trim().toLowerCase();
  if (mode !== 'on' && mode !== 'off' && mode !== '') {
    throw new ValidationError({ param: 'filter', value: raw.filter ?? '', reason: msg`expected 'on' (filter the list by the column parameters) or 'off'` });
  }
  if (mode !== 'on') return undefined;
  const columns = list.columns ?? [];
  const own = new Set(list.params.map((p) => p.name));
  const filters: ColumnFilter[] = [];
  const problems: InvalidParam[] = [];
  for (const [name, value] of Object.entries(raw)) {
    if (NOT_COLUMNS.has(name) || own.has(name)) continue;
    if (!columns.includes(name)) {
      problems.push({ param: name, value, reason: msg`'${name}' is not a column of '${list.name}'; its columns are ${columns.join(', ')}` });
      continue;
    }
    const quoted = value.length >= 2 && value.startsWith('"') && value.endsWith('"');
    const term = storedForm(quoted ? value.slice(1, -1) : value);
    // An empty value asks nothing of the column.
    if (term !== '' || quoted) filters.push({ column: name, value: asciiLower(term), exact: quoted });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return filters;
}

/** The rows every condition accepts. */
export function filterRows(rows: readonly Row[], filters: readonly ColumnFilter[]): Row[] {
  return filters.length === 0 ? [...rows] : rows.filter((row) => filters.every((f) => rowMatches(row, f)));
}

function rowMatches(row: Row, f: ColumnFilter): boolean {
  const cell = asciiLower(row[f.column] ?? '');
  return f.exact ? cell === f.value : cell.includes(f.value);
}

/**
 * Names are stored and listed punycoded: a client searching by the name it typed (пример.рф) looks for the same
 * A-labels. Each label that converts is converted; a part of a label that does not stays as it is.
 */
function storedForm(term: string): string {
  if (!/[^\x00-\x7f]/.test(term)) return term;
  return term.split('.').map((label) => (label === '' ? label : domainToASCII(label) || label)).join('.');
}

/** Lowercase A-Z only, exactly as SQLite's lower() without ICU, so a filter done in SQL and one done here agree. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}

/** The rows of a page: p_cnt of them from row (p_num - 1) × p_cnt. */
export interface PageRequest {
  num: number;
  cnt: number;
}

export interface SortRequest {
  column: string;
  desc: boolean;
}

/** What a list request asks beyond the function's own parameters; undefined parts ask nothing. */
export interface ListQuery {
  filter?: ColumnFilter[];
  sort?: SortRequest;
  page?: PageRequest;
}

/** Rows per page when p_num comes without p_cnt. */
export const DEFAULT_PAGE_ROWS = 100;
/** A page is for a screen or a batch; the whole list is had without p_cnt, and streams. */
export const MAX_PAGE_ROWS = 10_000;
const MAX_PAGE_NUM = 1_000_000_000;

/**
 * filter=on, p_num/p_cnt and p_sort/p_order of a list request, every problem reported together. Without p_num and p_cnt
 * the list is not paged (every row, as before paging existed); p_order without p_sort sorts by the first column.
 */
export function parseListQuery(
  raw: Readonly<Record<string, string>>,
  list: { name: string; columns?: readonly string[]; params: readonly { name: string }[] },
): ListQuery {
  const problems: InvalidParam[] = [];
  const attempt = <T>(f: () => T): T | undefined => collectProblems<T | undefined>(problems, f, undefined);
  const filter = attempt(() => parseListFilter(raw, list));
  const num = attempt(() => pageNumber(raw, 'p_num', MAX_PAGE_NUM, msg`expected a page number from 1`));
  const cnt = attempt(() => pageNumber(raw, 'p_cnt', MAX_PAGE_ROWS, msg`expected rows per page from 1 to ${MAX_PAGE_ROWS} (without p_cnt the whole list is returned)`));
  const sort = attempt(() => parseSort(raw, list));
  if (problems.length > 0) throw new ValidationError(problems);
  const paged = num !== undefined || cnt !== undefined;
  return {
    ...(filter === undefined ? {} : { filter }),
    ...(sort === undefined ? {} : { sort }),
    ...(paged ? { page: { num: num ?? 1, cnt: cnt ?? DEFAULT_PAGE_ROWS } } : {}),
  };
}

function pageNumber(raw: Readonly<Record<string, string>>, param: string, max: number, reason: Msg): number | undefined {
  const value = Object.hasOwn(raw, param) ? (raw[param] ?? '').trim() : '';
  if (value === '') return undefined;
  const n = /^[0-9]{1,10}$/.test(value) ? Number(value) : NaN;
  if (!(n >= 1 && n <= max)) throw new ValidationError({ param, value: raw[param] ?? '', reason });
  return n;
}

function parseSort(raw: Readonly<Record<string, string>>, list: { name: string; columns?: readonly string[] }): SortRequest | undefined {
  const columns = list.columns ?? [];
  const column = Object.hasOwn(raw, 'p_sort') ? (raw.p_sort ?? '').trim() : '';
  const order = (Object.hasOwn(raw, 'p_order') ? raw.p_order ?? '' : '').trim().toLowerCase();
  const problems: InvalidParam[] = [];
  if (column !== '' && !columns.includes(column)) {
    problems.push({ param: 'p_sort', value: raw.p_sort ?? '', reason: msg`'${column}' is not a column of '${list.name}'; its columns are ${columns.join(', ')}` });
  }
  if (order !== '' && order !== 'asc' && order !== 'desc') {
    problems.push({ param: 'p_order', value: raw.p_order ?? '', reason: msg`expected 'asc' (ascending) or 'desc' (descending)` });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  if (column === '' && order === '') return undefined;
  const by = column !== '' ? column : columns[0];
  return by === undefined ? undefined : { column: by, desc: order === 'desc' };
}

/**
 * Sorts by one column, stably (rows that tie keep the list's own order, also when descending), in the order every list
 * sorts in (model/list-order: the empty value, whole numbers by value, then text by code point).
 */
export function sortRows(rows: readonly Row[], sort: SortRequest): Row[] {
  const sign = sort.desc ? -1 : 1;
  return rows
    .map((row, i) => ({ row, i, key: row[sort.column] ?? '' }))
    .sort((a, b) => sign * compareListValues(a.key, b.key) || a.i - b.i)
    .map((r) => r.row);
}

/** A list done in JavaScript (every list but domain is small): filter, sort, then the page with its facts. */
export function applyListQuery(rows: Iterable<Row>, q: ListQuery): Extract<Doc, { kind: 'list' }> {
  let all = q.filter === undefined ? [...rows] : filterRows([...rows], q.filter);
  if (q.sort !== undefined) all = sortRows(all, q.sort);
  return q.page === undefined ? { kind: 'list', rows: all } : pageOf(all, q.page);
}

export function pageOf(rows: readonly Row[], page: PageRequest): Extract<Doc, { kind: 'list' }> {
  const from = (page.num - 1) * page.cnt;
  return { kind: 'list', rows: rows.slice(from, from + page.cnt), page: { num: page.num, cnt: page.cnt, elems: rows.length } };
}

/**
 * A list SQLite filters and pages (a provider's thousands of accounts, namespaces, addresses): read as the page asked
 * for. A sort asked for is done here, as every list sorts (sortRows), and the page cut from the sorted rows.
 */
export function sqlListDoc(db: Db, list: SqlList, q: ListQuery = {}): Extract<Doc, { kind: 'list' }> {
  const filters = q.filter ?? [];
  if (q.sort !== undefined) {
    const rows = sortRows(sqlListRows(db, list, filters).rows, q.sort);
    return q.page === undefined ? { kind: 'list', rows } : pageOf(rows, q.page);
  }
  if (q.page === undefined) return { kind: 'list', rows: sqlListRows(db, list, filters).rows };
  const { num, cnt } = q.page;
  const { rows, elems } = sqlListRows(db, list, filters, { offset: (num - 1) * cnt, limit: cnt });
  return { kind: 'list', rows, page: { num, cnt, elems } };
}
