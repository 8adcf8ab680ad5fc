// What dnsmgr needs from a name server, whichever it is (BIND now, PowerDNS next).
import type { IpAddress } from '../model/address';
import type { ZoneName } from '../model/zone-name';
import type { DnsRecord, RecordData } from '../model/record';

/**
 * A view of the name server: the shared one every namespace's zones are in (`ips` undefined: it answers on every
 * address, last), or a namespace's own (answering on its addresses only).
 */
export interface ViewSpec {
  name: string;
  ips?: readonly string[];
}

/** What the name server's configuration says: its views, and the addresses it listens on (the pool's, hidden ones aside). */
export interface ServerConfig {
  views: readonly ViewSpec[];
  listen: readonly string[];
}

/**
 * A zone as the name server holds it: where (view), from which masters, and answered to whom: queries only on its
 * namespace's addresses (`queryOn`), transfers only to its namespace's list. Lists hold validated addresses and
 * prefixes, or the single keyword `any`; empty means nobody.
 */
export interface ZoneSpec {
  view: string;
  name: ZoneName;
  masters: readonly IpAddress[];
  queryOn: readonly string[];
  allowTransfer: readonly string[];
  /** A master (primary) zone: the name server holds its data itself; absent for a slave zone (it has `masters`). */
  primary?: PrimarySpec;
}

/** What the name server needs of a master zone beyond a slave's clause. */
export interface PrimarySpec {
  /**
   * The zone's data as a zone file, from the database: what the name server starts the zone from when it has no data
   * of its own for it (a new zone, or one it lost with its files). Called only then.
   */
  content: () => string;
  /** Where NOTIFY goes when the zone changes: its namespace's transfer addresses and the slave servers. */
  alsoNotify: readonly IpAddress[];
  /**
   * The slave servers' addresses (src/slaves/), allowed to transfer the zone besides its namespace's list: kept apart
   * from that list, which is what the clause is compared with.
   */
  transferTo?: readonly IpAddress[];
  /**
   * Where NOTIFY leaves from, one address per family: the namespace's, the address its slaves have as the zone's
   * master (a slave takes NOTIFY only from its masters).
   */
  notifySource?: readonly IpAddress[];
  /** Signed (DNSSEC) with the name server's own automatic policy. */
  dnssec: boolean;
  /** Not signed any more, but it was: its signatures are taken away as the name server's policy does it, not at once. */
  unsigned?: boolean;
}

/**
 * One change of a master zone's records: added, deleted, every record of a name and type deleted, or the primary name
 * server its SOA names (MNAME) replaced, the rest of the SOA as the name server has it (`zone`: the zone's name).
 */
export type RecordOp =
  | { op: 'add'; record: DnsRecord }
  | { op: 'delete'; record: DnsRecord }
  | { op: 'delete-rrset'; name: string; type: RecordData['type'] }
  | { op: 'primary'; zone: string; mname: string };

/** A master zone as the name server serves it: its records (no SOA, no DNSSEC records) and its SOA's MNAME. */
export interface ServedRecords {
  records: DnsRecord[];
  /** Absolute, lowercase, without the trailing dot; '' when the name server served no SOA to read it from. */
  primary: string;
}

/** A zone as listZones reads it back from the name server. */
export interface HeldZone {
  name: string;
  /** 'master' for a primary zone (its `masters` empty); a slave zone otherwise. */
  type?: 'master';
  masters: string[];
  queryOn: string[];
  allowTransfer: string[];
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
 * One zone change of a batch. `add` gives a zone already there the given clause (the result says it was there);
 * `move` and `delete` take a zone that is not there as gone; `modify` of a zone named lacks fails.
 */
export type ZoneOp =
  | { action: 'add' | 'modify'; zone: ZoneSpec }
  /** From the view it is in (`from`) to the zone's: deleted there (if there), then added. */
  | { action: 'move'; from: string; zone: ZoneSpec }
  | { action: 'delete'; view: string; name: ZoneName };

export type ZoneOutcome = 'added' | 'exists' | 'modified' | 'moved' | 'deleted' | 'missing';

/**
 * What became of one change of a batch; `error` is what the name server said (a ToolError, normally). `unsettled`: the
 * change is in the name server's configuration but it has not read it (it may after a restart), so it is neither done
 * nor undone — the caller leaves it pending, for the next request to finish.
 */
export type ZoneOpResult =
  | { ok: true; outcome: ZoneOutcome }
  | { ok: false; error: unknown; unsettled?: true };

export interface BatchOptions {
  /** Called as each change is done, in the order they finish (not the order given). */
  onResult?: (index: number, result: ZoneOpResult) => void;
}

export interface NameServerBackend {
  /**
   * Whether every namespace needs a view of its own: a name server that cannot answer a zone only on some addresses
   * (PowerDNS) has no shared view.
   */
  readonly viewPerNamespace: boolean;
  /**
   * Makes the name server have exactly these views and listen on these addresses. `commitIfCurrent` gets the step
   * that replaces the live configuration and runs it only if no newer state exists; when it returns false nothing is
   * replaced ('stale'). `force`: make the name server read the configuration again even when it is unchanged.
   */
  applyViews(config: ServerConfig, commitIfCurrent: (replace: () => void) => boolean, force?: boolean): Promise<'unchanged' | 'applied' | 'stale'>;
  /** Whether the live configuration has this view (cheap enough to ask before using a namespace's own view). */
  hasView(view: string): boolean;
  deleteZone(view: string, name: ZoneName): Promise<'deleted' | 'missing'>;
  /**
   * Many zone changes, with bounded parallelism towards the name server: each one's result, in the order given. One
   * change failing stops none of the others; only a failure of the whole channel (named not answering) is thrown.
   */
  applyZones(ops: readonly ZoneOp[], options?: BatchOptions): Promise<ZoneOpResult[]>;
  /**
   * Changes a master zone's records, all or none, incrementally: the name server advances the serial itself and tells
   * the zone's secondaries (NOTIFY). Throws a ToolError when it refuses or cannot be reached (nothing changed).
   */
  updateRecords(view: string, name: ZoneName, ops: readonly RecordOp[]): Promise<void>;
  /**
   * A master zone's records as the name server serves them now (its SOA and DNSSEC records left out) and the primary
   * its SOA names, for domain.sync to compare with the database; undefined when it does not hold the zone.
   */
  readRecords(view: string, name: ZoneName): Promise<ServedRecords | undefined>;
  /** Zones the name server holds in a view, with their masters and ACLs. */
  listZones(view: string): Promise<HeldZone[]>;
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
  /**
   * The host's addresses changed (bound or unbound): the name server listens on the new ones now rather than at its
   * next scan. A name server that is not running (at boot) is not an error.
   */
  rescanAddresses(): Promise<void>;
  /** Whether the name server answers at all, quickly (for /health). */
  ping(timeoutMs: number): Promise<boolean>;
  /**
   * For a name server of several processes that dnsmgr starts itself (PowerDNS: one per namespace): starts those of
   * the applied configuration that are not running, and says which it started. `dnsmgr run` calls it at start and
   * then every few seconds; a single named is supervised by run itself.
   */
  startMissing?(): Promise<string[]>;
  /** Stops every process startMissing would start (`dnsmgr run` stopping). */
  stopAll?(): Promise<void>;
}
