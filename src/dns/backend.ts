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

/** Why a zone could not be refreshed or transferred, as the name server reported it. */
export type ZoneFailure = 'refused' | 'notauth' | 'timeout' | 'unreachable' | 'expired' | 'error';

/** One zone as the name server holds it now. Times are Unix seconds; `loaded` is null for a zone that never loaded. */
export interface ZoneState {
  view: string;
  name: string;
  serial: number | null;
  loaded: number | null;
  expires: number | null;
  refresh: number | null;
}

/** Something that happened to a zone: a successful transfer or refresh, or a failure with its reason. */
export interface ZoneEvent {
  view: string;
  name: string;
  at: number;
  outcome: 'ok' | ZoneFailure;
  /** The name server's own words, shortened. */
  detail: string;
}

/**
 * One zone change of a batch. `add` is idempotent as addZone then modifyZone: a zone already there gets the given
 * masters, and the result says it was there.
 */
export type ZoneOp =
  | { action: 'add' | 'modify'; zone: ZoneSpec }
  | { action: 'delete'; view: string; name: ZoneName };

/** What became of one change of a batch; `error` is what the name server said (a ToolError, normally). */
export type ZoneOpResult =
  | { ok: true; outcome: 'added' | 'exists' | 'modified' | 'deleted' | 'missing' }
  | { ok: false; error: unknown };

export interface BatchOptions {
  /** Called as each change is done, in the order they finish (not the order given). */
  onResult?: (index: number, result: ZoneOpResult) => void;
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
  /**
   * Many zone changes, with bounded parallelism towards the name server: each one's result, in the order given. One
   * change failing stops none of the others; only a failure of the whole channel (named not answering) is thrown.
   */
  applyZones(ops: readonly ZoneOp[], options?: BatchOptions): Promise<ZoneOpResult[]>;
  /** Zones the name server holds in a view, with their masters. */
  listZones(view: string): Promise<{ name: string; masters: string[] }[]>;
  /** Removes what the name server kept for a view that no longer exists. */
  forgetView(view: string): void;
  /** Streams the state of every secondary zone the name server holds, one call per zone, without holding them all. */
  readZoneStates(onZone: (state: ZoneState) => void): Promise<void>;
  /**
   * Streams what happened to zones since `cursor` (an opaque string this method returned before; '' = from the start)
   * and returns the cursor to pass next time.
   */
  readZoneEvents(cursor: string, onEvent: (event: ZoneEvent) => void): Promise<string>;
  /** Transfers the zone again now, whatever its serial (also ends the back-off after a failed first transfer). */
  retransfer(view: string, name: ZoneName): Promise<void>;
  /** Checks the master's serial now and transfers if it is newer. */
  refresh(view: string, name: ZoneName): Promise<void>;
  /** Whether the name server answers at all, quickly (for /health). */
  ping(timeoutMs: number): Promise<boolean>;
}
