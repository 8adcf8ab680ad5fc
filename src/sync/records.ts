// A master zone's records in the name server brought in line with the database, their source of truth (issue 12):
// the zone read back (readRecords), compared, and what differs sent as one UPDATE. For domain.sync (zones changed
// behind dnsmgr's back) and for record changes a killed request committed here but never saw the name server apply.
import type { App } from '../app';
import type { RecordOp, ServedRecords } from '../dns/backend';
import type { DnsRecord } from '../model/record';
import { recordKey } from '../model/record';
import { getNamespace } from '../store/namespaces';
import { getZoneSoa, hasUnsentChanges, markSent, unsentChanges, zoneRecords } from '../store/records';
import { writeTx } from '../store/db';
import { getZone } from '../store/zones';
import type { Zone } from '../store/zones';
import { placeOf } from './place';
import { claimHeld } from './zones';

/**
 * What the name server lacks of the zone's records (`lacks`) and has that the database does not (`extra`), and the
 * primary name server its SOA should name when it names another (`primary`).
 */
export interface RecordsDiff {
  lacks: DnsRecord[];
  extra: DnsRecord[];
  primary?: string;
}

/** A record as compared: its key and TTL (a record of another TTL is another record, replaced). */
const identity = (r: DnsRecord): string => `${recordKey(r)}\n${r.ttl}`;

export function diffRecords(want: readonly DnsRecord[], have: readonly DnsRecord[]): RecordsDiff {
  const wanted = new Set(want.map(identity));
  const had = new Set(have.map(identity));
  return { lacks: want.filter((r) => !had.has(identity(r))), extra: have.filter((r) => !wanted.has(identity(r))) };
}

/**
 * diffRecords, and the primary the database's SOA names (zone_soa) when the name server's names another. An SOA not
 * read (no primary served) is not a difference: nothing could put it right.
 */
export function diffServed(want: readonly DnsRecord[], wantPrimary: string | undefined, have: ServedRecords): RecordsDiff {
  const diff = diffRecords(want, have.records);
  return wantPrimary === undefined || have.primary === '' || wantPrimary === have.primary ? diff : { ...diff, primary: wantPrimary };
}

/**
 * The UPDATE that makes the name server's records the database's. Deletions go first, so that a name's CNAME can
 * replace its other data and the reverse; but apex NS records last: a name server keeps a zone's last NS record, so
 * the new ones go in before the old ones go. Then the SOA's primary.
 */
export function repairOps(zone: string, diff: RecordsDiff): RecordOp[] {
  const apexNs = (r: DnsRecord): boolean => r.data.type === 'NS' && r.name === zone;
  return [
    ...diff.extra.filter((r) => !apexNs(r)).map((record) => ({ op: 'delete' as const, record })),
    ...diff.lacks.map((record) => ({ op: 'add' as const, record })),
    ...diff.extra.filter(apexNs).map((record) => ({ op: 'delete' as const, record })),
    ...(diff.primary === undefined ? [] : [{ op: 'primary' as const, zone, mname: diff.primary }]),
  ];
}

/** A master zone the name server holds as the database says, whose records may be compared: no request is changing it. */
function comparable(zone: Zone | undefined): zone is Zone {
  return zone !== undefined && zone.dtype === 'master' && zone.pending === null && zone.suspendedAt === null && zone.appliedMasters !== null;
}

/** Whether a live request is carrying a record change of the zone (its change is its own to send). */
export function recordsBusy(app: App, zoneId: number): boolean {
  return unsentChanges(app.db, zoneId).some((u) => claimHeld(u.claim, u.claimedAt));
}

/** How many times the database may change under a repair before it leaves the zone to the next one. */
const REPAIR_TRIES = 3;

export type RepairOutcome = 'repaired' | 'unchanged' | 'busy' | 'missing' | 'skipped';

/**
 * Reads the zone back, compares it with the database and sends what differs as one UPDATE; the unsent changes of dead
 * requests it found are then done. Left alone: a zone a request is changing (its zone change or a record change of a
 * live request: 'busy'), or one the name server does not hold ('missing': the reconcile adds it from the database).
 * The database changing while the zone is read means a request changed it meanwhile: read again. Throws what the name
 * server said when it refuses or does not answer, the unsent changes then left for the next try.
 */
export async function repairRecords(app: App, zoneId: number): Promise<RepairOutcome> {
  const { db, backend } = app;
  for (let attempt = 0; attempt < REPAIR_TRIES; attempt++) {
    const zone = getZone(db, zoneId);
    if (!comparable(zone)) return 'skipped';
    const ns = getNamespace(db, zone.namespaceId);
    if (ns === undefined) return 'skipped';
    const view = zone.appliedView ?? placeOf(ns).view;
    const unsent = unsentChanges(db, zoneId);
    if (unsent.some((u) => claimHeld(u.claim, u.claimedAt))) return 'busy';
    const want = zoneRecords(db, zoneId);
    const wantPrimary = getZoneSoa(db, zoneId)?.mname;
    const have = await backend.readRecords(view, zone.name);
    const claims = unsent.map((u) => u.claim);
    if (have === undefined) {
      // Whatever it was sent, named has no copy to be behind: the zone comes back from the database.
      writeTx(db, () => markSent(db, zoneId, claims));
      return 'missing';
    }
    // A request that changed the records while named was read may have sent its change after the read: compare again.
    // (One committing and sending between this check and the UPDATE below is not caught: a window of a few
    // milliseconds, in which only a change of a record set this UPDATE also touches would be undone in named.)
    if (recordsBusy(app, zoneId) || zoneRecords(db, zoneId).map(identity).join('\n') !== want.map(identity).join('\n') || getZoneSoa(db, zoneId)?.mname !== wantPrimary) continue;
    const ops = repairOps(zone.name, diffServed(want, wantPrimary, have));
    if (ops.length > 0) await backend.updateRecords(view, zone.name, ops);
    writeTx(db, () => markSent(db, zoneId, claims));
    return ops.length > 0 ? 'repaired' : 'unchanged';
  }
  return 'busy';
}

/**
 * Repairs the zones whose record changes were committed by requests now dead (killed, crashed) or hung, one zone at a
 * time. Cheap when there are none: one query. A zone that still fails stays unsent, for the next request.
 */
export async function recoverUnsentRecords(app: App): Promise<void> {
  const { db } = app;
  if (!hasUnsentChanges(db)) return;
  const zones = new Set(unsentChanges(db).filter((u) => !claimHeld(u.claim, u.claimedAt)).map((u) => u.zoneId));
  for (const id of zones) await repairRecords(app, id).catch(() => undefined);
}
