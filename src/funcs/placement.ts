// Where a new account's zones go: a namespace of its own on addresses from the creator's pool, or an existing
// namespace it joins (a reseller's own, or one on a shared or mutual address).
import { AccessError, ExistsError, LimitError, NotFoundError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { Settings } from '../files/settings';
import type { Actor } from '../model/access';
import { isAdmin } from '../model/access';
import { ipFamily } from '../model/address';
import type { IpAddress } from '../model/address';
import { Level } from '../model/level';
import type { Db } from '../store/db';
import { getAddress, poolOf, updateAddress } from '../store/ipaddrs';
import type { PoolAddress } from '../store/ipaddrs';
import { findNamespace, getNamespace, insertNamespace } from '../store/namespaces';
import type { Namespace } from '../store/namespaces';

/** `auto` takes the first free address of the family; an address names one. */
export type AddressRequest = IpAddress | 'auto';

export type Placement =
  | { kind: 'own'; ip?: AddressRequest; ip6?: AddressRequest }
  | { kind: 'join'; namespace?: string; ip?: IpAddress };

/** The pool an actor gives addresses from: a reseller's own, or the admin's (null). */
export function poolHolder(actor: Actor): number | null {
  return actor.level === Level.reseller && actor.account ? actor.account.id : null;
}

/** Takes free addresses from the creator's pool for a new namespace; throws when there are none. */
export function pickAddresses(db: Db, settings: Settings, holderId: number | null, p: { ip?: AddressRequest; ip6?: AddressRequest }): PoolAddress[] {
  const picked: PoolAddress[] = [];
  const wanted: [AddressRequest | undefined, 4 | 6][] = [[p.ip ?? (p.ip6 === undefined ? 'auto' : undefined), 4], [p.ip6, 6]];
  for (const [request, family] of wanted) {
    if (request === undefined) continue;
    if (family === 6 && !settings.option.allowIpV6) {
      throw new ValidationError({ param: 'ip6', value: request, reason: msg`IPv6 addresses need Option AllowIpV6 in dnsmgr.conf` });
    }
    picked.push(pickOne(db, holderId, request, family));
  }
  return picked;
}

function pickOne(db: Db, holderId: number | null, request: AddressRequest, family: 4 | 6): PoolAddress {
  const param = family === 4 ? 'ip' : 'ip6';
  if (request === 'auto') {
    const free = poolOf(db, holderId).find((a) => a.family === family && a.status === 'free' && a.namespaceId === null);
    if (!free) throw new LimitError('ipaddr', '', msg`No free IPv${family} address left in the pool: add one first`);
    return free;
  }
  if (ipFamily(request) !== family) throw new ValidationError({ param, value: request, reason: msg`expected an IPv${family} address` });
  const a = getAddress(db, request);
  if (!a || a.holderId !== holderId) throw new NotFoundError('ipaddr', request);
  if (a.status !== 'free' || a.namespaceId !== null) throw new ExistsError('ipaddr', request, msg`Address ${request} is not free (${a.status})`);
  return a;
}

/** Creates the account's own namespace on the picked addresses, which become assigned to it. */
export function createOwnNamespace(db: Db, name: string, accountId: number, addresses: readonly PoolAddress[], holderId: number | null): number {
  if (findNamespace(db, name)) throw new ExistsError('namespace', name);
  const nsId = insertNamespace(db, name, accountId);
  for (const a of addresses) updateAddress(db, a.addr, { status: 'assigned', assigneeId: accountId, namespaceId: nsId, holderId });
  return nsId;
}

/** The namespace a new account joins, checked against what the creator may hand out. */
export function namespaceToJoin(db: Db, actor: Actor, p: { namespace?: string; ip?: IpAddress }): Namespace {
  const holder = poolHolder(actor);
  if (p.ip !== undefined) {
    const a = getAddress(db, p.ip);
    if (!a || (!isAdmin(actor) && a.holderId !== holder)) throw new NotFoundError('ipaddr', p.ip);
    if (a.status !== 'shared' && a.status !== 'mutual') throw new AccessError('ipaddr', p.ip, msg`Address ${p.ip} is ${a.status}: only shared and mutual addresses can be joined`);
    return getNamespace(db, a.namespaceId ?? sharedNamespaceFor(db, a))!;
  }
  const ownOfReseller = actor.level === Level.reseller && actor.account?.namespaceId != null ? getNamespace(db, actor.account.namespaceId) : undefined;
  const ns = p.namespace === undefined ? ownOfReseller : findNamespace(db, p.namespace);
  if (!ns) {
    if (p.namespace === undefined) throw new ValidationError({ param: 'namespace', value: '', reason: msg`name the namespace (or the shared address) to join` });
    throw new NotFoundError('namespace', p.namespace);
  }
  if (isAdmin(actor) || ns.id === ownOfReseller?.id) return ns;
  const joinable = ns.ips.some((ip) => {
    const a = getAddress(db, ip);
    return a !== undefined && a.holderId === holder && (a.status === 'shared' || a.status === 'mutual');
  });
  if (!joinable) throw new AccessError('namespace', ns.name, msg`Namespace '${ns.name}' is not yours to share`);
  return ns;
}

/** A shared or mutual address gets its namespace when the first account joins it. */
function sharedNamespaceFor(db: Db, a: PoolAddress): number {
  const name = `shared-${a.addr.replace(/[.:]/g, '-')}`;
  const nsId = findNamespace(db, name)?.id ?? insertNamespace(db, name, a.holderId);
  updateAddress(db, a.addr, { namespaceId: nsId });
  return nsId;
}
