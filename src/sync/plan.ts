// The zone planner: what the name server must do for the zones of the database, decided from data alone (no database,
// no name server), for every path — a request's change (zoneOp) and a reconcile (planView). Each decision carries its
// own reason, so a plan can be shown before it is carried out (domain.sync, domain.sync.apply dry_run=on).
import type { HeldZone, PrimarySpec, ZoneOp } from '../dns/backend';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import { heldZoneName } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import type { IpAddress } from '../model/address';
import type { Zone } from '../store/zones';
import { aclText, zoneSpec } from './place';
import type { ZonePlace } from './place';

/**
 * The name server's side of a zone's pending change; undefined when the name server already has it so. A master zone
 * comes with what its name server needs of it (`primary`).
 */
export function zoneOp(zone: Zone, place: ZonePlace, primary?: PrimarySpec): ZoneOp | undefined {
  const name = zone.name;
  if (zone.pending === 'delete') return { action: 'delete', view: zone.appliedView ?? place.view, name };
  const spec = zoneSpec(zone, place, primary);
  // A suspended zone is not in named, whatever it had before.
  if (zone.appliedMasters === null || zone.suspendedAt !== null) return { action: 'add', zone: spec };
  // Where the name server has it is not known (it lost the zone, or it is a new name server): added, which gives a
  // zone found there after all the clause asked for.
  if (zone.appliedView === null) return { action: 'add', zone: spec };
  if (zone.appliedView !== place.view) return { action: 'move', from: zone.appliedView, zone: spec };
  if (zone.appliedMasters.join(',') !== zone.masters.join(',') || zone.appliedAcl !== place.acl) return { action: 'modify', zone: spec };
  return undefined;
}

/**
 * One correction of a reconcile: what to do with a zone of a view, and why. `update`: a master zone's records, which
 * the name server holds otherwise than the database, sent as one UPDATE.
 */
export interface Correction {
  action: 'add' | 'modify' | 'delete' | 'update';
  view: string;
  zone: ZoneName;
  /** What dnsmgr says (add, modify), or what named has (delete). */
  masters: string[];
  /** add, modify, update: the zone's row and where it goes, recorded once named has it. */
  target?: { id: number; place: ZonePlace };
  /** Why, in words: what named has against what dnsmgr says. */
  reason: Msg;
}

/** A zone named already has as the database says, whose record of that is behind (to be written down). */
export interface Placed {
  id: number;
  masters: IpAddress[];
  place: ZonePlace;
}

/**
 * What one view needs for named to hold exactly its zones of the database: the zones named lacks, has otherwise
 * (masters, ACLs) or has too many. A zone whose change is under way belongs to the request carrying it, not to this
 * plan; a suspended zone stays out of the name server. Zones named already has right but whose record differs go to
 * `placed`.
 */
export function planView(view: string, zones: readonly { zone: Zone; place: ZonePlace }[], held: readonly HeldZone[]): { corrections: Correction[]; placed: Placed[] } {
  const corrections: Correction[] = [];
  const placed: Placed[] = [];
  const inNamed = new Map(held.map((z) => [z.name, z]));
  // Names named reports are only compared with these, as text.
  const known = new Set<string>(zones.filter((z) => z.zone.suspendedAt === null || z.zone.pending !== null).map((z) => z.zone.name));
  for (const { zone, place } of zones) {
    if (zone.pending !== null || zone.suspendedAt !== null) continue;
    const have = inNamed.get(zone.name);
    inNamed.delete(zone.name);
    const target = { id: zone.id, place };
    if (have === undefined) corrections.push({ action: 'add', view, zone: zone.name, masters: zone.masters, target, reason: msg`the name server lacks it` });
    else if ((have.type === 'master') !== (zone.dtype === 'master')) {
      corrections.push({ action: 'modify', view, zone: zone.name, masters: zone.masters, target, reason: have.type === 'master' ? msg`the name server has it as a master zone` : msg`the name server has it as a slave zone` });
    }
    else if (have.masters.join(',') !== zone.masters.join(',')) {
      corrections.push({ action: 'modify', view, zone: zone.name, masters: zone.masters, target, reason: msg`the name server has it from ${have.masters.join(', ') || '-'}` });
    } else if (aclText(have.queryOn, have.allowTransfer) !== place.acl) {
      corrections.push({ action: 'modify', view, zone: zone.name, masters: zone.masters, target, reason: msg`the name server answers or transfers it for other addresses than its namespace's` });
    } else if (zone.appliedView !== view || zone.appliedAcl !== place.acl || zone.appliedMasters?.join(',') !== zone.masters.join(',')) {
      placed.push({ id: zone.id, masters: zone.masters, place });
    }
  }
  const suspended = new Set<string>(zones.filter((z) => z.zone.suspendedAt !== null).map((z) => z.zone.name));
  for (const [held, z] of inNamed) {
    if (known.has(held)) continue;
    // A zone is deleted by its name, which goes back to the name server (and, under BIND, into file names): only a
    // name dnsmgr could have given it. Anything else some other hand put there, and dnsmgr leaves it alone.
    const name = heldZoneName(held);
    if (name === undefined) continue;
    const reason = suspended.has(name) ? msg`the zone is suspended: dnsmgr keeps it out of the name server` : msg`dnsmgr has no such zone in this view`;
    corrections.push({ action: 'delete', view, zone: name, masters: z.masters, reason });
  }
  return { corrections, placed };
}
