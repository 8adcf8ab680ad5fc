// user, user.edit, user.delete: accounts with a password and a DNS namespace on their own addresses.
import { ExistsError, ValidationError } from '../errors';
import { parseLogin, parsePassword } from '../model/account-name';
import type { Login, Password } from '../model/account-name';
import { parseIpAddress } from '../model/address';
import type { IpAddress } from '../model/address';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import {
  deleteAccount, deleteNamespace, findAccount, getNamespace, insertAccount, insertNamespace, listAccounts, listNamespaces,
  namespaceInUse, namespaceOfIp, setNamespaceIps, updatePasswordHash,
} from '../store/accounts';
import type { Account } from '../store/accounts';
import { writeTx } from '../store/db';
import { markForDelete } from '../store/zones';
import { applyOrRevert } from '../sync/zones';
import { syncViews } from '../sync/views';
import type { App } from './app';
import { newClaim } from './app';
import { hashPassword } from './passwords';
import { defineFunc, isSubmit, optional, validateAll } from './registry';
import { managedAccount } from './scope';
import { parseLoginList } from './lists';

export const userList = defineFunc({
  name: 'user',
  kind: 'list',
  minLevel: Level.admin,
  desc: 'Accounts with their namespace, addresses and zone count',
  params: [],
  columns: ['name', 'level', 'namespace', 'ip', 'domains', 'status'],
  mutates: false,
  parse: () => ({}),
  async run({ app, actor }): Promise<Doc> {
    const db = app.db;
    const namespaces = new Map(listNamespaces(db).map((n) => [n.id, n]));
    const counts = new Map((db.prepare('SELECT owner_id, COUNT(*) AS n FROM zone GROUP BY owner_id').all() as { owner_id: number; n: number }[])
      .map((r) => [r.owner_id, r.n]));
    const rows = listAccounts(db, actor.level - 1).map((a) => {
      const ns = a.namespaceId === null ? undefined : namespaces.get(a.namespaceId);
      return {
        name: a.name, level: String(a.level), namespace: ns?.name ?? '', ip: ns?.ips.join(', ') ?? '',
        domains: String(counts.get(a.id) ?? 0), status: a.disabled ? 'disabled' : 'active',
      };
    });
    return { kind: 'list', rows };
  },
});

type UserEdit =
  | { submit: false; elid?: Login }
  | { submit: true; elid?: Login; name?: Login; passwd?: Password; ips?: IpAddress[] };

export const userEdit = defineFunc<UserEdit>({
  name: 'user.edit',
  kind: 'form',
  minLevel: Level.admin,
  desc: 'Add a user with a password and a namespace on its own addresses, or change them (elid=<login>)',
  params: [
    { name: 'elid', desc: 'login being edited; empty to add a user' },
    { name: 'name', desc: 'login', required: true },
    { name: 'passwd', desc: 'password (up to 72 bytes)', required: true },
    { name: 'ip', desc: 'addresses the namespace answers on, IPv4 and/or IPv6, separated by commas', required: true },
    { name: 'sok', desc: "'ok' to submit the form" },
  ],
  mutates: true,
  parse(raw) {
    const elidRaw = optional(raw, 'elid');
    const elid = elidRaw === undefined ? undefined : parseLogin(elidRaw, 'elid');
    if (!isSubmit(raw)) return { submit: false, elid };
    const creating = elid === undefined;
    const p = validateAll({
      name: () => (creating ? parseLogin(raw.name ?? '', 'name') : undefined),
      passwd: () => (creating || optional(raw, 'passwd') !== undefined ? parsePassword(raw.passwd ?? '', 'passwd') : undefined),
      ips: () => (creating || optional(raw, 'ip') !== undefined ? parseIpList(raw.ip ?? '') : undefined),
    });
    return { submit: true, elid, ...p };
  },
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    if (!p.submit) {
      if (p.elid === undefined) return { kind: 'form', fields: { name: '', passwd: '', ip: '' } };
      const a = managedAccount(db, actor, p.elid);
      const ns = a.namespaceId === null ? undefined : getNamespace(db, a.namespaceId);
      return { kind: 'form', fields: { elid: a.name, name: a.name, passwd: '', ip: ns?.ips.join(', ') ?? '' } };
    }
    if (p.elid === undefined) {
      await createUser(app, actor.account?.level === Level.reseller ? actor.account.id : null, p.name as Login, p.passwd as Password, p.ips as IpAddress[]);
    } else {
      await changeUser(app, managedAccount(db, actor, p.elid), p.passwd, p.ips);
    }
    return { kind: 'ok' };
  },
});

function parseIpList(raw: string): IpAddress[] {
  const items = raw.split(/[\s,]+/).filter(Boolean);
  if (items.length === 0) throw new ValidationError({ param: 'ip', value: raw, reason: 'expected at least one IPv4 or IPv6 address' });
  if (items.length > 16) throw new ValidationError({ param: 'ip', value: raw, reason: 'at most 16 addresses' });
  return [...new Set(items.map((i) => parseIpAddress(i, 'ip')))];
}

function checkIpsFree(app: App, ips: readonly IpAddress[], namespaceId?: number): void {
  for (const ip of ips) {
    const owner = namespaceOfIp(app.db, ip);
    if (owner !== undefined && owner !== namespaceId) throw new ExistsError('ip', ip, `Address '${ip}' is already used by another namespace`);
  }
}

async function createUser(app: App, resellerId: number | null, name: Login, passwd: Password, ips: IpAddress[]): Promise<void> {
  const db = app.db;
  const hash = await hashPassword(passwd);
  const id = writeTx(db, () => {
    if (findAccount(db, name)) throw new ExistsError('user', name);
    if (db.prepare('SELECT 1 FROM namespace WHERE name = ?').get(name)) throw new ExistsError('namespace', name);
    checkIpsFree(app, ips);
    const namespaceId = insertNamespace(db, name, ips, []);
    return insertAccount(db, { name, level: Level.user, resellerId, passwordHash: hash, disabled: false, namespaceId });
  });
  await syncOrUndo(app, () => {
    const a = db.prepare('SELECT namespace_id FROM account WHERE id = ?').get(id) as { namespace_id: number };
    deleteAccount(db, id);
    deleteNamespace(db, a.namespace_id);
  });
}

async function changeUser(app: App, account: Account, passwd: Password | undefined, ips: IpAddress[] | undefined): Promise<void> {
  const db = app.db;
  if (passwd !== undefined) {
    const hash = await hashPassword(passwd);
    writeTx(db, () => updatePasswordHash(db, account.id, hash));
  }
  if (ips === undefined || account.namespaceId === null) return;
  const nsId = account.namespaceId;
  const before = getNamespace(db, nsId)?.ips ?? [];
  if (before.join(',') === [...ips].sort().join(',')) return;
  writeTx(db, () => {
    checkIpsFree(app, ips, nsId);
    setNamespaceIps(db, nsId, ips);
  });
  await syncOrUndo(app, () => setNamespaceIps(db, nsId, before));
}

/** Applies the namespaces to named; when named refuses, the database change is undone and named gets the old state back. */
async function syncOrUndo(app: App, undo: () => void): Promise<void> {
  try {
    await syncViews(app);
  } catch (err) {
    writeTx(app.db, undo);
    await syncViews(app).catch(() => undefined);
    throw err;
  }
}

export const userDelete = defineFunc({
  name: 'user.delete',
  kind: 'action',
  minLevel: Level.admin,
  desc: 'Delete users (elid=<login>[, <login>…]) with their zones and, when nobody else uses it, their namespace',
  params: [{ name: 'elid', desc: 'logins to delete, separated by commas', required: true }],
  mutates: true,
  parse: (raw) => ({ names: parseLoginList(raw.elid ?? '', 'elid') }),
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    for (const name of p.names) {
      const account = findAccount(db, name);
      if (!account) continue;
      managedAccount(db, actor, name);
      await deleteUser(app, account);
    }
    return { kind: 'ok' };
  },
});

async function deleteUser(app: App, account: Account): Promise<void> {
  const db = app.db;
  // Zones go first, through the same pending-change path as domain.delete, so a process killed here is finished later.
  const claim = newClaim();
  const ids = writeTx(db, () => {
    const zones = db.prepare('SELECT id FROM zone WHERE owner_id = ?').all(account.id) as { id: number }[];
    for (const z of zones) markForDelete(db, z.id, claim);
    return zones.map((z) => z.id);
  });
  for (const id of ids) await applyOrRevert(app, id, claim);
  const ns = account.namespaceId === null ? undefined : getNamespace(db, account.namespaceId);
  const dropNamespace = writeTx(db, () => {
    deleteAccount(db, account.id);
    if (ns && !namespaceInUse(db, ns.id)) {
      deleteNamespace(db, ns.id);
      return true;
    }
    return false;
  });
  if (ns && dropNamespace) {
    await syncViews(app);
    app.backend.forgetView(ns.name);
  }
}
