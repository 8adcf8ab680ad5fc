// What lists share: the panel's multi-selection "a, b, c" for keys that are logins, and the list filter
// (filter=on&<column>=<value>) that clients use to find a row, e.g. func=domain&filter=on&name=example.com.
import { ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import { checkLogin } from '../model/account-name';
import type { Login } from '../model/account-name';
import { checkEach } from '../model/checked';
import type { Row } from '../protocol/types';

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
const NOT_COLUMNS: ReadonlySet<string> = new Set(['func', 'filter', 'su', 'lang', 'out', 'sok', 'elid', 'plid']);

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
    const term = quoted ? value.slice(1, -1) : value;
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

/** Lowercase A-Z only, exactly as SQLite's lower() without ICU, so a filter done in SQL and one done here agree. */
export function asciiLower(s: string): string {
  return s.replace(/[A-Z]+/g, (m) => m.toLowerCase());
}
