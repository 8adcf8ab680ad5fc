// Parameters of user.edit and reseller.edit, validated together so every bad one is reported at once.
import { ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import { parseLogin, parsePassword } from '../model/account-name';
import type { Login, Password } from '../model/account-name';
import { parseIpAddress } from '../model/address';
import { parseIntInRange, parseOneOf } from '../model/params';
import type { Limits } from './account-ops';
import type { AddressRequest, Placement } from './placement';
import { optional, validateAll } from './registry';

const MAX_LIMIT = 1_000_000;

export interface AccountEditParams {
  name?: Login;
  passwd?: Password;
  placement?: Placement;
  limits: Limits;
}

/**
 * `creating`: name, passwd and a placement are required; otherwise only what is given changes (a placement only for
 * an account that has no namespace yet).
 */
export function parseAccountEdit(raw: Readonly<Record<string, string>>, creating: boolean, limitNames: readonly (keyof Limits)[]): AccountEditParams {
  const p = validateAll({
    name: () => (creating ? parseLogin(raw.name ?? '', 'name') : undefined),
    passwd: () => (creating || optional(raw, 'passwd') !== undefined ? parsePassword(raw.passwd ?? '', 'passwd') : undefined),
    nstype: () => parseOneOf(optional(raw, 'nstype') ?? 'own', 'nstype', ['own', 'shared'] as const),
    ip: () => addressRequest(raw, 'ip'),
    ip6: () => addressRequest(raw, 'ip6'),
    namespace: () => { const n = optional(raw, 'namespace'); return n === undefined ? undefined : parseLogin(n, 'namespace'); },
    domainLimit: () => limit(raw, 'domain_limit'),
    userLimit: () => limit(raw, 'user_limit'),
    ipLimit: () => limit(raw, 'ip_limit'),
  });
  const limits: Limits = {};
  for (const name of limitNames) if (p[name] !== undefined) limits[name] = p[name];
  let placement: Placement | undefined;
  const placing = ['nstype', 'ip', 'ip6', 'namespace'].some((k) => optional(raw, k) !== undefined);
  if (creating || placing) {
    if (p.nstype === 'own') placement = { kind: 'own', ip: p.ip, ip6: p.ip6 };
    else {
      if (p.ip === 'auto' || p.ip6 !== undefined) throw new ValidationError({ param: 'ip', value: raw.ip ?? raw.ip6 ?? '', reason: msg`a shared namespace is joined by its name or by one shared address` });
      placement = { kind: 'join', namespace: p.namespace, ip: p.ip };
    }
  }
  return { name: p.name, passwd: p.passwd, placement, limits };
}

function addressRequest(raw: Readonly<Record<string, string>>, param: string): AddressRequest | undefined {
  const v = optional(raw, param);
  if (v === undefined) return undefined;
  return v.trim().toLowerCase() === 'auto' ? 'auto' : parseIpAddress(v.trim(), param);
}

/** A limit: a whole number; 0 means no limit (as the passwd file writes it). */
function limit(raw: Readonly<Record<string, string>>, param: string): number | null | undefined {
  const v = optional(raw, param);
  if (v === undefined) return undefined;
  const n = parseIntInRange(v, param, 0, MAX_LIMIT);
  return n === 0 ? null : n;
}
