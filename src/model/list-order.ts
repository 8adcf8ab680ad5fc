// The order every list sorts a column's values in (p_sort), once in JavaScript and once as SQL, so that a list sorted
// by SQLite and the same list sorted in JavaScript (with a filter, say) come out alike: the empty value first, then
// whole numbers by their value (a count, a serial, a TTL), then any other text by code point. A total order: comparing
// numbers as numbers and everything else as text, pair by pair, goes round in circles on a column that mixes them, as
// a record's value does (9 < 10 as numbers, "10" < "10 mail.example.com." and "10 mail.example.com." < "9" as text).

/** A whole number the lists compare as one: at most 15 digits, exact as a double. */
const WHOLE_NUMBER = /^[0-9]{1,15}$/;

function rank(value: string): 0 | 1 | 2 {
  return value === '' ? 0 : WHOLE_NUMBER.test(value) ? 1 : 2;
}

/** Negative, zero or positive as `a` sorts before, with or after `b`. */
export function compareListValues(a: string, b: string): number {
  const ra = rank(a);
  const rb = rank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 1) return Number(a) - Number(b);
  return compareCodePoints(a, b);
}

/**
 * Text by code point, which is SQLite's BINARY order of UTF-8 text. UTF-16 code units (JavaScript's <) agree except
 * where a character from U+10000 on (a surrogate pair, from 0xD800) meets one of U+E000–U+FFFF.
 */
function compareCodePoints(a: string, b: string): number {
  if (a === b) return 0;
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === n) return a.length - b.length;
  return codePointOrder(a.charCodeAt(i)) - codePointOrder(b.charCodeAt(i));
}

/** A code unit moved so that surrogates (D800–DFFF) come after E000–FFFF, as the code points they start do. */
function codePointOrder(unit: number): number {
  if (unit < 0xd800) return unit;
  return unit <= 0xdfff ? unit + 0x2000 : unit - 0x800;
}

/**
 * An ORDER BY term sorting the SQL text expression `expr` as compareListValues does, descending when asked: one key per
 * row, as SQLite orders values of different types (NULL first, then numbers by value, then text by collation, BINARY
 * here): the empty value as NULL, a whole number as an INTEGER, any other value as its text. Ties are left to the
 * terms the caller adds after it (the list's own order, ascending either way, as sortRows keeps it). `expr` is SQL the
 * caller wrote, never a request's text.
 */
export function sqlListOrder(expr: string, desc: boolean): string {
  const isNumber = `length(${expr}) <= 15 AND ltrim(${expr}, '0123456789') = ''`;
  // NULL sorts first ascending and last descending: the empty value stays at the end compareListValues puts it.
  return `CASE WHEN ${expr} = '' THEN NULL WHEN ${isNumber} THEN CAST(${expr} AS INTEGER) ELSE ${expr} END ${desc ? 'DESC' : 'ASC'}`;
}
