// One integration room for every panel that pushes its DNS domains to a slave: the durable queue, the delivery worker
// with backoff, "synchronize" with its ownership rule, the settings form and the queue list are one piece
// (src/panels/); a panel is an adapter naming its events, what they mean, and how to list its DNS domains.
import { checkZoneName } from '../model/zone-name';
import { runTool } from '../system/run-tool';
import type { QueueAction } from '../store/panel-queue';
import type { SlaveConfig } from './config';

export interface HookChange {
  zone: string;
  action: QueueAction;
}

/**
 * Whatever pushes its zones to slave servers through the room: a panel (PanelAdapter), or dnsmgr itself with its master
 * zones (src/slaves/). The queue, the worker, synchronize and the slave server functions need no more than this.
 */
export interface SlavePushAdapter {
  /** Its COREmanager name (`ispmgr`, `vmmgr`, `dnsmgr`): its settings and queue files are named after it. */
  readonly panel: string;
  /** Its name for people (logs, metrics help). */
  readonly title: string;
  /** Its DNS domains now (lower case, no trailing dot), for synchronize and for `verify`. */
  dnsDomains(cfg: SlaveConfig): Promise<Set<string>>;
  /**
   * Its DNS domains with the address the slave transfers each from, when that differs by zone (dnsmgr's master zones:
   * their namespace's address); without it every one is transferred from the settings' MasterIp.
   */
  domainMasters?(cfg: SlaveConfig): Promise<Map<string, string>>;
  /** Its settings; without it the settings form's file (loadSlaveConfig). */
  config?(root: string): SlaveConfig;
  /**
   * A slave server said other addresses than known (asked again when it is synchronized: one that could not be reached
   * when it was added had none). dnsmgr gives its master zones' clauses, which name them, to named again.
   */
  slaveAddressesChanged?(): Promise<void>;
}

export interface PanelAdapter extends SlavePushAdapter {
  /** The plugin's executable in the panel's addon/ (a link to dnsmgr's one executable). */
  readonly exeName: string;
  /** The panel's functions whose success means DNS domains came or went; the hook runs after them. */
  readonly events: readonly string[];
  /** The zone changes an event means. Pure: the panel's parameters in, changes out; names that are no zone skipped. */
  changesFor(func: string, params: Readonly<Record<string, string>>): HookChange[];
}

/** Its DNS domains, each with the address the slave transfers it from. */
export async function domainMasters(adapter: SlavePushAdapter, cfg: SlaveConfig): Promise<Map<string, string>> {
  if (adapter.domainMasters !== undefined) return adapter.domainMasters(cfg);
  return new Map([...await adapter.dnsDomains(cfg)].map((zone) => [zone, cfg.masterIp]));
}

/**
 * The COREmanager panels' own DNS domain functions, by name: `domain.edit` submitted without elid created its zones
 * (opening the form, or editing a domain, changes no slave), `domain.delete` deleted those in elid. Undefined for any
 * other function.
 */
export function dnsDomainChanges(func: string, params: Readonly<Record<string, string>>): HookChange[] | undefined {
  const submitted = params.sok !== undefined && params.sok !== '';
  if (func === 'domain.edit') return submitted && !params.elid ? zoneNames(params.name).map((zone) => ({ zone, action: 'create' })) : [];
  if (func === 'domain.delete') return zoneNames(params.elid).map((zone) => ({ zone, action: 'delete' }));
  return undefined;
}

/** A panel's list of names (`elid=a.example, b.example`): the valid zone names, the rest skipped. */
export function zoneNames(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    .flatMap((n) => { const c = checkZoneName(n); return c.ok ? [c.value] : []; });
}

/**
 * The panel's `domain` list through its own mgrctl (`mgrctl -m <panel> -o json domain`), each name as dnsmgr writes it
 * (lower case, punycode; what is no zone name skipped). An answer that is an error, or not a document, throws: a
 * synchronization must never take it for an empty panel.
 */
export async function listDomains(cfg: SlaveConfig, panel: string): Promise<Set<string>> {
  const label = `mgrctl -m ${panel} domain`;
  const { stdout } = await runTool(cfg.mgrctl, ['-m', panel, '-o', 'json', 'domain'], { label });
  let answer: { doc?: { error?: { msg?: { $?: string } }; elem?: unknown } };
  try {
    answer = JSON.parse(stdout) as typeof answer;
  } catch {
    throw new Error(`${label}: not a JSON document`);
  }
  const doc = answer.doc;
  if (doc === undefined || doc === null || typeof doc !== 'object') throw new Error(`${label}: no document`);
  if (doc.error !== undefined) throw new Error(`${label}: ${doc.error.msg?.$ ?? 'an error'}`);
  const elems = doc.elem === undefined ? [] : doc.elem;
  if (!Array.isArray(elems)) throw new Error(`${label}: elem is not a list`);
  return new Set(zoneNames((elems as { name?: { $?: string } }[]).map((e) => e.name?.$ ?? '').join(',')));
}

/** The queue item that asks for a synchronization: the slave brought in line with the panel's DNS domains. */
export const SYNC_MARKER = '.sync';
/**
 * The same, asked by a panel event whose zones it cannot name (a VDSmanager server deleted by id): no administrator
 * asked, so it deletes only zones this panel pushed, and refuses to delete more than EVENT_SYNC_DELETE_LIMIT at once
 * (a panel list gone wrong must not empty the slave; "synchronize now" in the settings form can).
 */
export const EVENT_SYNC_MARKER = '.sync-event';
export const EVENT_SYNC_DELETE_LIMIT = 20;

export function isSyncMarker(zone: string): boolean {
  return zone === SYNC_MARKER || zone === EVENT_SYNC_MARKER;
}

/** The command that runs the background worker (`dnsmgr ispmgr-worker`, `dnsmgr dnsmgr-worker`). */
export function workerCommand(adapter: SlavePushAdapter): string {
  return `${adapter.panel}-worker`;
}
