// domain, domain.edit, domain.delete: slave zones in their owner's namespace.
import { restrictedNames } from '../store/restricted';
import type { InvalidParam } from '../errors';
import { AccessError, DnsmgrError, ExistsError, LimitError, missingParam, NotFoundError, ToolError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import { ipFamily, parseIpAddress, parseMasterList } from '../model/address';
import { parseEmail, parseHostList } from '../model/record';
import { defaultRecords } from '../dns/zone-file';
import { zoneNameServers } from '../model/dns-settings';
import { addRecords, getZoneSoa, setZoneSoa } from '../store/records';
import type { ZoneSoa } from '../store/records';
import { getDnsSettings } from '../store/dns-settings';
import { parseYesNo } from '../model/params';
import type { IpAddress } from '../model/address';
import { parseOneOf } from '../model/params';
import { parseZoneName, parseZoneNameList } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import type { Actor } from '../model/access';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import { now, writeTx } from '../store/db';
import type { Db } from '../store/db';
import { claimClauseChange, deleteZoneRow, findZonesByName, insertZone, relatedZones, setDesiredMasters } from '../store/zones';
import { LISTING_COLUMNS } from '../store/zone-listing';
import { getNamespace, giveOwnView, sharedHolderOf } from '../store/namespaces';
import type { Zone } from '../store/zones';
import { applyOrRevert, applyZones, markForDeleteWhenFree } from '../sync/zones';
import { newClaim } from '../app';
import type { App } from '../app';
import { conflictingZone, restrictedBy } from '../model/ownership';
import { accountName, getAccount, usersOf, zoneCount } from '../store/accounts';
import type { Account } from '../store/accounts';
import { applyWritingPasswd, writePasswd } from '../sync/passwd';
import { poolAddressesAmong } from '../store/ipaddrs';
import { resetHealth } from '../store/health';
import { domainListing } from './domain-list';
import { defineFunc, isSubmit, optional, optionalLogin, validateAll } from './registry';
import { oneVisibleZone, visibleOwnerIds, visibleZones, zoneOwner } from './scope';

const DTYPES = ['slave', 'master'] as const;

export const domainList = defineFunc({
  name: 'domain',
  kind: 'list',
  minLevel: Level.user,
  desc: msg`Slave zones the caller may see, with what the name server really serves (status ok, waiting, problem, expired)`,
  params: [],
  columns: LISTING_COLUMNS,
  mutates: false,
  // filter=on, p_sort and p_num/p_cnt are done in SQL (dispatch has checked them): see domain-list.ts.
  pagesItself: true,
  parse: () => ({}),
  async run({ app, actor, lang, list }): Promise<Doc> {
    return domainListing(app.db, visibleOwnerIds(app.db, actor), lang, list);
  },
});

type EditParams =
  | { submit: false; elid?: ZoneName }
  | MasterParams
  | { submit: true; elid?: ZoneName; name: ZoneName; masters: IpAddress[]; owner?: string }
  /** Several zones in one request: added (names) or given new masters (elids), all or none. */
  | { submit: true; many: true; edit: boolean; names: ZoneName[]; masters: IpAddress[]; owner?: string };

export const domainEdit = defineFunc<EditParams>({
  name: 'domain.edit',
  kind: 'form',
  minLevel: Level.user,
  desc: msg`Add a slave zone (without elid) or change its masters (elid=<zone>); without sok=ok returns the form values. Several zones at once: name=<zone>, <zone>… (or elid=<zone>, <zone>…) with one masterip for all, at most 1000; every name is checked first and none is added if any is refused`,
  params: [
    { name: 'elid', desc: msg`zone being edited; empty to add one` },
    { name: 'name', desc: msg`zone name (IDN allowed, stored as punycode); several separated by commas to add them all with the same masters`, required: true },
    { name: 'dtype', desc: msg`zone type: 'slave' (copied from its masters) or 'master' (its records kept here: domain.record)` },
    { name: 'masterip', desc: msg`slave zones: master (primary) addresses, IPv4 or IPv6, separated by commas or spaces (older clients: master)` },
    { name: 'ip', desc: msg`master zones: the address the zone and its default subdomains (www, mail) answer with` },
    { name: 'email', desc: msg`master zones: the contact in the zone's SOA (default: the namespace's DNS settings, dnsparam)` },
    { name: 'ns', desc: msg`master zones: name servers, separated by commas or spaces (default: the namespace's DNS settings, dnsparam)` },
    { name: 'dnssec', desc: msg`master zones: 'on' to sign the zone with the name server's automatic DNSSEC policy` },
    { name: 'owner', desc: msg`account the zone belongs to (admins and resellers; default: the caller)` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  mutates: true,
  parse(raw) {
    const elidRaw = optional(raw, 'elid');
    if (isSubmit(raw) && optional(raw, 'dtype') === 'master') return parseMaster(raw, elidRaw);
    const many = isSubmit(raw) ? manyZones(raw, elidRaw) : undefined;
    if (many) return many;
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
        return { kind: 'form', fields: { name: '', dtype: 'slave', masterip: '', owner: actor.account?.name ?? '' }, slists: { dtype: DTYPE_SLIST } };
      }
      const z = oneVisibleZone(db, actor, p.elid, undefined);
      const soa = z.dtype === 'master' ? getZoneSoa(db, z.id) : undefined;
      const master: Record<string, string> = soa === undefined ? {} : { email: soa.email, dnssec: soa.dnssec ? 'on' : 'off' };
      return { kind: 'form', fields: { elid: z.name, name: z.name, dtype: z.dtype, masterip: z.masters.join(', '), owner: accountName(db, z.ownerId), ...master }, slists: { dtype: DTYPE_SLIST } };
    }
    if ('master' in p) return editMaster(app, actor, p);
    refuseOwnAddresses(db, p.masters);
    if ('many' in p) return editMany(app, actor, p);
    const claim = newClaim();
    const zoneId = writeTx(db, () => (p.elid === undefined ? createZone(app, actor, p, claim) : editZone(db, actor, { ...p, elid: p.elid }, claim)));
    if (zoneId === undefined) return { kind: 'ok' };
    await applyWritingPasswd(app, () => applyOrRevert(app, zoneId, claim));
    return { kind: 'ok' };
  },
});

const DTYPE_SLIST = DTYPES.map((t) => ({ key: t, label: t }));

/** domain.edit dtype=master, submitted: a master zone to add (or, with elid, to sign or stop signing). */
interface MasterParams {
  submit: true;
  master: true;
  elid?: ZoneName;
  name: ZoneName;
  ip?: IpAddress;
  email?: string;
  nameServers?: string[];
  dnssec?: boolean;
  owner?: string;
}

function parseMaster(raw: Readonly<Record<string, string>>, elidRaw: string | undefined): MasterParams {
  const p = validateAll({
    elid: () => (elidRaw === undefined ? undefined : parseZoneName(elidRaw, 'elid')),
    name: () => (optional(raw, 'name') === undefined && elidRaw !== undefined ? undefined : parseZoneName(raw.name ?? '', 'name')),
    ip: () => (optional(raw, 'ip') === undefined ? undefined : parseIpAddress(raw.ip ?? '', 'ip')),
    email: () => (optional(raw, 'email') === undefined ? undefined : parseEmail(raw.email ?? '')),
    // Billing panels send the slave's field empty with a master zone; anything in it is a mistake to say.
    masterip: () => {
      if (optional(raw, 'masterip') !== undefined) throw new ValidationError({ param: 'masterip', value: raw.masterip ?? '', reason: msg`a master zone has no masters; leave masterip empty` });
    },
    dnssec: () => (optional(raw, 'dnssec') === undefined ? undefined : parseYesNo(raw.dnssec ?? '', 'dnssec')),
    owner: () => optionalLogin(raw, 'owner'),
  });
  const name = p.name ?? p.elid;
  if (name === undefined) throw new ValidationError(missingParam('name'));
  if (p.elid !== undefined && name !== p.elid) {
    throw new ValidationError({ param: 'name', value: raw.name ?? '', reason: msg`a zone cannot be renamed; expected '${p.elid}'` });
  }
  const nameServers = optional(raw, 'ns') === undefined ? undefined : parseHostList(name, raw.ns ?? '', 'ns');
  if (nameServers !== undefined && nameServers.length === 0) throw new ValidationError({ param: 'ns', value: raw.ns ?? '', reason: msg`expected one or more host names` });
  return { submit: true, master: true, elid: p.elid, name, ip: p.ip, email: p.email, nameServers, dnssec: p.dnssec, owner: p.owner };
}

/** Adds a master zone with its first records, or changes the signing of one; then the name server. */
async function editMaster(app: App, actor: Actor, p: MasterParams): Promise<Doc> {
  const db = app.db;
  const claim = newClaim();
  // A change of signing the name server refuses puts the zone's flags back, as revertPending puts its clause back.
  let previous: ZoneSoa | undefined;
  const zoneId = writeTx(db, () => {
    if (p.elid === undefined) return createMasterZone(app, actor, p, claim);
    const id = oneVisibleZone(db, actor, p.elid, p.owner).id;
    previous = getZoneSoa(db, id);
    return editMasterZone(db, actor, { ...p, elid: p.elid }, claim);
  });
  if (zoneId === undefined) return { kind: 'ok' };
  try {
    await applyWritingPasswd(app, () => applyOrRevert(app, zoneId, claim));
  } catch (err) {
    const flags = previous;
    if (flags !== undefined) writeTx(db, () => { const now = getZoneSoa(db, zoneId); if (now) setZoneSoa(db, zoneId, { ...now, dnssec: flags.dnssec, signedBefore: flags.signedBefore }); });
    throw err;
  }
  // Its slave servers get it (src/slaves/: loaded only here, not with the domain list).
  if (p.elid === undefined) (await import('../slaves/push')).pushCreatedMaster(app, zoneId);
  return { kind: 'ok' };
}

/**
 * Inserts the master zone with its SOA and first records (its name servers, the address of its apex, www and mail, its
 * mail exchanger), or finds the same master zone already there (nothing changes). Its name servers inside the zone
 * need an address: without `ip`, name servers outside it must be given.
 */
function createMasterZone(app: App, actor: Actor, p: MasterParams, claim: string): number | undefined {
  const db = app.db;
  const owner = zoneOwner(db, actor, p.owner);
  const same = findZonesByName(db, p.name).find((z) => z.namespaceId === owner.namespaceId);
  if (same) {
    if (same.ownerId === owner.id && same.pending !== 'delete' && same.dtype === 'master') return undefined;
    throw new ExistsError('domain', p.name, msg`Domain '${p.name}' already exists`);
  }
  // What the request does not say comes from the namespace's DNS settings (dnsparam), else the built-in defaults.
  const settings = getDnsSettings(db, owner.namespaceId);
  const nameServers = p.nameServers ?? zoneNameServers(settings, p.name);
  const inZone = (host: string): boolean => host === p.name || host.endsWith(`.${p.name}`);
  const glueless = nameServers.filter(inZone);
  if (p.ip === undefined && glueless.length > 0) {
    throw new ValidationError({ param: p.nameServers === undefined ? 'ip' : 'ns', value: p.nameServers === undefined ? '' : glueless.join(', '), reason: msg`name servers inside the zone need its address (ip), or give name servers outside it (ns)` });
  }
  const mailInZone = (settings.mailServers ?? []).filter(inZone);
  if (p.ip === undefined && mailInZone.length > 0) throw new ValidationError({ param: 'ip', value: '', reason: msg`the namespace's mail servers inside the zone (dnsparam) need its address (ip)` });
  checkMayAdd(app, owner, p.name);
  if (sharedHolderOf(db, p.name, owner.namespaceId) && getNamespace(db, owner.namespaceId)?.ownView === false) giveOwnView(db, owner.namespaceId);
  const id = insertZone(db, { name: p.name, namespaceId: owner.namespaceId, ownerId: owner.id, dtype: 'master', masters: [], claim });
  const records = defaultRecords(p.name, { nameServers, ip: p.ip, subdomains: settings.subdomains, mailServers: settings.mailServers }, settings.ttl);
  // The name (and mail) servers inside the zone answer on its address too.
  const type = p.ip === undefined ? undefined : ipFamily(p.ip) === 4 ? 'A' : 'AAAA';
  if (p.ip !== undefined && type !== undefined) {
    for (const ns of [...glueless, ...mailInZone]) if (!records.some((r) => r.name === ns && r.data.type === type)) records.push({ name: ns, ttl: settings.ttl, data: { type, address: p.ip } });
  }
  addRecords(db, id, records);
  setZoneSoa(db, id, { mname: nameServers[0] as string, email: p.email ?? settings.email ?? `hostmaster@${p.name}`, serial: now(), dnssec: p.dnssec ?? false });
  return id;
}

/** A master zone's signing switched on or off; undefined when it already is so (nothing else of it changes here). */
function editMasterZone(db: Db, actor: Actor, p: MasterParams & { elid: ZoneName }, claim: string): number | undefined {
  const zone = oneVisibleZone(db, actor, p.elid, p.owner);
  if (zone.pending === 'delete') throw new NotFoundError('domain', zone.name);
  if (zone.dtype !== 'master') throw new ValidationError({ param: 'dtype', value: 'master', reason: msg`'${zone.name}' is a slave zone: a zone's type cannot be changed` });
  const soa = getZoneSoa(db, zone.id);
  // What a new zone is made with is changed in its records now (domain.record.edit), not here: said, not ignored. The
  // form's values posted back as shown are no change.
  const kept: InvalidParam[] = [
    ...(p.ip === undefined ? [] : [{ param: 'ip', value: p.ip }]),
    ...(p.nameServers === undefined ? [] : [{ param: 'ns', value: p.nameServers.join(' ') }]),
    ...(p.email === undefined || p.email === soa?.email ? [] : [{ param: 'email', value: p.email }]),
  ].map((x) => ({ ...x, reason: msg`is set when a zone is made; change the zone's records with domain.record.edit` }));
  if (kept.length > 0) throw new ValidationError(kept);
  if (soa === undefined || p.dnssec === undefined || p.dnssec === soa.dnssec) return undefined;
  setZoneSoa(db, zone.id, { ...soa, dnssec: p.dnssec, signedBefore: soa.dnssec || soa.signedBefore === true });
  claimClauseChange(db, zone.id, claim);
  return zone.id;
}

/** A submitted form naming several zones (a comma in name or elid), parsed with every bad name reported; else undefined. */
function manyZones(raw: Readonly<Record<string, string>>, elidRaw: string | undefined): EditParams | undefined {
  const nameRaw = optional(raw, 'name');
  if (!(elidRaw ?? nameRaw ?? '').includes(',')) return undefined;
  const p = validateAll({
    elids: () => (elidRaw === undefined ? undefined : parseZoneNameList(elidRaw, 'elid')),
    names: () => (nameRaw === undefined ? undefined : parseZoneNameList(nameRaw, 'name')),
    dtype: () => parseOneOf(optional(raw, 'dtype') ?? 'slave', 'dtype', DTYPES),
    masters: () => (raw.masterip === undefined && raw.master !== undefined ? parseMasterList(raw.master, 'master') : parseMasterList(raw.masterip ?? '', 'masterip')),
    owner: () => optionalLogin(raw, 'owner'),
  });
  if (p.elids !== undefined && p.names !== undefined && p.names.join(',') !== p.elids.join(',')) {
    throw new ValidationError({ param: 'name', value: nameRaw ?? '', reason: msg`a zone cannot be renamed; expected '${p.elids.join(', ')}'` });
  }
  const names = [...new Set(p.elids ?? p.names ?? [])];
  return { submit: true, many: true, edit: p.elids !== undefined, names, masters: p.masters, owner: p.owner };
}

/**
 * Many zones in one request: each is checked (ownership, conflicts, restrictions, limits counted with the zones added
 * before it) in one transaction that adds none if any is refused, every refusal reported; then the batch towards named.
 */
async function editMany(app: App, actor: Actor, p: { edit: boolean; names: ZoneName[]; masters: IpAddress[]; owner?: string }): Promise<Doc> {
  const db = app.db;
  const claim = newClaim();
  const rows: { zone: string; result: string }[] = [];
  const ids = writeTx(db, () => {
    const problems: { name: ZoneName; error: DnsmgrError }[] = [];
    const claimed: number[] = [];
    for (const name of p.names) {
      try {
        const id = p.edit ? editZone(db, actor, { elid: name, masters: p.masters, owner: p.owner }, claim) : createZone(app, actor, { name, masters: p.masters, owner: p.owner }, claim);
        if (id === undefined) rows.push({ zone: name, result: p.edit ? 'unchanged' : 'exists' });
        else claimed.push(id);
      } catch (err) {
        if (!(err instanceof DnsmgrError) || err.type === 'tool' || err.type === 'internal') throw err;
        problems.push({ name, error: err });
      }
    }
    if (problems.length === 1) throw (problems[0] as { error: DnsmgrError }).error;
    if (problems.length > 1) throw new ValidationError(problems.map((x) => ({ param: p.edit ? 'elid' : 'name', value: x.name, reason: x.error.text })));
    return claimed;
  });
  const outcome = await applyZones(app, ids, claim);
  if (ids.length > 0) writePasswd(app);
  const failed = outcome.failed.map((f) => f.error);
  const firstTool = failed.find((e) => e instanceof ToolError);
  if (failed.length > 0) throw firstTool ?? failed[0];
  for (const d of outcome.done) rows.push({ zone: d.name, result: p.edit ? 'changed' : 'added' });
  return { kind: 'ok', rows: rows.sort((a, b) => (a.zone < b.zone ? -1 : a.zone > b.zone ? 1 : 0)) };
}

/** A master on one of this server's own pool addresses would be the slave asking itself. */
export function refuseOwnAddresses(db: Db, masters: readonly IpAddress[]): void {
  const own = poolAddressesAmong(db, masters);
  if (own.length > 0) {
    throw new ValidationError(own.map((addr) => ({ param: 'masterip', value: addr, reason: msg`is an address of this server's own pool, not a master` })));
  }
}

/** Inserts the zone, or finds that the very same zone is already there (then nothing changes). */
export function createZone(app: App, actor: Actor, p: { name: ZoneName; masters: IpAddress[]; owner?: string }, claim: string): number | undefined {
  const db = app.db;
  const owner = zoneOwner(db, actor, p.owner);
  const same = findZonesByName(db, p.name).find((z) => z.namespaceId === owner.namespaceId);
  if (same) {
    if (same.ownerId === owner.id && same.pending !== 'delete' && same.masters.join(',') === p.masters.join(',')) return undefined;
    throw new ExistsError('domain', p.name, msg`Domain '${p.name}' already exists; edit it (elid=${p.name}) to change its masters`);
  }
  checkMayAdd(app, owner, p.name);
  // The shared view holds a name once: a namespace adding a name another one has there gets a view of its own, made
  // (with a reconfig, and its zones moved there) before the zone is sent.
  if (sharedHolderOf(db, p.name, owner.namespaceId) && getNamespace(db, owner.namespaceId)?.ownView === false) giveOwnView(db, owner.namespaceId);
  return insertZone(db, { name: p.name, namespaceId: owner.namespaceId, ownerId: owner.id, masters: p.masters, claim });
}

/** Restricted names, other accounts' zones above or below the name, and the domain limits of the owner and its reseller. */
function checkMayAdd(app: App, owner: Account, name: ZoneName): void {
  const { db, settings } = app;
  const restricted = [...settings.restrictedDomains, ...restrictedNames(db)];
  const hit = restrictedBy(name, restricted);
  if (hit !== undefined) throw new AccessError('domain', name, msg`Domain '${name}' is restricted (${hit}): nobody may add it`);
  const related = relatedZones(db, name, owner.id);
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

function editZone(db: Db, actor: Actor, p: { elid: ZoneName; masters: IpAddress[]; owner?: string }, claim: string): number | undefined {
  const zone = oneVisibleZone(db, actor, p.elid, p.owner);
  if (zone.pending === 'delete') throw new NotFoundError('domain', zone.name);
  if (zone.dtype === 'master') throw new ValidationError({ param: 'dtype', value: 'slave', reason: msg`'${zone.name}' is a master zone: a zone's type cannot be changed` });
  if (zone.masters.join(',') === p.masters.join(',')) return undefined;
  setDesiredMasters(db, zone.id, p.masters, claim);
  // New masters: what the old ones did says nothing any more (and the dead-zone policy starts counting again).
  resetHealth(db, zone.id);
  return zone.id;
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
    const found = db.transaction(() => p.names.flatMap((n) => visibleZones(db, actor, n, p.owner)))();
    const ids = await markForDeleteWhenFree(app, found.map((z) => z.id), claim);
    const zones = found.filter((z) => ids.includes(z.id));
    const failures: ToolError[] = [];
    // One batch: many deletions in one view go in bulk (see BindBackend.applyZones).
    const applyAll = async (): Promise<void> => {
      for (const { error } of (await applyZones(app, ids, claim)).failed) {
        if (!(error instanceof ToolError)) throw error;
        failures.push(error);
      }
    };
    if (ids.length > 0) await applyWritingPasswd(app, applyAll, () => { for (const id of ids) deleteZoneRow(db, id, claim); });
    if (zones.some((z) => z.dtype === 'master')) (await import('../slaves/push')).pushDeletedMasters(app, zones);
    if (failures[0]) throw failures[0];
    // Another account's zone answers as a name that does not exist does (OK), but only the names really deleted are
    // listed, so a client can tell; a name served in two namespaces is listed once.
    return { kind: 'ok', rows: [...new Set(zones.map((z) => z.name))].map((name) => ({ deleted: name })) };
  },
});
