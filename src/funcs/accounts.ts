// user.* and reseller.*: the same five functions for two kinds of account, each seeing only what it manages.
import { NotFoundError } from '../errors';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import type { Actor } from '../model/access';
import { isAdmin } from '../model/access';
import { Level } from '../model/level';
import type { Doc, Row } from '../protocol/types';
import { accountListing, accountsAtLevel, findAccount, usersOf, zoneCount } from '../store/accounts';
import type { Account } from '../store/accounts';
import type { Db } from '../store/db';
import { listNamespaces } from '../store/namespaces';
import { poolOf } from '../store/ipaddrs';
import { changeLimits, changePassword, createAccount, deleteAccountCascade, placeExisting, setSuspended } from './account-ops';
import type { Limits } from './account-ops';
import { parseAccountEdit } from './account-params';
import type { AccountEditParams } from './account-params';
import { parseLoginList, sqlListDoc } from './lists';
import type { ListQuery } from './lists';
import { defineFunc, isSubmit, optional } from './registry';
import type { FuncDef } from './registry';
import { managedAccount } from './scope';
import { poolHolder } from './placement';

interface Kind {
  object: 'user' | 'reseller';
  level: typeof Level.user | typeof Level.reseller;
  minLevel: number;
  limits: readonly (keyof Limits)[];
  columns: readonly string[];
  /** The list as the actor sees it; `pagesItself`: filtered and paged by SQLite (else by dispatch, in JavaScript). */
  list(db: Db, actor: Actor, q: ListQuery | undefined): Doc;
  pagesItself: boolean;
  /** What -i says of each function and of elid: a sentence per kind, since Russian declines the kind's name. */
  desc: Record<'list' | 'edit' | 'elid' | 'delete' | 'suspend' | 'resume', Msg>;
}

const USER: Kind = {
  object: 'user', level: Level.user, minLevel: Level.reseller, limits: ['domainLimit'],
  columns: ['name', 'reseller', 'namespace', 'ip', 'domains', 'domain_limit', 'status'],
  // A provider has thousands: SQLite reads the page asked for.
  // A caller without an account (never let through by dispatch) is nobody's reseller: no rows.
  list: (db, actor, q) => sqlListDoc(db, accountListing(Level.user, isAdmin(actor) ? undefined : actor.account?.id ?? -1), q),
  pagesItself: true,
  desc: {
    list: msg`Users the caller manages, with namespace, addresses and domain counts`,
    edit: msg`Add a user with a password and a namespace (own addresses or a shared namespace), or change password and limits (elid=<login>)`,
    elid: msg`login of the user being edited; empty to add one`,
    delete: msg`Delete users with their zones and namespaces; their addresses return to the pool`,
    suspend: msg`Suspend users: they can no longer log in or change anything; their zones stay served`,
    resume: msg`Resume suspended users`,
  },
};

const RESELLER: Kind = {
  object: 'reseller', level: Level.reseller, minLevel: Level.admin, limits: ['domainLimit', 'userLimit', 'ipLimit'],
  columns: ['name', 'namespace', 'ip', 'users', 'user_limit', 'ips', 'ip_limit', 'domains', 'domain_limit', 'status'],
  // Few, each counted over its users.
  list: (db, actor) => {
    const namespaces = new Map(listNamespaces(db).map((n) => [n.id, n]));
    const seen = isAdmin(actor) ? accountsAtLevel(db, Level.reseller) : actor.account ? accountsAtLevel(db, Level.reseller, actor.account.id) : [];
    const rows = seen.map((a): Row => {
      const ns = a.namespaceId === null ? undefined : namespaces.get(a.namespaceId);
      const users = usersOf(db, a.id);
      return {
        name: a.name, namespace: ns?.name ?? '', ip: ns?.ips.join(', ') ?? '', users: String(users.length), user_limit: String(a.userLimit ?? 0),
        ips: String(poolOf(db, a.id).length), ip_limit: String(a.ipLimit ?? 0),
        domains: String(zoneCount(db, [a.id, ...users.map((u) => u.id)])), domain_limit: String(a.domainLimit ?? 0), status: a.disabled ? 'suspended' : 'active',
      };
    });
    return { kind: 'list', rows };
  },
  pagesItself: false,
  desc: {
    list: msg`Resellers with their limits and usage`,
    edit: msg`Add a reseller with a password and a namespace (own addresses or a shared namespace), or change password and limits (elid=<login>)`,
    elid: msg`login of the reseller being edited; empty to add one`,
    delete: msg`Delete resellers with their zones, users and namespaces; their addresses return to the pool`,
    suspend: msg`Suspend resellers: they can no longer log in or change anything; their zones stay served`,
    resume: msg`Resume suspended resellers`,
  },
};

/** An account of this kind that the actor manages; anything else looks like it does not exist. */
function target(db: Db, actor: Actor, kind: Kind, login: string): Account {
  const a = managedAccount(db, actor, login, kind.object);
  if (a.level !== kind.level) throw new NotFoundError(kind.object, login);
  return a;
}

type EditParams = { submit: false; elid?: string } | ({ submit: true; elid?: string } & AccountEditParams);

function accountFuncs(kind: Kind): FuncDef<never>[] {
  const o = kind.object;
  const list = defineFunc({
    name: o, kind: 'list', minLevel: kind.minLevel, mutates: false, columns: kind.columns, params: [],
    desc: kind.desc.list,
    pagesItself: kind.pagesItself,
    parse: () => ({}),
    async run({ app, actor, list: q }): Promise<Doc> {
      return kind.list(app.db, actor, q);
    },
  });
  const edit = defineFunc<EditParams>({
    name: `${o}.edit`, kind: 'form', minLevel: kind.minLevel, mutates: true,
    desc: kind.desc.edit,
    params: [
      { name: 'elid', desc: kind.desc.elid },
      { name: 'name', desc: msg`login`, required: true },
      { name: 'passwd', desc: msg`password (up to 72 bytes); on edit, empty keeps it` },
      { name: 'nstype', desc: msg`'own': a namespace of its own (default); 'shared': join an existing namespace` },
      { name: 'ip', desc: msg`own: an IPv4 address from your pool or 'auto' (default); shared: a shared or mutual address to join` },
      { name: 'ip6', desc: msg`own: an IPv6 address from your pool or 'auto' (Option AllowIpV6)` },
      { name: 'namespace', desc: msg`shared: the namespace to join (a reseller: its own by default)` },
      ...kind.limits.map((l) => ({ name: LIMIT_PARAMS[l], desc: LIMIT_DESC[l] })),
      { name: 'sok', desc: msg`'ok' to submit the form` },
    ],
    parse(raw) {
      const elid = optional(raw, 'elid');
      const elidLogin = elid === undefined ? undefined : parseLoginList(elid, 'elid')[0];
      if (!isSubmit(raw)) return { submit: false, elid: elidLogin };
      return { submit: true, elid: elidLogin, ...parseAccountEdit(raw, elidLogin === undefined, kind.limits) };
    },
    async run({ app, actor }, p): Promise<Doc> {
      const db = app.db;
      if (!p.submit) return editForm(db, actor, kind, p.elid);
      if (p.elid === undefined) {
        await createAccount(app, actor, { name: p.name!, passwd: p.passwd!, level: kind.level, placement: p.placement!, limits: p.limits });
        return { kind: 'ok' };
      }
      const a = target(db, actor, kind, p.elid);
      if (p.placement !== undefined) await placeExisting(app, actor, a, p.placement);
      if (p.passwd !== undefined) await changePassword(app, a, p.passwd);
      if (Object.keys(p.limits).length > 0) changeLimits(app, a, p.limits);
      return { kind: 'ok' };
    },
  });
  const many = (name: string, desc: Msg, act: (app: import('../app').App, a: Account) => Promise<void> | void) => defineFunc({
    name, kind: 'action', minLevel: kind.minLevel, mutates: true, desc,
    params: [{ name: 'elid', desc: msg`logins, separated by commas`, required: true }],
    parse: (raw) => ({ names: parseLoginList(raw.elid ?? '', 'elid') }),
    async run({ app, actor }, p): Promise<Doc> {
      // Check every name first: one foreign or unknown login stops the whole request before anything changes.
      const accounts = p.names.map((n) => (findAccount(app.db, n) ? target(app.db, actor, kind, n) : undefined));
      for (const a of accounts) if (a) await act(app, a);
      return { kind: 'ok' };
    },
  });
  return [
    list, edit,
    many(`${o}.delete`, kind.desc.delete, deleteAccountCascade),
    many(`${o}.suspend`, kind.desc.suspend, (app, a) => setSuspended(app, a, true)),
    many(`${o}.resume`, kind.desc.resume, (app, a) => setSuspended(app, a, false)),
  ] as FuncDef<never>[];
}

const LIMIT_PARAMS: Record<keyof Limits, string> = { domainLimit: 'domain_limit', userLimit: 'user_limit', ipLimit: 'ip_limit' };
const LIMIT_DESC: Record<keyof Limits, Msg> = {
  domainLimit: msg`zones it may have (a reseller: with its users); 0 = no limit`,
  userLimit: msg`users it may have; 0 = no limit`,
  ipLimit: msg`addresses its pool may hold; 0 = no limit`,
};

function editForm(db: Db, actor: Actor, kind: Kind, elid: string | undefined): Doc {
  const holder = poolHolder(actor);
  const free = poolOf(db, holder).filter((a) => a.status === 'free' && a.namespaceId === null);
  const slists = {
    nstype: [{ key: 'own', label: 'own' }, { key: 'shared', label: 'shared' }],
    ip: [{ key: 'auto', label: 'auto' }, ...free.filter((a) => a.family === 4).map((a) => ({ key: a.addr, label: a.addr }))],
    ip6: [{ key: '', label: '' }, { key: 'auto', label: 'auto' }, ...free.filter((a) => a.family === 6).map((a) => ({ key: a.addr, label: a.addr }))],
  };
  const limitFields = (a?: Account) => Object.fromEntries(kind.limits.map((l) => [LIMIT_PARAMS[l], String(a?.[l] ?? 0)]));
  if (elid === undefined) return { kind: 'form', fields: { name: '', passwd: '', nstype: 'own', ip: 'auto', ip6: '', namespace: '', ...limitFields() }, slists };
  const a = target(db, actor, kind, elid);
  const ns = listNamespaces(db).find((n) => n.id === a.namespaceId);
  return { kind: 'form', fields: { elid: a.name, name: a.name, passwd: '', nstype: a.namespaceId === null ? 'own' : '', namespace: ns?.name ?? '', ip: ns?.ips.join(', ') ?? '', ip6: '', ...limitFields(a) }, slists };
}

export const USER_FUNCS = accountFuncs(USER);
export const RESELLER_FUNCS = accountFuncs(RESELLER);
