// The panel's multi-selection "a, b, c" for keys that are logins.
import { missingParam, ValidationError } from '../errors';
import { checkLogin } from '../model/account-name';
import type { Login } from '../model/account-name';
import { checkEach } from '../model/checked';

export function parseLoginList(raw: string, param: string): Login[] {
  const items = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new ValidationError(missingParam(param));
  return checkEach(items, param, checkLogin);
}
