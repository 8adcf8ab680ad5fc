// One request through the registry: find the function, check the level, switch user, validate, recover, run.
import { AccessError, NotFoundError, ToolError, asDnsmgrError } from '../errors';
import { msg } from '../i18n/msg';
import type { Lang } from '../i18n/msg';
import type { Actor } from '../model/access';
import { canManage, isAdmin } from '../model/access';
import { parseLogin } from '../model/account-name';
import type { Doc } from '../protocol/types';
import { findAccount, getAccount, notePanelAdmin } from '../store/accounts';
import { migrationUnderWay } from '../store/health';
import { recoverStaleZones } from '../sync/zones';
import type { App } from '../app';
import { loadFunc } from './index';
import { applyListQuery, parseListQuery } from './lists';
import { optional } from './registry';

/** Who a front door says is calling: the panel's AUTH_USER/AUTH_LEVEL, root for mgrctl, a checked login over HTTP. */
export interface Caller {
  name: string;
  level: number;
}

/**
 * `lang` is the request's language as the front door found it (default: DefaultLang); the `lang` parameter itself is
 * the door's, never a function's.
 */
export async function dispatch(app: App, func: string, params: Readonly<Record<string, string>>, caller: Caller, lang?: Lang): Promise<Doc> {
  try {
    const def = await loadFunc(func);
    if (!def) throw new NotFoundError('func', func);
    if (caller.level < def.minLevel) throw new AccessError('func', func, msg`Access to function '${func}' is denied`);
    const self = actorOf(app, caller);
    const actor = resolveActor(app, self, optional(params, 'su'));
    if (actor.level < def.minLevel) throw new AccessError('func', func, msg`Access to function '${func}' is denied for '${actor.name}'`);
    const { lang: _door, ...funcParams } = params;
    const parsed = def.parse(funcParams);
    const list = def.kind === 'list' ? parseListQuery(funcParams, def) : undefined;
    if (def.mutates) {
      // A migration changes the name server under every request: changes wait until it has finished.
      const migrating = migrationUnderWay(app.db);
      if (migrating !== undefined) throw new ToolError('backend.migrate', undefined, '', msg`the name server is being changed to ${migrating}: try again once dnsmgr backend.migrate has finished`);
      await recoverStaleZones(app);
    }
    const doc = await def.run({ app, caller: self, actor, lang: lang ?? app.settings.defaultLang, ...(list === undefined ? {} : { list }) }, parsed as never);
    // Every list honours filter=on, p_sort and p_num/p_cnt here (filter, sort, page); a long one (domain) does it in SQL.
    const asked = list !== undefined && (list.filter !== undefined || list.sort !== undefined || list.page !== undefined);
    return asked && doc.kind === 'list' && def.pagesItself !== true ? applyListQuery(doc.rows, list) : doc;
  } catch (err) {
    return { kind: 'error', error: asDnsmgrError(err) };
  }
}

function actorOf(app: App, caller: Caller): Actor {
  const account = findAccount(app.db, caller.name);
  if (!account) {
    // The panel's own administrators need no account here; their login is remembered so no account can take it.
    if (isAdmin(caller)) {
      notePanelAdmin(app.db, caller.name);
      return { name: caller.name, level: caller.level };
    }
    throw new AccessError('user', caller.name, msg`Account '${caller.name}' does not exist`);
  }
  // A caller claiming more than the account of that name has is refused outright: never raised to the claim, and
  // never quietly taken for that lower account (a reseller's user named like the panel's administrator, say).
  if (caller.level > account.level) {
    throw new AccessError('user', caller.name, msg`'${caller.name}' comes with level ${caller.level}, but dnsmgr's account '${caller.name}' has level ${account.level}`);
  }
  if (account.disabled || resellerSuspended(app, account.resellerId)) throw new AccessError('user', caller.name, msg`Account '${caller.name}' is suspended`);
  return { name: account.name, level: caller.level, account };
}

/** su=<login>: a higher level acting as an account it manages, and nobody else. */
function resolveActor(app: App, self: Actor, su: string | undefined): Actor {
  if (su === undefined || su === self.name) return self;
  const login = parseLogin(su, 'su');
  const target = findAccount(app.db, login);
  if (!target) throw new NotFoundError('user', login);
  if (!canManage(self, target) || target.level >= self.level) {
    throw new AccessError('user', login, msg`'${self.name}' may not act as '${login}'`);
  }
  if (target.disabled || resellerSuspended(app, target.resellerId)) throw new AccessError('user', login, msg`Account '${login}' is suspended`);
  return { name: target.name, level: target.level, account: target };
}

/** A suspended reseller's users are suspended with it. */
function resellerSuspended(app: App, resellerId: number | null): boolean {
  return resellerId !== null && getAccount(app.db, resellerId)?.disabled === true;
}
