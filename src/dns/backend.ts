// What dnsmgr needs from a name server, whichever it is (BIND now, PowerDNS next).
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';

/** One namespace as the name server sees it: a view named `name` answering on `ips`. */
export interface ViewSpec {
  name: string;
  ips: readonly string[];
  /** Validated addresses, prefixes, or the single keyword `any`; empty means nobody. */
  allowTransfer: readonly string[];
}

export interface ZoneSpec {
  view: string;
  name: ZoneName;
  masters: readonly IpAddress[];
}

export interface NameServerBackend {
  /**
   * Makes the name server answer exactly these namespaces. `commitIfCurrent` gets the step that replaces the live
   * configuration and runs it only if no newer state exists; when it returns false nothing is replaced ('stale').
   */
  applyViews(views: readonly ViewSpec[], commitIfCurrent: (replace: () => void) => boolean): Promise<'unchanged' | 'applied' | 'stale'>;
  addZone(zone: ZoneSpec): Promise<'added' | 'exists'>;
  modifyZone(zone: ZoneSpec): Promise<void>;
  deleteZone(view: string, name: ZoneName): Promise<'deleted' | 'missing'>;
  /** Zones the name server holds in a view, with their masters. */
  listZones(view: string): Promise<{ name: string; masters: string[] }[]>;
  /** Removes what the name server kept for a view that no longer exists. */
  forgetView(view: string): void;
}
