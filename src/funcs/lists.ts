// The panel's multi-selection "a, b, c" for keys that are logins.
import { ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { parseLogin } from '../model/account-name';
import type { Login } from '../model/account-name';

export function parseLoginList(raw: string, param: string): Login[] {
  const items = [...new Set(raw.split(',').map((s) => s.trim()).filter(Boolean))];
  if (items.length === 0) throw new ValidationError({ param, value: raw, reason: 'is required' });
  const problems: InvalidParam[] = [];
  const out: Login[] = [];
  for (const item of items) {
    try {
      out.push(parseLogin(item, param));
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      problems.push(...err.problems);
    }
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return out;
}
