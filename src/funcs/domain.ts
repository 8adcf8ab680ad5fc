// domain, domain.edit, domain.delete: slave zones in their owner's namespace.
import { AccessError, ExistsError, LimitError, missingParam, NotFoundError, ToolError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import { parseMasterList } from '../model/address';
import type { IpAddress } from '../model/address';
import { parseOneOf } from '../model/params';
import { parseZoneName, parseZoneNameList } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import type { Actor } from '../model/access';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import { writeTx } from '../store/db';
import type { Db } from '../store/db';
import { findZonesByName, insertZone, LISTING_COLUMNS, listZones, markForDelete, setDesiredMasters } from '../store/zones';
import type { Zone } from '../store/zones';
import { applyOrRevert } from '../sync/zones';
import { newClaim } from './app';
import type { App } from './app';
import { conflictingZone, restrictedBy, selfAndParents } from '../model/ownership';
import type { ZoneClaim } from '../model/ownership';
import { accountName, getAccount, usersOf, zoneCount } from '../store/accounts';
import type { Account } from '../store/accounts';
import { writePasswd } from '../sync/passwd';
import { poolAddressesAmong } from '../store/ipaddrs';
import { resetHealth } from '../store/health';
import { sayReasons } from '../health/reasons';
import { parseListFilter } from './lists';
import { defineFunc, isSubmit, optional, optionalLogin, validateAll } from './registry';
import { visibleOwnerIds, zoneOwner, managedAccount } from './scope';

const DTYPES = ['slave'] as const;

export const domainList = defineFunc({
  name: 'domain',
  kind: 'list',
  minLevel: Level.user,
  desc: msg`Slave zones the caller may see, with what the name server really serves (status ok, waiting, problem, expired)`,
  params: [],
  columns: LISTING_COLUMNS,
  mutates: false,
  parse: (raw) => ({ filter: parseListFilter(raw, { name: 'domain', columns: LISTING_COLUMNS, params: [] }) }),
  async run({ app, actor, lang }, p): Promise<Doc> {
    // SQLite narrows by every column it holds as shown; reason it holds as a keyword and shows in words, so that one is
    // left to dispatch, which filters every list again as shown.
    const inSql = p.filter?.filter((f) => f.column !== 'reason');
    return { kind: 'list', rows: sayReasons(listZones(app.db, visibleOwnerIds(app.db, actor), inSql), lang) };
  },
});

type EditParams =
  | { submit: false; elid?: ZoneName }
  | { submit: true; elid?: ZoneName; name: ZoneName; masters: IpAddress[]; owner?: string };

export const domainEdit = defineFunc<EditParams>({
  name: 'domain.edit',
  kind: 'form',
  minLevel: Level.user,
  desc: msg`Add a slave zone (without elid) or change its masters (elid=<zone>); without sok=ok returns the form values`,
  params: [
    { name: 'elid', desc: msg`zone being edited; empty to add one` },
    { name: 'name', desc: msg`zone name (IDN allowed, stored as punycode)`, required: true },
    { name: 'dtype', desc: msg`zone type: 'slave'` },
    { name: 'masterip', desc: msg`master (primary) addresses, IPv4 or IPv6, separated by commas or spaces (older clients: master)`, required: true },
    { name: 'owner', desc: msg`account the zone belongs to (admins and resellers; default: the caller)` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  mutates: true,
  parse(raw) {
    const elidRaw = optional(raw, 'elid');
    if (!isSubmit(raw)) return { submit: false, elid: elidRaw === undefined ? undefined : parseZoneName(elidRaw, 'elid') };
    const p = validateAll({
      elid: () => (elidRaw === undefined ? undefined : parseZoneName(elidRaw, 'elid')),
      name: () => (optional(raw, 'name') === undefined && elidRaw !== undefined ? undefined : parseZoneName(raw.name ?? '', 'name')),
      dtype: () => parseOneOf(optional(raw, 'dtype') ?? 'slave', 'dtype', DTYPES),
      // Older integrations send the masters as `master` (func=domain.edit&sok=yes&master=IP).
      masters: () => (raw.masterip === undefined && raw.master !== undefined ? parseMasterList(raw.master, 'master') : parseMasterList(raw.masterip ?? '', 'masterip')),
      owner: () => optionalLogin(raw, 'owner'),
    });
    const name = p.name ?? p.elid;
    if (name === undefined) throw new ValidationError(missingParam('name'));
    if (p.elid !== undefined && name !== p.elid) {
      throw new ValidationError({ param: 'name', value: raw.name ?? '', reason: msg`a zone cannot be renamed; expected '${p.elid}'` });
    }
    return { submit: true, elid: p.elid, name, masters: p.masters, owner: p.owner };
  },
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    if (!p.submit) {
      if (p.elid === undefined) {
        return { kind: 'form', fields: { name: '', dtype: 'slave', masterip: '', owner: actor.account?.name ?? '' }, slists: { dtype: [{ key: 'slave', label: 'slave' }] } };
      }
      const z = oneVisibleZone(db, actor, p.elid, undefined);
      return { kind: 'form', fields: { elid: z.name, name: z.name, dtype: z.dtype, masterip: z.masters.join(', '), owner: accountName(db, z.ownerId) }, slists: { dtype: [{ key: 'slave', label: 'slave' }] } };
    }
    refuseOwnAddresses(db, p.masters);
    const claim = newClaim();
    const zoneId = writeTx(db, () => (p.elid === undefined ? createZone(app, actor, p, claim) : editZone(db, actor, p, claim)));
    if (zoneId === undefined) return { kind: 'ok' };
    await applyOrRevert(app, zoneId, claim);
    writePasswd(app);
    return { kind: 'ok' };
  },
});

/** A master on one of this server's own pool addresses would be the slave asking itself. */
function refuseOwnAddresses(db: Db, masters: readonly IpAddress[]): void {
  const own = poolAddressesAmong(db, masters);
  if (own.length > 0) {
    throw new ValidationError(own.map((addr) => ({ param: 'masterip', value: addr, reason: msg`is an address of this server's own pool, not a master` })));
  }
}

/** Inserts the zone, or finds that the very same zone is already there (then nothing changes). */
function createZone(app: App, actor: Actor, p: { name: ZoneName; masters: IpAddress[]; owner?: string }, claim: string): number | undefined {
  const db = app.db;
  const owner = zoneOwner(db, actor, p.owner);
  const same = findZonesByName(db, p.name).find((z) => z.namespaceId === owner.namespaceId);
  if (same) {
    if (same.ownerId === owner.id && same.pending !== 'delete' && same.masters.join(',') === p.masters.join(',')) return undefined;
    throw new ExistsError('domain', p.name, msg`Domain '${p.name}' already exists; edit it (elid=${p.name}) to change its masters`);
  }
  checkMayAdd(app, owner, p.name);
  return insertZone(db, { name: p.name, namespaceId: owner.namespaceId, ownerId: owner.id, masters: p.masters, claim });
}

/** Restricted names, other accounts' zones above or below the name, and the domain limits of the owner and its reseller. */
function checkMayAdd(app: App, owner: Account, name: ZoneName): void {
  const { db, settings } = app;
  const restricted = [...settings.restrictedDomains, ...(db.prepare('SELECT name FROM restricted').all() as { name: string }[]).map((r) => r.name)];
  const hit = restrictedBy(name, restricted);
  if (hit !== undefined) throw new AccessError('domain', name, msg`Domain '${name}' is restricted (${hit}): nobody may add it`);
  const related = db.prepare(`SELECT name, owner_id AS ownerId FROM zone WHERE name IN (SELECT value FROM json_each(?)) OR name LIKE ?`)
    .all(JSON.stringify(selfAndParents(name)), `%.${name}`) as ZoneClaim[];
  const conflict = conflictingZone(name, owner.id, related, { sharedDomains: settings.sharedDomains, insecure: settings.option.insecureDomain, restricted });
  if (conflict) {
    // Say what collides without naming another account's zone: the caller learns nothing it did not ask about.
    const what = conflict.name === name ? msg`Domain '${name}' belongs to another account` : msg`Domain '${name}' overlaps a zone of another account`;
    throw new ExistsError('domain', name, what);
  }
  for (const limited of [owner, owner.resellerId === null ? undefined : getAccount(db, owner.resellerId)]) {
    if (!limited || limited.domainLimit === null) continue;
    const ids = [limited.id, ...(limited.level === Level.reseller ? usersOf(db, limited.id).map((u) => u.id) : [])];
    if (zoneCount(db, ids) >= limited.domainLimit) {
      throw new LimitError('domain', name, msg`'${limited.name}' may have at most ${limited.domainLimit} domains`);
    }
  }
}

function editZone(db: Db, actor: Actor, p: { elid?: ZoneName; masters: IpAddress[]; owner?: string }, claim: string): number | undefined {
  const zone = oneVisibleZone(db, actor, p.elid as ZoneName, p.owner);
  if (zone.pending === 'delete') throw new NotFoundError('domain', zone.name);
  if (zone.masters.join(',') === p.masters.join(',')) return undefined;
  setDesiredMasters(db, zone.id, p.masters, claim);
  // New masters: what the old ones did says nothing any more (and the dead-zone policy starts counting again).
  resetHealth(db, zone.id);
  return zone.id;
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

export const domainDelete = defineFunc({
  name: 'domain.delete',
  kind: 'action',
  minLevel: Level.user,
  desc: msg`Delete slave zones (elid=<zone>[, <zone>…]); a name that does not exist, or is not yours, is not an error: the answer lists the names deleted`,
  params: [
    { name: 'elid', desc: msg`zones to delete, separated by commas`, required: true },
    { name: 'owner', desc: msg`only the zones of this account (when a name is served in several namespaces)` },
  ],
  mutates: true,
  parse: (raw) => validateAll({
    names: () => parseZoneNameList(raw.elid ?? '', 'elid'),
    owner: () => optionalLogin(raw, 'owner'),
  }),
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const claim = newClaim();
    const zones = writeTx(db, () => {
      const found = p.names.flatMap((n) => visibleZones(db, actor, n, p.owner));
      for (const z of found) markForDelete(db, z.id, claim);
      return found;
    });
    const ids = zones.map((z) => z.id);
    const failures: ToolError[] = [];
    for (const id of ids) {
      await applyOrRevert(app, id, claim).catch((err: unknown) => {
        if (!(err instanceof ToolError)) throw err;
        failures.push(err);
      });
    }
    if (ids.length > 0) writePasswd(app);
    if (failures[0]) throw failures[0];
    // Another account's zone answers as a name that does not exist does (OK), but only the names really deleted are
    // listed, so a client can tell; a name served in two namespaces is listed once.
    return { kind: 'ok', rows: [...new Set(zones.map((z) => z.name))].map((name) => ({ deleted: name })) };
  },
});
