// Panel account names and passwords. Logins end up in the passwd file and in SQLite, never in config text, but they
// are still held to a plain alphabet so they can be shown, logged and compared without surprises.
import { missingParam, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import { bad, codePoint, ok, orThrow } from './checked';
import type { Checked } from './checked';

/** A panel login exactly as given (case-sensitive). */
export type Login = string & { readonly __brand: 'Login' };

/** A password fit for bcrypt: 1–72 UTF-8 bytes, no control characters. */
export type Password = string & { readonly __brand: 'Password' };

export const MAX_LOGIN_LENGTH = 64;
/** bcrypt ignores everything after the 72nd byte, so a longer password would be silently truncated. */
export const MAX_PASSWORD_BYTES = 72;

export function parseLogin(raw: string, param = 'name'): Login {
  return orThrow(checkLogin(raw), param, raw);
}

export function parsePassword(raw: string, param = 'passwd'): Password {
  if (raw === '') throw new ValidationError(missingParam(param));
  // A rejected password is never echoed back, not even shortened.
  return orThrow(checkPassword(raw), param, '(hidden)');
}

export function checkLogin(raw: string): Checked<Login> {
  if (raw === '') return bad(msg`empty`);
  if (raw.length > MAX_LOGIN_LENGTH) return bad(msg`longer than ${MAX_LOGIN_LENGTH} characters`);
  if (raw === '.' || raw === '..') return bad(msg`'${raw}' is not a valid login`);
  // ISPmanager names users after their IP address (p192.0.2.1), so dots are allowed.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(raw)) {
    return bad(msg`expected letters, digits, dots, underscores and hyphens, starting with a letter or digit`);
  }
  return ok(raw as Login);
}

export function checkPassword(raw: string): Checked<Password> {
  if (raw === '') return bad(msg`empty`);
  for (const ch of raw) {
    if (/\p{Cc}/u.test(ch)) return bad(msg`contains a control character (${codePoint(ch)})`);
    if (/\p{Cs}/u.test(ch)) return bad(msg`contains an unpaired surrogate (${codePoint(ch)})`);
  }
  const bytes = new TextEncoder().encode(raw).length;
  if (bytes > MAX_PASSWORD_BYTES) {
    return bad(msg`is ${bytes} bytes in UTF-8; bcrypt uses at most ${MAX_PASSWORD_BYTES} bytes, so it must not be longer`);
  }
  return ok(raw as Password);
}
