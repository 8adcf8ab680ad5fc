// Where a namespace's zones are in the name server: the view, and the ACLs each zone's clause carries.
import type { PrimarySpec, ZoneSpec } from '../dns/backend';
import { checkPeerAddress } from '../model/address';
import type { IpAddress } from '../model/address';
import type { Namespace } from '../store/namespaces';
import { ownViewOf, SHARED_VIEW } from '../store/namespaces';
import type { Place, Zone } from '../store/zones';

/** A namespace's place with the lists the zone clause is written from. */
export interface ZonePlace extends Place {
  queryOn: readonly string[];
  allowTransfer: readonly string[];
}

export function placeOf(ns: Namespace): ZonePlace {
  const queryOn = ns.ips;
  const allowTransfer = allowTransferList(ns.allowTransfer);
  return { view: ns.ownView ? ownViewOf(ns.id) : SHARED_VIEW, queryOn, allowTransfer, acl: aclText(queryOn, allowTransfer) };
}

/**
 * The ACLs of a zone clause as one comparable text, recorded with the zone (zone.applied_acl) and compared with what
 * the name server reads back: "on 203.0.113.1,2001:db8::1; xfer none".
 */
export function aclText(queryOn: readonly string[], allowTransfer: readonly string[]): string {
  const text = (items: readonly string[]): string => (items.length === 0 ? 'none' : [...items].sort().join(','));
  return `on ${text(queryOn)}; xfer ${text(allowTransfer)}`;
}

/** The stored text (formatAllowTransfer: "none", "any", or entries joined by ", ") as an address match list. */
export function allowTransferList(text: string): string[] {
  if (text === 'none' || text === '') return [];
  return text.split(',').map((s) => s.trim()).filter(Boolean);
}

/** The zone as the name server is to hold it at this place (a master zone with what its name server needs of it). */
export function zoneSpec(zone: Pick<Zone, 'name' | 'masters'>, place: ZonePlace, primary?: PrimarySpec): ZoneSpec {
  const spec = { view: place.view, name: zone.name, masters: zone.masters, queryOn: place.queryOn, allowTransfer: place.allowTransfer };
  return primary === undefined ? spec : { ...spec, primary };
}

/** The single hosts of an allow-transfer list (not its prefixes, not `any`): where a master zone's NOTIFY goes. */
export function notifyList(allowTransfer: readonly string[]): IpAddress[] {
  return allowTransfer.flatMap((entry) => {
    const checked = checkPeerAddress(entry);
    return checked.ok ? [checked.value] : [];
  });
}

/** The namespace's first address of each family: where a master zone's NOTIFY leaves from. */
export function notifySources(queryOn: readonly string[]): IpAddress[] {
  const first = (v6: boolean): IpAddress[] => {
    const ip = queryOn.find((a) => a.includes(':') === v6);
    const checked = ip === undefined ? undefined : checkPeerAddress(ip);
    return checked?.ok === true ? [checked.value] : [];
  };
  return [...first(false), ...first(true)];
}
