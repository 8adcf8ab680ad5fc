// dnsparam: the DNS settings of the caller's namespace (DNSmanager's per-user "DNS settings") — what its new master
// zones are made with — and, asked to (apply=on), its new name servers put into the master zones it has already.
import { AccessError, collectProblems, missingParam, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import type { Actor } from '../model/access';
import { formatAllowTransfer, ipFamily, parseAllowTransferList } from '../model/address';
import { changedSettings, parseDnsSettingsChange, sameHosts, zoneNameServers } from '../model/dns-settings';
import type { DnsSettings, DnsSettingsChange } from '../model/dns-settings';
import { Level } from '../model/level';
import { coexistenceProblem, recordKey } from '../model/record';
import type { DnsRecord } from '../model/record';
import type { RecordOp } from '../dns/backend';
import type { Doc } from '../protocol/types';
import type { App } from '../app';
import { newClaim } from '../app';
import { getAccount } from '../store/accounts';
import { writeTx } from '../store/db';
import type { Db } from '../store/db';
import { getDnsSettings, setDnsSettings } from '../store/dns-settings';
import { getNamespace } from '../store/namespaces';
import type { Namespace } from '../store/namespaces';
import { addRecords, deleteRecordsByKey, getZoneSoa, markSent, markUnsent, recordsNamed, releaseUnsent, restoreRecords, setZoneSoa } from '../store/records';
import { zonesInNamespace } from '../store/zones';
import type { Zone } from '../store/zones';
import { placeOf } from '../sync/place';
import { canChange } from './namespace';
import { defineFunc, isSubmit, optional } from './registry';

type Params =
  | { submit: false }
  | { submit: true; change: DnsSettingsChange; apply: boolean; allowTransfer?: string };

export const dnsParam = defineFunc<Params>({
  name: 'dnsparam',
  kind: 'form',
  minLevel: Level.user,
  desc: msg`The DNS settings of the caller's namespace: what its new master zones get when domain.edit does not say; without sok=ok returns them. A field left out keeps its value; a field sent empty goes back to the default`,
  params: [
    { name: 'email', desc: msg`the contact in a new zone's SOA (empty: hostmaster@<zone>)` },
    { name: 'ns', desc: msg`name servers, absolute host names separated by commas or spaces (empty: ns1 and ns2 of each zone, with its address)` },
    { name: 'mx', desc: msg`mail servers, absolute host names by preference (empty: mail.<zone>, with its address)` },
    { name: 'subdomains', desc: msg`names below a new zone that answer with its address, separated by commas or spaces (default www; empty: none)` },
    { name: 'ttl', desc: msg`the TTL of a new zone's records and of records added without one: seconds, 1 to 604800 (default 3600)` },
    { name: 'apply', desc: msg`on: the new name servers replace those of the namespace's master zones now` },
    { name: 'allow_transfer', desc: msg`who may transfer the namespace's zones: shown only, namespace.edit changes it` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  mutates: true,
  parse(raw) {
    if (!isSubmit(raw)) return { submit: false };
    const { change, apply } = parseDnsSettingsChange(raw);
    const at = optional(raw, 'allow_transfer');
    return { submit: true, change, apply, allowTransfer: at === undefined ? undefined : formatAllowTransfer(parseAllowTransferList(at, 'allow_transfer')) };
  },
  async run({ app, actor }, p): Promise<Doc> {
    const db = app.db;
    const ns = actorNamespace(app, actor);
    const before = getDnsSettings(db, ns.id);
    if (!p.submit) return { kind: 'form', fields: { ...formFields(before), apply: 'off', allow_transfer: ns.allowTransfer } };
    // The settings are the namespace's: in a namespace shared with others, the one who may change it sets them.
    if (!canChange(db, actor, ns)) throw new AccessError('namespace', ns.name);
    // The panel sends the shown value back; a different one is a change this form does not make.
    if (p.allowTransfer !== undefined && p.allowTransfer !== ns.allowTransfer) {
      throw new ValidationError({ param: 'allow_transfer', value: p.allowTransfer, reason: msg`is changed with namespace.edit, not here` });
    }
    const after = changedSettings(before, p.change);
    // Saved with every zone's new NS in one transaction: a zone that cannot take them refuses the whole request.
    // Each zone changed is marked unsent in the same transaction (as a record change is): a request killed before its
    // UPDATEs reached the name server leaves them for the next request to send.
    const claim = newClaim();
    const changes = writeTx(db, () => {
      setDnsSettings(db, ns.id, after);
      // Another first name server is another primary for the zones' SOA, even among the same names.
      const made = p.apply && !sameHosts(before.nameServers, after.nameServers, true) ? replaceApexNs(db, ns, after) : [];
      for (const c of made) markUnsent(db, c.zone.id, claim);
      return made;
    });
    await sendAll(app, ns, changes, claim);
    return changes.length === 0 ? { kind: 'ok' } : { kind: 'ok', rows: changes.map((c) => ({ zone: c.zone.name, result: 'changed' })) };
  },
});

function formFields(s: DnsSettings): Record<string, string> {
  return { email: s.email ?? '', ns: (s.nameServers ?? []).join(' '), mx: (s.mailServers ?? []).join(' '), subdomains: s.subdomains.join(' '), ttl: String(s.ttl) };
}

/** The namespace the request acts in: its account's (an admin without one names an account with su=). */
function actorNamespace(app: App, actor: Actor): Namespace {
  const account = actor.account && getAccount(app.db, actor.account.id);
  const ns = account?.namespaceId == null ? undefined : getNamespace(app.db, account.namespaceId);
  if (ns === undefined) throw new ValidationError(missingParam('su', msg`'${actor.name}' has no namespace: act as an account with su=<login>`));
  return ns;
}

/** A zone's new name servers: the NS (and glue) records added and removed, and its SOA's primary when that changes. */
interface NsChange { zone: Zone; added: DnsRecord[]; removed: DnsRecord[]; primary?: { from: string; to: string } }

/**
 * In the database, every master zone of the namespace gets the name servers at its apex (with addresses for those
 * inside it), the first of them the primary its SOA names (MNAME); zones that have them already are left alone. Every
 * zone that cannot is reported at once.
 */
function replaceApexNs(db: Db, ns: Namespace, s: DnsSettings): NsChange[] {
  const problems: InvalidParam[] = [];
  const changes: NsChange[] = [];
  for (const zone of zonesInNamespace(db, ns.id)) {
    if (zone.dtype !== 'master' || zone.pending === 'delete') continue;
    const apex = recordsNamed(db, zone.id, zone.name);
    const old = apex.filter((r) => r.data.type === 'NS');
    const have = old.map((r) => (r.data.type === 'NS' ? r.data.target : ''));
    const wanted = zoneNameServers(s, zone.name);
    const soa = getZoneSoa(db, zone.id);
    const primary = soa !== undefined && wanted[0] !== undefined && soa.mname !== wanted[0] ? { from: soa.mname, to: wanted[0] } : undefined;
    const sameNs = sameHosts(have, wanted);
    if (sameNs && primary === undefined) continue;
    const fresh = wanted.filter((t) => !have.includes(t));
    // The record set keeps one TTL: the new names join with the old ones'.
    const ttl = old[0]?.ttl ?? s.ttl;
    const glue = sameNs ? [] : collectProblems(problems, () => glueFor(db, zone, fresh, apex, s.ttl), undefined);
    if (glue === undefined) continue;
    const added: DnsRecord[] = sameNs ? [] : [...fresh.map((target): DnsRecord => ({ name: zone.name, ttl, data: { type: 'NS', target } })), ...glue];
    const removed = sameNs ? [] : old.filter((r) => r.data.type === 'NS' && !wanted.includes(r.data.target));
    addRecords(db, zone.id, added);
    deleteRecordsByKey(db, zone.id, removed.map(recordKey));
    if (primary !== undefined) setZoneSoa(db, zone.id, { ...soa!, mname: primary.to });
    changes.push({ zone, added, removed, ...(primary === undefined ? {} : { primary }) });
  }
  if (problems.length > 0) throw new ValidationError(problems);
  return changes;
}

/**
 * Each zone's change to the name server as one UPDATE, the new NS added before the old ones go (a name server keeps a
 * zone's last NS, ignoring its deletion), then the SOA's new primary. A zone refused gets its old NS and primary back in
 * the database (what another request changed meanwhile stays); all are tried, the first refusal thrown after. A zone
 * not in the name server now (being added, suspended) is made from the database later.
 */
async function sendAll(app: App, ns: Namespace, changes: readonly NsChange[], claim: string): Promise<void> {
  const db = app.db;
  const failures: unknown[] = [];
  for (const { zone, added, removed, primary } of changes) {
    if (zone.appliedMasters === null || zone.suspendedAt !== null) {
      writeTx(db, () => markSent(db, zone.id, [claim]));
      continue;
    }
    const ops: RecordOp[] = [
      ...added.map((record) => ({ op: 'add' as const, record })),
      ...removed.map((record) => ({ op: 'delete' as const, record })),
      ...(primary === undefined ? [] : [{ op: 'primary' as const, zone: zone.name, mname: primary.to }]),
    ];
    try {
      await app.backend.updateRecords(zone.appliedView ?? placeOf(ns).view, zone.name, ops);
      writeTx(db, () => markSent(db, zone.id, [claim]));
    } catch (err) {
      // Put back one by one (what another request changed meanwhile stays); the mark is released for the next request
      // to read the zone back, in case the name server took the change and only its answer was lost.
      writeTx(db, () => {
        deleteRecordsByKey(db, zone.id, added.map(recordKey));
        restoreRecords(db, zone.id, removed);
        const soa = getZoneSoa(db, zone.id);
        if (primary !== undefined && soa?.mname === primary.to) setZoneSoa(db, zone.id, { ...soa, mname: primary.from });
        releaseUnsent(db, zone.id, claim);
      });
      failures.push(err);
    }
  }
  if (failures.length > 0) throw failures[0];
}

/**
 * Name servers inside the zone need an address in it: those without one get the apex's addresses (as a new zone's
 * get its ip). A zone whose apex has none cannot have them.
 */
function glueFor(db: Db, zone: Zone, targets: readonly string[], apex: readonly DnsRecord[], ttl: number): DnsRecord[] {
  const addresses = apex.flatMap((r) => (r.data.type === 'A' || r.data.type === 'AAAA' ? [r.data.address] : []));
  const glue: DnsRecord[] = [];
  for (const target of targets.filter((t) => t !== zone.name && t.endsWith(`.${zone.name}`))) {
    const there = recordsNamed(db, zone.id, target);
    if (there.some((r) => r.data.type === 'A' || r.data.type === 'AAAA')) continue;
    if (addresses.length === 0) {
      throw new ValidationError({ param: 'ns', value: target, reason: msg`is inside ${zone.name}, which has no address for it: add its A or AAAA record first` });
    }
    for (const address of addresses) {
      const record: DnsRecord = { name: target, ttl, data: { type: ipFamily(address) === 4 ? 'A' : 'AAAA', address } };
      const problem = coexistenceProblem(there, record);
      if (problem !== undefined) throw new ValidationError({ param: 'ns', value: target, reason: problem });
      glue.push(record);
    }
  }
  return glue;
}
