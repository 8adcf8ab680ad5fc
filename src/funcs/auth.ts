// Logins for the HTTP API: bcrypt-checked passwords, sessions, and slow failures so guessing is pointless.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccessError, AuthError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import { isAdmin } from '../model/access';
import type { Doc } from '../protocol/types';
import { findAccount } from '../store/accounts';
import { createSession, deleteSessions, touchSession } from '../store/sessions';
import type { App } from '../app';
import type { Caller } from './dispatch';
import { verifyPassword } from './passwords';

/** A failed login is answered after this long, whatever failed, so it tells an attacker nothing and costs them time. */
const FAILURE_DELAY_MS = 1000;
/** A serve process remembers a verified password this long, sparing bcrypt on every authinfo= request. */
const VERIFIED_TTL_MS = 60_000;
const verified = new Map<string, number>();

export async function checkPassword(app: App, name: string, password: string): Promise<Caller> {
  const account = name === '' ? undefined : findAccount(app.db, name);
  if (account) {
    const key = createHash('sha256').update(`${account.name}\0${password}\0${account.passwordHash}`).digest('hex');
    const until = verified.get(key);
    const right = (until !== undefined && until > Date.now()) || (await verifyPassword(password, account.passwordHash));
    // Only the holder of the right password learns that the account is suspended; anyone else gets the usual refusal.
    if (right && account.disabled) throw new AccessError('user', account.name, msg`Account '${account.name}' is suspended`);
    if (right) {
      verified.set(key, Date.now() + VERIFIED_TTL_MS);
      return { name: account.name, level: account.level };
    }
  }
  await sleep(FAILURE_DELAY_MS);
  throw new AuthError();
}

export async function login(app: App, name: string, password: string): Promise<{ key: string; level: number }> {
  const caller = await checkPassword(app, name, password);
  return { key: createSession(app.db, caller.name, caller.level), level: caller.level };
}

export async function sessionCaller(app: App, key: string): Promise<Caller> {
  const session = SESSION_KEY.test(key) ? touchSession(app.db, key) : undefined;
  if (!session) {
    await sleep(FAILURE_DELAY_MS);
    throw new AuthError(msg`Session expired or unknown: log in again`);
  }
  return { name: session.accountName, level: session.level };
}

const SESSION_KEY = /^[0-9a-f]{48}$/;

/**
 * The session functions of the HTTP door, for a caller already authenticated; undefined for any other function.
 * - logout (the panel's exit): ends the session given as auth=, whose key is refused from then on. A caller who came
 *   with authinfo= alone has no session to end: that is OK too, so a client may always say goodbye.
 * - session.delete elid=KEY[, KEY…] (the panel's list of active sessions): ends the caller's own sessions, or anyone's
 *   for an administrator; a key that is unknown or someone else's ends nothing, as deleting a missing name does.
 */
export function sessionFunc(app: App, func: string, params: Readonly<Record<string, string>>, caller: Caller): Doc | undefined {
  if (func === 'logout') {
    if (params.auth !== undefined && params.auth !== '') deleteSessions(app.db, [params.auth], caller.name);
    return { kind: 'ok' };
  }
  if (func === 'session.delete') {
    deleteSessions(app.db, parseSessionKeys(params.elid ?? ''), isAdmin(caller) ? undefined : caller.name);
    return { kind: 'ok' };
  }
  return undefined;
}

function parseSessionKeys(raw: string): string[] {
  const keys = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (keys.length === 0) throw new ValidationError({ param: 'elid', value: raw, reason: msg`the session keys to end are required, separated by commas` });
  const bad = keys.filter((k) => !SESSION_KEY.test(k));
  if (bad.length > 0) {
    throw new ValidationError(bad.map((k) => ({ param: 'elid', value: k, reason: msg`a session key is 48 hexadecimal digits, as func=auth gives it` })));
  }
  return keys;
}
