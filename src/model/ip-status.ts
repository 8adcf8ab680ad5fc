// The rules of the address pool (the second seed, adapted from WWW domains to namespaces). Pure; no I/O.
//   hidden   - not used by dnsmgr at all (not offered, not bound)
//   free     - unused; may be given to a user or reseller
//   shared   - answers for a namespace any account without an address of its own may join
//   assigned - belongs to one account; that account's namespace answers on it
//   mutual   - belongs to a group of accounts sharing one namespace on it
// A reseller's address is "assigned to the reseller" for the admin and has its own status inside the reseller's pool.
import { msg } from '../i18n/msg';
import type { Msg, MsgArg } from '../i18n/msg';

export const IP_STATUSES = ['hidden', 'free', 'shared', 'assigned', 'mutual'] as const;
export type IpStatus = (typeof IP_STATUSES)[number];

export interface AddressFacts {
  addr: string;
  status: IpStatus;
  holderId: number | null;
  assigneeId: number | null;
}

export interface MemberFacts {
  id: number;
  name: string;
  resellerId: number | null;
}

/** The namespace an address answers for, with the accounts whose zones live there. */
export interface NamespaceUse {
  name: string;
  members: readonly MemberFacts[];
}

/** What the viewer sees: the admin sees an address in a reseller's pool as assigned to that reseller. */
export function statusSeenBy(a: AddressFacts, viewerHolderId: number | null): { status: IpStatus; assigneeId: number | null } {
  if (viewerHolderId === null && a.holderId !== null) return { status: 'assigned', assigneeId: a.holderId };
  return { status: a.status, assigneeId: a.assigneeId };
}

/**
 * Why changing the address to `next` would cut a namespace member off; undefined when the change is allowed.
 * A member keeps access to an assigned address when it is the assignee or one of the assignee's users.
 */
export function statusChangeProblem(a: AddressFacts, next: { status: IpStatus; assigneeId: number | null }, use: NamespaceUse | undefined): Msg | undefined {
  if (!use) return undefined;
  if (next.status === 'free' || next.status === 'hidden') {
    return msg`address ${a.addr} answers for namespace '${use.name}' (${names(use.members)}); a ${next.status} address may not`;
  }
  if (next.status === 'assigned') {
    const cut = next.assigneeId === null ? [...use.members] : use.members.filter((m) => m.id !== next.assigneeId && m.resellerId !== next.assigneeId);
    if (cut.length > 0) return msg`address ${a.addr} answers for namespace '${use.name}': ${names(cut)} would lose it`;
  }
  return undefined;
}

/** Whether a status needs an assignee, may not have one, or either. */
export function needsAssignee(status: IpStatus): boolean {
  return status === 'assigned';
}

function names(members: readonly MemberFacts[]): MsgArg {
  return members.length === 0 ? msg`no account` : members.map((m) => m.name).join(', ');
}
