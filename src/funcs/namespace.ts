// namespace, namespace.edit, namespace.delete: the views, and each one's DNS settings (who may transfer its zones).
import { AccessError, ExistsError, NotFoundError } from '../errors';
import { msg } from '../i18n/msg';
import type { Actor } from '../model/access';
import { isAdmin } from '../model/access';
import { formatAllowTransfer, parseAllowTransferList } from '../model/address';
import { parseLogin } from '../model/account-name';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import type { Db } from '../store/db';
import { writeTx } from '../store/db';
import { getAccount } from '../store/accounts';
import { freeAssignedIn, getAddress } from '../store/ipaddrs';
import { deleteNamespace, findNamespace, namespaceInUse, namespaceListing, seesNamespace, setAllowTransfer } from '../store/namespaces';
import type { NamespaceViewer } from '../store/namespaces';
import type { Namespace } from '../store/namespaces';
import { syncViews } from '../sync/views';
import { syncOrUndo } from './account-ops';
import { parseLoginList, sqlListDoc } from './lists';
import { defineFunc, isSubmit } from './registry';

/** Admins see every namespace; a reseller its own, its users' and those on its pool; a user the one its zones go to. */
function viewer(actor: Actor): NamespaceViewer {
  const me = actor.account;
  if (isAdmin(actor)) return undefined;
  return me === undefined ? null : { id: me.id, namespaceId: me.namespaceId ?? null, reseller: actor.level >= Level.reseller };
}

/** Changing a namespace's settings: admins; its owner; the reseller of its owner or of its addresses. */
export function canChange(db: Db, actor: Actor, ns: Namespace): boolean {
  if (isAdmin(actor)) return true;
  const me = actor.account;
  if (!me) return false;
  if (ns.ownerId === me.id) return true;
  if (actor.level < Level.reseller) return false;
  const owner = ns.ownerId === null ? undefined : getAccount(db, ns.ownerId);
  return owner?.resellerId === me.id || ns.ips.some((ip) => getAddress(db, ip)?.holderId === me.id);
}

function visible(db: Db, actor: Actor, name: string): Namespace {
  const ns = findNamespace(db, name);
  if (!ns || !seesNamespace(db, viewer(actor), ns.id)) throw new NotFoundError('namespace', name);
  return ns;
}

export const namespaceList = defineFunc({
  name: 'namespace', kind: 'list', minLevel: Level.user, mutates: false, params: [],
  desc: msg`DNS namespaces: the addresses their zones answer on, accounts, zones and who may transfer them`,
  columns: ['name', 'owner', 'ip', 'accounts', 'domains', 'allow_transfer'],
  // A provider has thousands, one per account: SQLite reads the page asked for, as viewer() says who sees which.
  pagesItself: true,
  parse: () => ({}),
  async run({ app, actor, list }): Promise<Doc> {
    return sqlListDoc(app.db, namespaceListing(viewer(actor)), list);
  },
});

type EditParams = { elid: string; submit: boolean; allowTransfer?: string };

export const namespaceEdit = defineFunc<EditParams>({
  name: 'namespace.edit', kind: 'form', minLevel: Level.user, mutates: true,
  desc: msg`A namespace's DNS settings: allow_transfer (none, any, or addresses and prefixes) written into each of its zones`,
  params: [
    { name: 'elid', desc: msg`the namespace`, required: true },
    { name: 'allow_transfer', desc: msg`slave servers allowed to transfer its zones: 'none', 'any', or addresses/prefixes separated by commas` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  parse: (raw) => ({
    elid: parseLogin(raw.elid ?? '', 'elid'),
    submit: isSubmit(raw),
    allowTransfer: isSubmit(raw) ? formatAllowTransfer(parseAllowTransferList(raw.allow_transfer ?? '', 'allow_transfer')) : undefined,
  }),
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const ns = visible(db, actor, p.elid);
    if (!p.submit || p.allowTransfer === undefined) {
      return { kind: 'form', fields: { elid: ns.name, name: ns.name, ip: ns.ips.join(', '), allow_transfer: ns.allowTransfer } };
    }
    if (!canChange(db, actor, ns)) throw new AccessError('namespace', ns.name);
    if (p.allowTransfer === ns.allowTransfer) return { kind: 'ok' };
    const before = ns.allowTransfer;
    writeTx(db, () => setAllowTransfer(db, ns.id, p.allowTransfer as string));
    // Its zones get the new list in their clauses (modzone each, no reconfig).
    await syncOrUndo(app, [ns.id], () => setAllowTransfer(db, ns.id, before));
    return { kind: 'ok' };
  },
});

export const namespaceDelete = defineFunc({
  name: 'namespace.delete', kind: 'action', minLevel: Level.user, mutates: true,
  desc: msg`Delete namespaces no account and no zone uses; their addresses stay in the pool`,
  params: [{ name: 'elid', desc: msg`namespaces, separated by commas`, required: true }],
  parse: (raw) => ({ names: parseLoginList(raw.elid ?? '', 'elid') }),
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const targets = p.names.map((n) => findNamespace(db, n)).filter((ns): ns is Namespace => ns !== undefined && seesNamespace(db, viewer(actor), ns.id));
    for (const ns of targets) if (!canChange(db, actor, ns)) throw new AccessError('namespace', ns.name);
    // Checked in the transaction that deletes: an account or zone joining meanwhile is either seen or comes after.
    writeTx(db, () => {
      for (const ns of targets) {
        if (namespaceInUse(db, ns.id)) throw new ExistsError('namespace', ns.name, msg`Namespace '${ns.name}' is still used by accounts or zones`);
      }
      for (const ns of targets) {
        freeAssignedIn(db, ns.id);
        deleteNamespace(db, ns.id);
      }
    });
    // A namespace with no zones has nothing in named; one that had a view of its own loses it (syncViews forgets it).
    await syncViews(app, []);
    return { kind: 'ok' };
  },
});

