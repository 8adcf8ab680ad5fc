// Which accounts and zones a request may see and act on.
import { AccessError, missingParam, NotFoundError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import { canManage, isAdmin } from '../model/access';
import type { Actor } from '../model/access';
import { Level } from '../model/level';
import { findAccount, userIdsOf } from '../store/accounts';
import type { Account } from '../store/accounts';
import type { Db } from '../store/db';
import { findZonesByName } from '../store/zones';
import type { Zone } from '../store/zones';
import type { ZoneName } from '../model/zone-name';

/** Owner ids whose zones the actor sees; undefined = everyone's (admins). */
export function visibleOwnerIds(db: Db, actor: Actor): number[] | undefined {
  if (isAdmin(actor)) return undefined;
  if (!actor.account) return [];
  if (actor.level < Level.reseller) return [actor.account.id];
  return [actor.account.id, ...userIdsOf(db, actor.account.id)];
}

/** An account the actor manages, by login; unknown and foreign accounts look the same to non-admins. */
export function managedAccount(db: Db, actor: Actor, login: string, object: 'user' | 'reseller' = 'user'): Account {
  const account = findAccount(db, login);
  if (!account) throw new NotFoundError(object, login);
  if (!canManage(actor, account)) {
    if (isAdmin(actor)) throw new AccessError(object, login);
    throw new NotFoundError(object, login);
  }
  return account;
}

/** The account a new zone belongs to: the one named by `owner`, or the actor's own; it must have a namespace. */
export function zoneOwner(db: Db, actor: Actor, owner: string | undefined): Account & { namespaceId: number } {
  const account = owner !== undefined ? managedAccount(db, actor, owner) : actor.account && findAccount(db, actor.account.name);
  if (!account || (owner === undefined && account.namespaceId === null)) {
    throw new ValidationError(missingParam('owner', msg`'${actor.name}' has no namespace: act as an account with su=<login> or give owner=<login>`));
  }
  if (account.namespaceId === null) {
    throw new ValidationError({ param: 'owner', value: account.name, reason: msg`the account has no DNS namespace` });
  }
  return account as Account & { namespaceId: number };
}

export function visibleZones(db: Db, actor: Actor, name: ZoneName, owner: string | undefined): Zone[] {
  const owners = visibleOwnerIds(db, actor);
  let zones = findZonesByName(db, name).filter((z) => owners === undefined || owners.includes(z.ownerId));
  if (owner !== undefined) {
    const account = managedAccount(db, actor, owner);
    zones = zones.filter((z) => z.ownerId === account.id);
  }
  return zones;
}

export function oneVisibleZone(db: Db, actor: Actor, name: ZoneName, owner: string | undefined): Zone {
  const zones = visibleZones(db, actor, name, owner);
  const zone = zones[0];
  if (!zone) throw new NotFoundError('domain', name);
  if (zones.length > 1) {
    throw new ValidationError({ param: 'owner', value: '', reason: msg`'${name}' is served in several namespaces: name its owner` });
  }
  return zone;
}
