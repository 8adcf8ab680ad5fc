// Who may act on what. Pure rules over account facts; no I/O.
import { Level } from './level';

export interface AccountFacts {
  id: number;
  name: string;
  level: number;
  resellerId: number | null;
  namespaceId?: number | null;
}

/** The identity a request acts as: an authenticated caller, possibly switched with su=. */
export interface Actor {
  name: string;
  level: number;
  /** The actor's own account; absent for the panel's root/admin, who need none. */
  account?: AccountFacts;
}

export function isAdmin(actor: Actor): boolean {
  return actor.level >= Level.admin;
}

/** Admins manage everything; a reseller its own users and itself; a user only itself. */
export function canManage(actor: Actor, target: AccountFacts): boolean {
  if (isAdmin(actor)) return target.level < actor.level || target.id === actor.account?.id || actor.level === Level.root;
  if (!actor.account) return false;
  if (target.id === actor.account.id) return true;
  return actor.level >= Level.reseller && target.resellerId === actor.account.id;
}
