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

export interface PanelAdapter {
  /** The panel's COREmanager name (`ispmgr`, `vmmgr`): its plugin's files and settings are named after it. */
  readonly panel: string;
  /** The panel's name for people (logs, metrics help). */
  readonly title: string;
  /** The plugin's executable in the panel's addon/ (a link to dnsmgr's one executable). */
  readonly exeName: string;
  /** The panel's functions whose success means DNS domains came or went; the hook runs after them. */
  readonly events: readonly string[];
  /** The zone changes an event means. Pure: the panel's parameters in, changes out; names that are no zone skipped. */
  changesFor(func: string, params: Readonly<Record<string, string>>): HookChange[];
  /** The panel's DNS domains now (lower case, no trailing dot), for synchronize and for `verify`. */
  dnsDomains(cfg: SlaveConfig): Promise<Set<string>>;
}

/** A panel's list of names (`elid=a.example, b.example`): the valid zone names, the rest skipped. */
export function zoneNames(raw: string | undefined): string[] {
  return (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    .flatMap((n) => { const c = checkZoneName(n); return c.ok ? [c.value] : []; });
}

/** The panel's `domain` list through its own mgrctl (`mgrctl -m <panel> -o json domain`). */
export async function listDomains(cfg: SlaveConfig, panel: string): Promise<Set<string>> {
  const { stdout } = await runTool(cfg.mgrctl, ['-m', panel, '-o', 'json', 'domain'], { label: `mgrctl -m ${panel} domain` });
  const doc = JSON.parse(stdout) as { doc?: { elem?: { name?: { $?: string } }[] } };
  return new Set((doc.doc?.elem ?? []).map((e) => (e.name?.$ ?? '').toLowerCase().replace(/\.$/, '')).filter(Boolean));
}

/** The queue item that asks for a synchronization: the slave brought in line with the panel's DNS domains. */
export const SYNC_MARKER = '.sync';

/** The command that runs the panel's background worker (`dnsmgr ispmgr-worker`). */
export function workerCommand(adapter: PanelAdapter): string {
  return `${adapter.panel}-worker`;
}
