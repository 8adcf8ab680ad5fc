// Small parsers shared by every function's parameter list.
import { missingParam, ValidationError } from '../errors';
import { msg } from '../i18n/msg';

const YES = new Set(['on', 'yes', 'true', '1']);
const NO = new Set(['off', 'no', 'false', '0']);

/** The panel sends checkboxes as "on"/"off"; the CLI gets yes/no, true/false or 1/0. */
export function parseYesNo(raw: string, param: string): boolean {
  const v = raw.trim().toLowerCase();
  if (YES.has(v)) return true;
  if (NO.has(v)) return false;
  throw new ValidationError({ param, value: raw, reason: msg`expected on/off, yes/no, true/false or 1/0` });
}

export function parseOneOf<const T extends string>(raw: string, param: string, allowed: readonly T[]): T {
  const found = allowed.find((a) => a === raw);
  if (found !== undefined) return found;
  throw new ValidationError({
    param,
    value: raw,
    reason: msg`expected one of ${allowed.map((a) => `'${a}'`).join(', ')}`,
  });
}

/** A decimal integer, optionally negative, within [min, max]. */
export function parseIntInRange(raw: string, param: string, min: number, max: number): number {
  const v = raw.trim();
  const n = /^-?\d{1,15}$/.test(v) ? Number(v) : NaN;
  if (!Number.isSafeInteger(n) || n < min || n > max) {
    throw new ValidationError({ param, value: raw, reason: msg`expected a whole number from ${min} to ${max}` });
  }
  return n;
}

/** The raw value; a missing parameter, or one that is empty or only whitespace, is an error. */
export function requireParam(params: Record<string, string>, name: string): string {
  const value = Object.hasOwn(params, name) ? params[name] : undefined;
  if (value === undefined || value.trim() === '') {
    throw new ValidationError(missingParam(name));
  }
  return value;
}
