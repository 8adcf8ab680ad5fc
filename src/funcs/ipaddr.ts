// ipaddr, ipaddr.edit, ipaddr.delete: the pool of addresses used as private name servers.
import { AccessError, ExistsError, LimitError, missingParam, NotFoundError, ToolError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { Actor } from '../model/access';
import { isAdmin } from '../model/access';
import { parseLogin } from '../model/account-name';
import { checkIpAddress, ipFamily, parseIpAddress } from '../model/address';
import { checkEach } from '../model/checked';
import type { IpAddress } from '../model/address';
import { IP_STATUSES, statusChangeProblem, statusSeenBy } from '../model/ip-status';
import type { IpStatus } from '../model/ip-status';
import { Level } from '../model/level';
import { parseOneOf, requireParam } from '../model/params';
import type { Doc } from '../protocol/types';
import { accountName, getAccount } from '../store/accounts';
import type { Db } from '../store/db';
import { writeTx } from '../store/db';
import { addressListing, deleteAddress, getAddress, insertAddress, poolOf, updateAddress } from '../store/ipaddrs';
import type { PoolAddress } from '../store/ipaddrs';
import { getNamespace, namespaceMembers } from '../store/namespaces';
import { syncViews } from '../sync/views';
import { syncOrUndo } from './account-ops';
import type { App } from '../app';
import type { IpmanagerAccount } from '../system/ipmanager';
import { bindAddresses, unbindAddress } from './interface';
import { poolHolder } from './placement';
import { sqlListDoc } from './lists';
import { defineFunc, isSubmit, optional, validateAll } from './registry';
import { managedAccount } from './scope';

/**
 * Gives an unbound address back to IPmanager (marked free there). Should IPmanager not take it (down, refusing), it is
 * bound again and stays in the pool: never gone here while still taken there.
 */
async function giveBack(app: App, a: PoolAddress): Promise<void> {
  const ipmanager = app.settings.ipmanager;
  try {
    if (ipmanager === undefined) throw new ToolError('IPmanager ip.delete', undefined, '', msg`dnsmgr.conf names no IPmanager to give ${a.addr} back to`);
    const { releaseAddress } = await import('../system/ipmanager');
    await releaseAddress(ipmanager, a.addr);
  } catch (err) {
    if (a.status !== 'hidden') await bindAddresses(app.settings, [a.addr]).catch(() => undefined);
    throw err;
  }
}

/** An address in the actor's view: the admin sees all, a reseller its pool; anything else does not exist. */
function visibleAddress(db: Db, actor: Actor, addr: string): PoolAddress {
  const a = getAddress(db, addr);
  if (!a || (!isAdmin(actor) && a.holderId !== poolHolder(actor))) throw new NotFoundError('ipaddr', addr);
  return a;
}

export const ipaddrList = defineFunc({
  name: 'ipaddr', kind: 'list', minLevel: Level.reseller, mutates: false, params: [],
  desc: msg`Pool addresses with status (hidden, free, shared, assigned, mutual), owner and namespace`,
  columns: ['name', 'family', 'status', 'owner', 'namespace'],
  // A provider's pool holds an address per namespace, thousands: SQLite reads the page asked for, each address as
  // statusSeenBy has the caller see it.
  pagesItself: true,
  parse: () => ({}),
  async run({ app, actor, list }): Promise<Doc> {
    return sqlListDoc(app.db, addressListing(isAdmin(actor) ? undefined : poolHolder(actor)), list);
  },
});

const SLISTS = {
  status: IP_STATUSES.map((s) => ({ key: s, label: s })),
  family: [{ key: 'ipv4', label: 'IPv4' }, { key: 'ipv6', label: 'IPv6' }],
};

type EditParams =
  | { submit: false; elid?: IpAddress }
  | { submit: true; elid?: IpAddress; name?: IpAddress | 'auto'; family: 4 | 6; status?: IpStatus; assignee?: string };

export const ipaddrEdit = defineFunc<EditParams>({
  name: 'ipaddr.edit', kind: 'form', minLevel: Level.reseller, mutates: true,
  desc: msg`Add an address to the pool (admin: any address, bound to the interface; reseller: a free one of the admin's, or 'auto'), or change its status (elid=<address>)`,
  params: [
    { name: 'elid', desc: msg`address being edited; empty to add one` },
    { name: 'name', desc: msg`the address (a reseller may give 'auto')` },
    { name: 'family', desc: msg`with name=auto: 'ipv4' (default) or 'ipv6'` },
    { name: 'status', desc: msg`hidden, free, shared, assigned or mutual` },
    { name: 'assignee', desc: msg`status assigned: the account it belongs to` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  parse(raw) {
    const elidRaw = optional(raw, 'elid');
    const elid = elidRaw === undefined ? undefined : parseIpAddress(elidRaw, 'elid');
    if (!isSubmit(raw)) return { submit: false, elid };
    const p = validateAll({
      name: () => { const n = optional(raw, 'name'); return n === undefined ? undefined : n.trim().toLowerCase() === 'auto' ? 'auto' as const : parseIpAddress(n, 'name'); },
      family: () => (parseOneOf(optional(raw, 'family') ?? 'ipv4', 'family', ['ipv4', 'ipv6'] as const) === 'ipv4' ? 4 as const : 6 as const),
      status: () => { const s = optional(raw, 'status'); return s === undefined ? undefined : parseOneOf(s, 'status', IP_STATUSES); },
      assignee: () => { const a = optional(raw, 'assignee'); return a === undefined ? undefined : parseLogin(a, 'assignee'); },
    });
    return { submit: true, elid, ...p };
  },
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    if (!p.submit) {
      if (p.elid === undefined) return { kind: 'form', fields: { name: '', family: 'ipv4', status: 'free', assignee: '' }, slists: SLISTS };
      const a = visibleAddress(db, actor, p.elid);
      const seen = statusSeenBy(a, isAdmin(actor) ? null : poolHolder(actor));
      return { kind: 'form', fields: { elid: a.addr, name: a.addr, family: `ipv${a.family}`, status: seen.status, assignee: accountName(db, seen.assigneeId) }, slists: SLISTS };
    }
    if (p.elid !== undefined) {
      changeStatus(db, actor, visibleAddress(db, actor, p.elid), p.status, p.assignee);
      // Into or out of hidden: named stops or starts listening there (a reconfig only then).
      await syncViews(app, []);
      return { kind: 'ok' };
    }
    const ipmanager = app.settings.ipmanager;
    if (ipmanager !== undefined) await addFromIpmanager(app, actor, p, ipmanager);
    else if (isAdmin(actor)) await addToAdminPool(app, p);
    else takeIntoResellerPool(db, actor, p);
    return { kind: 'ok' };
  },
});

type NewAddress = { name?: IpAddress | 'auto'; family: 4 | 6; status?: IpStatus };

/** What a new address of the admin's may be: its status, and IPv6 only where allowed. */
function checkNewAddress(app: App, p: NewAddress, family: 4 | 6): IpStatus {
  const status = p.status ?? 'free';
  if (status === 'assigned' || status === 'mutual') throw new ValidationError({ param: 'status', value: status, reason: msg`a new address is hidden, free or shared; assign it to an account afterwards` });
  if (family === 6 && !app.settings.option.allowIpV6) throw new ValidationError({ param: 'name', value: p.name ?? 'ipv6', reason: msg`IPv6 addresses need Option AllowIpV6 in dnsmgr.conf` });
  return status;
}

async function addToAdminPool(app: App, p: NewAddress): Promise<void> {
  if (p.name === undefined || p.name === 'auto') throw new ValidationError({ param: 'name', value: p.name ?? '', reason: msg`the administrator adds a specific address` });
  const addr = p.name;
  const status = checkNewAddress(app, p, ipFamily(addr));
  await joinPool(app, { addr, family: ipFamily(addr), status, holderId: null, assigneeId: null, namespaceId: null });
}

/**
 * The address enters the pool and is bound (hidden ones are not), and the name server listens there (one reconfig:
 * an address given to a namespace later needs none). Any step failing undoes the earlier ones (`undo` as well).
 */
async function joinPool(app: App, a: PoolAddress, undo: () => Promise<void> = async () => undefined): Promise<void> {
  const { db, settings } = app;
  try {
    writeTx(db, () => {
      if (getAddress(db, a.addr)) throw new ExistsError('ipaddr', a.addr, msg`Address ${a.addr} is already in the pool`);
      insertAddress(db, a);
    });
  } catch (err) {
    // Already in the pool: IPmanager gave out an address used here. It stays allocated there (it is in use), nothing changes here.
    if (!(err instanceof ExistsError)) await undo();
    throw err;
  }
  try {
    if (a.status !== 'hidden') await bindAddresses(settings, [a.addr]);
  } catch (err) {
    writeTx(db, () => deleteAddress(db, a.addr));
    await undo();
    throw err;
  }
  await syncOrUndo(app, [], () => deleteAddress(db, a.addr)).catch(async (err: unknown) => {
    if (a.status !== 'hidden') await unbindAddress(settings, a.addr).catch(() => undefined);
    await undo();
    throw err;
  });
}

/**
 * With IPmanager (dnsmgr.conf's IPmanager): the address is allocated there first — the one named, or any of the family
 * ('auto', or no name) — then joins the pool and is bound here; the admin's stays the admin's, a reseller's is its own
 * (within its limit). Should anything here fail, it is given back to IPmanager: nothing is bound or kept half-way.
 */
async function addFromIpmanager(app: App, actor: Actor, p: NewAddress, ipmanager: IpmanagerAccount): Promise<void> {
  const { db } = app;
  const named = p.name !== undefined && p.name !== 'auto' ? p.name : undefined;
  const family = named !== undefined ? ipFamily(named) : p.family;
  const holderId = isAdmin(actor) ? null : actor.account?.id;
  if (holderId === undefined) throw new AccessError('ipaddr', '');
  const status = holderId === null ? checkNewAddress(app, p, family) : 'free';
  if (holderId !== null) {
    const limit = getAccount(db, holderId)?.ipLimit ?? null;
    if (limit !== null && poolOf(db, holderId).length >= limit) throw new LimitError('ipaddr', actor.name, msg`Reseller '${actor.name}' may hold at most ${limit} addresses`);
    if (family === 6 && !app.settings.option.allowIpV6) throw new ValidationError({ param: 'name', value: p.name ?? 'ipv6', reason: msg`IPv6 addresses need Option AllowIpV6 in dnsmgr.conf` });
  }
  if (named !== undefined && getAddress(db, named)) throw new ExistsError('ipaddr', named, msg`Address ${named} is already in the pool`);
  const { allocateAddress, releaseAddress } = await import('../system/ipmanager');
  const addr = await allocateAddress(ipmanager, family, named);
  await joinPool(app, { addr, family, status, holderId, assigneeId: null, namespaceId: null, fromIpmanager: true },
    () => releaseAddress(ipmanager, addr).catch(() => undefined));
}

function takeIntoResellerPool(db: Db, actor: Actor, p: { name?: IpAddress | 'auto'; family: 4 | 6 }): void {
  const reseller = actor.account;
  if (!reseller) throw new AccessError('ipaddr', '');
  writeTx(db, () => {
    const limit = getAccount(db, reseller.id)?.ipLimit ?? null;
    if (limit !== null && poolOf(db, reseller.id).length >= limit) throw new LimitError('ipaddr', reseller.name, msg`Reseller '${reseller.name}' may hold at most ${limit} addresses`);
    const free = poolOf(db, null).filter((a) => a.status === 'free' && a.namespaceId === null);
    // The address asked for if it is free, otherwise the first free one.
    const named = p.name !== undefined && p.name !== 'auto' ? free.find((a) => a.addr === p.name) : undefined;
    const pick = named ?? free.find((a) => a.family === (p.name !== undefined && p.name !== 'auto' ? ipFamily(p.name) : p.family));
    if (!pick) throw new LimitError('ipaddr', p.name ?? '', msg`No free address left in the pool`);
    updateAddress(db, pick.addr, { holderId: reseller.id, status: 'free', assigneeId: null });
  });
}

function changeStatus(db: Db, actor: Actor, a: PoolAddress, status: IpStatus | undefined, assignee: string | undefined): void {
  if (status === undefined) throw new ValidationError(missingParam('status'));
  writeTx(db, () => {
    const assigneeAccount = status === 'assigned' ? (assignee === undefined ? undefined : managedAccount(db, actor, assignee)) : undefined;
    if (status === 'assigned' && !assigneeAccount) throw new ValidationError({ param: 'assignee', value: '', reason: msg`an assigned address needs the account it belongs to` });
    const next = { status, assigneeId: assigneeAccount?.id ?? null };
    const ns = a.namespaceId === null ? undefined : getNamespace(db, a.namespaceId);
    const use = ns && { name: ns.name, members: namespaceMembers(db, ns.id).map((m) => ({ id: m.id, name: m.name, resellerId: getAccount(db, m.id)?.resellerId ?? null })) };
    // The admin taking back an address from a reseller's pool: only when no namespace answers on it.
    const takeBack = isAdmin(actor) && a.holderId !== null;
    if (takeBack && !(status === 'assigned' && assigneeAccount?.id === a.holderId)) {
      if (use) throw new ExistsError('ipaddr', a.addr, msg`Address ${a.addr} answers for namespace '${use.name}' of reseller '${accountName(db, a.holderId)}'`);
      updateAddress(db, a.addr, { holderId: null, ...next });
      return;
    }
    if (takeBack) return;
    const problem = statusChangeProblem(a, next, use);
    if (problem) throw new AccessError('ipaddr', a.addr, msg`Status of ${a.addr} not changed: ${problem}`);
    updateAddress(db, a.addr, next);
  });
}

export const ipaddrDelete = defineFunc({
  name: 'ipaddr.delete', kind: 'action', minLevel: Level.reseller, mutates: true,
  desc: msg`Remove addresses from the pool (admin: unbound from the interface; reseller: returned to the admin, free); an address in use stays`,
  params: [{ name: 'elid', desc: msg`addresses, separated by commas`, required: true }],
  parse: (raw) => ({ addrs: checkEach(requireParam(raw, 'elid').split(',').map((s) => s.trim()).filter(Boolean), 'elid', checkIpAddress) }),
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const targets = p.addrs.map((addr) => (getAddress(db, addr) ? visibleAddress(db, actor, addr) : undefined)).filter((a): a is PoolAddress => a !== undefined);
    for (const a of targets) {
      if (a.namespaceId !== null) throw new ExistsError('ipaddr', a.addr, msg`Address ${a.addr} answers for namespace '${getNamespace(db, a.namespaceId)?.name ?? ''}': move or delete that first`);
    }
    // An address allocated in IPmanager leaves the pool whoever deletes it: unbound here, then given back there.
    const fromIpmanager = targets.filter((a) => a.fromIpmanager === true);
    const own = targets.filter((a) => a.fromIpmanager !== true);
    if (!isAdmin(actor)) {
      writeTx(db, () => { for (const a of own) updateAddress(db, a.addr, { holderId: null, status: 'free', assigneeId: null }); });
    }
    for (const a of isAdmin(actor) ? targets : fromIpmanager) {
      if (a.status !== 'hidden') await unbindAddress(app.settings, a.addr);
      if (a.fromIpmanager === true) await giveBack(app, a);
      writeTx(db, () => deleteAddress(db, a.addr));
    }
    // named stops listening there (one reconfig). Should named refuse, the addresses are gone all the same: listening
    // on an address the host no longer has is harmless, and the next change of the pool writes the list again.
    if (isAdmin(actor) ? targets.length > 0 : fromIpmanager.length > 0) await syncViews(app, []);
    return { kind: 'ok' };
  },
});
