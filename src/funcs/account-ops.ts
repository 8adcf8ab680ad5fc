// What users and resellers share: creating an account with its namespace, changing it, suspending it, and deleting
// it with everything it owns.
import { randomBytes } from 'node:crypto';
import { msg } from '../i18n/msg';
import { AccessError, ExistsError, LimitError } from '../errors';
import type { Actor } from '../model/access';
import type { Login, Password } from '../model/account-name';
import { Level } from '../model/level';
import {
  deleteAccount, findAccount, getAccount, insertAccount, isPanelAdminLogin, updateAccount, usersOf,
} from '../store/accounts';
import type { Account } from '../store/accounts';
import { writeTx } from '../store/db';
import { freeAssignedIn, freeAssignedTo, poolOf, updateAddress } from '../store/ipaddrs';
import { deleteNamespace, disownNamespaces, getNamespace, namespaceInUse } from '../store/namespaces';
import { getZone, zoneIdsOfOwner } from '../store/zones';
import { endSessionsOf } from '../store/sessions';
import { writePasswd } from '../sync/passwd';
import { syncViews } from '../sync/views';
import { applyZones, markForDeleteWhenFree } from '../sync/zones';
import type { App } from '../app';
import { newClaim } from '../app';
import { hashPassword } from './passwords';
import { createOwnNamespace, namespaceToJoin, pickAddresses, poolHolder } from './placement';
import type { Placement } from './placement';

export interface Limits {
  domainLimit?: number | null;
  userLimit?: number | null;
  ipLimit?: number | null;
}

export interface NewAccountSpec {
  name: Login;
  passwd: Password;
  level: typeof Level.user | typeof Level.reseller;
  placement: Placement;
  limits: Limits;
}

export async function createAccount(app: App, actor: Actor, spec: NewAccountSpec): Promise<void> {
  const { db } = app;
  const hash = await hashPassword(spec.passwd);
  const resellerId = actor.level === Level.reseller && actor.account ? actor.account.id : null;
  const id = writeTx(db, () => {
    if (findAccount(db, spec.name)) throw new ExistsError('user', spec.name, msg`Account '${spec.name}' already exists`);
    if (isPanelAdminLogin(db, spec.name)) throw new ExistsError('user', spec.name, msg`'${spec.name}' is a login of the panel's administrators`);
    if (resellerId !== null) checkResellerMayAdd(app, actor.account as Account, spec.placement);
    const accountId = insertAccount(db, {
      name: spec.name, level: spec.level, resellerId, passwordHash: hash, disabled: false, namespaceId: null, ...spec.limits,
    });
    place(app, actor, accountId, spec.name, spec.level, spec.placement);
    return accountId;
  });
  // A new namespace, or one joined: no zone of any namespace changes place.
  await syncOrUndo(app, [], () => removeAccountRows(app, id));
  writePasswd(app);
}

/** Gives an account without a namespace (one imported from a passwd file, say) its namespace. */
export async function placeExisting(app: App, actor: Actor, account: Account, placement: Placement): Promise<void> {
  const { db } = app;
  writeTx(db, () => {
    if (getAccount(db, account.id)?.namespaceId !== null) {
      throw new ExistsError('namespace', account.name, msg`'${account.name}' already has a namespace; moving an account between namespaces is not supported`);
    }
    place(app, actor, account.id, account.name, account.level, placement);
  });
  await syncOrUndo(app, [], () => {
    const a = getAccount(db, account.id);
    if (a?.namespaceId == null) return;
    updateAccount(db, account.id, { namespaceId: null });
    freeAssignedTo(db, account.id, a.namespaceId);
    if (!namespaceInUse(db, a.namespaceId)) deleteNamespace(db, a.namespaceId);
  });
}

/** Puts the account into its own namespace on addresses from the actor's pool, or into the namespace it joins. */
function place(app: App, actor: Actor, accountId: number, name: string, level: number, placement: Placement): void {
  const { db, settings } = app;
  if (placement.kind === 'own') {
    const holder = poolHolder(actor);
    const addresses = pickAddresses(db, settings, holder, placement);
    // A reseller's own addresses move into its pool: the admin then sees them as assigned to the reseller.
    const nsId = createOwnNamespace(db, name, accountId, addresses, level === Level.reseller ? accountId : holder);
    updateAccount(db, accountId, { namespaceId: nsId });
  } else {
    // Joining may create the namespace of a shared address.
    updateAccount(db, accountId, { namespaceId: namespaceToJoin(db, actor, placement).id });
  }
}

function checkResellerMayAdd(app: App, reseller: Account, placement: Placement): void {
  const users = usersOf(app.db, reseller.id).length;
  if (reseller.userLimit !== null && users >= reseller.userLimit) {
    throw new LimitError('user', reseller.name, msg`Reseller '${reseller.name}' may have at most ${reseller.userLimit} users`);
  }
  const limited = app.settings.limitedResellers.includes(reseller.name as Login);
  if (limited && !(placement.kind === 'join' && placement.namespace === undefined && placement.ip === undefined)) {
    throw new AccessError('namespace', reseller.name, msg`Reseller '${reseller.name}' may only create users inside its own namespace (LimitedResellers)`);
  }
}

/** Undoes an account whose namespace named refused: its addresses go back to their pool as free. */
function removeAccountRows(app: App, id: number): void {
  const account = getAccount(app.db, id);
  if (account) removeAccountRow(app, account);
}

/**
 * Removes the account row and what hangs on it: addresses assigned to it become free in their pool, a reseller's pool
 * goes back to the admin, and its namespace goes too when nobody else uses it. Returns the dropped namespace's name.
 */
function removeAccountRow(app: App, account: Account): string | undefined {
  const { db } = app;
  const ns = account.namespaceId === null ? undefined : getNamespace(db, account.namespaceId);
  freeAssignedTo(db, account.id);
  for (const a of poolOf(db, account.id)) {
    updateAddress(db, a.addr, a.namespaceId === null ? { holderId: null, status: 'free', assigneeId: null } : { holderId: null });
  }
  disownNamespaces(db, account.id);
  deleteAccount(db, account.id);
  if (!ns || namespaceInUse(db, ns.id)) return undefined;
  // Addresses of a namespace nobody uses any more are free again in their pool.
  freeAssignedIn(db, ns.id);
  deleteNamespace(db, ns.id);
  return ns.name;
}

/**
 * Applies the namespaces to named, moving the zones of the namespaces `changed` (syncViews); when named refuses, the
 * database change is undone and named gets the old state back.
 */
export async function syncOrUndo(app: App, changed: readonly number[], undo: () => void): Promise<void> {
  try {
    await syncViews(app, changed);
  } catch (err) {
    writeTx(app.db, undo);
    await syncViews(app, changed).catch(() => undefined);
    throw err;
  }
}

export async function changePassword(app: App, account: Account, passwd: Password): Promise<void> {
  const hash = await hashPassword(passwd);
  writeTx(app.db, () => updateAccount(app.db, account.id, { passwordHash: hash }));
  writePasswd(app);
}

/**
 * The administrator's way back in (`dnsmgr reset-password [LOGIN]` on the server): a new password, the account's
 * sessions ended. Returns the password, which is shown once and stored only as a hash.
 */
export async function resetPassword(app: App, account: Account, given: Password | undefined): Promise<Password> {
  const passwd = given ?? (randomBytes(12).toString('base64url') as Password);
  await changePassword(app, account, passwd);
  writeTx(app.db, () => endSessionsOf(app.db, account.name));
  return passwd;
}

export function changeLimits(app: App, account: Account, limits: Limits): void {
  writeTx(app.db, () => updateAccount(app.db, account.id, limits));
  writePasswd(app);
}

export function setSuspended(app: App, account: Account, disabled: boolean): void {
  writeTx(app.db, () => {
    updateAccount(app.db, account.id, { disabled });
    if (disabled) endSessionsOf(app.db, account.name);
  });
}

/** Deletes an account with its zones, its users (for a reseller), its namespace when nobody else uses it, and returns its addresses. */
export async function deleteAccountCascade(app: App, account: Account): Promise<void> {
  const { db } = app;
  for (const user of usersOf(db, account.id)) await deleteAccountCascade(app, user);
  // Zones go first, through the same pending-change path as domain.delete, so a process killed here is finished later.
  const claim = newClaim();
  const ids = await markForDeleteWhenFree(app, zoneIdsOfOwner(db, account.id), claim);
  const masters = ids.flatMap((id) => { const z = getZone(db, id); return z?.dtype === 'master' ? [z] : []; });
  const outcome = await applyZones(app, ids, claim);
  // Its master zones leave dnsmgr's slave servers too (src/slaves/).
  if (masters.length > 0) (await import('../slaves/push')).pushDeletedMasters(app, masters);
  if (outcome.failed[0]) throw outcome.failed[0].error;
  const dropped = writeTx(db, () => removeAccountRow(app, account));
  // Its namespace had no zones left; a view of its own, if it had one, goes (syncViews forgets it).
  if (dropped !== undefined) await syncViews(app, []);
  writePasswd(app);
}
