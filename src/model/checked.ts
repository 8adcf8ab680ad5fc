// The model's parsers check a value without knowing which request parameter it came from, so a list parser can
// collect every bad item and raise one ValidationError that names them all.
import { ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import type { Msg } from '../i18n/msg';

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: Msg };

export function ok<T>(value: T): Checked<T> {
  return { ok: true, value };
}

export function bad<T = never>(reason: Msg): Checked<T> {
  return { ok: false, reason };
}

/** The value, or a ValidationError naming `param`. */
export function orThrow<T>(checked: Checked<T>, param: string, raw: string): T {
  if (checked.ok) return checked.value;
  throw new ValidationError({ param, value: raw, reason: checked.reason });
}

/** Splits a list, checks every item, reports all bad items at once; duplicates (by normalized value) are dropped. */
export function checkEach<T>(
  items: readonly string[],
  param: string,
  check: (item: string) => Checked<T>,
): T[] {
  const problems: InvalidParam[] = [];
  const seen = new Set<T>();
  const values: T[] = [];
  for (const item of items) {
    const c = check(item);
    if (!c.ok) {
      problems.push({ param, value: item, reason: c.reason });
    } else if (!seen.has(c.value)) {
      seen.add(c.value);
      values.push(c.value);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return values;
}

/** For reasons that quote a piece of input: short, and with control characters made visible. */
export function quote(text: string, max = 20): string {
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  const chars = [...clean];
  return chars.length > max ? `'${chars.slice(0, max).join('')}…'` : `'${clean}'`;
}

/** U+XXXX, for characters that cannot be shown. */
export function codePoint(ch: string): string {
  return `U+${(ch.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
}
