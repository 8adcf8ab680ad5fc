// The panels dnsmgr has a plugin for, each an adapter of the integration room (panels/adapter).
import { ISPMANAGER } from '../ispmgr/adapter';
import { VDSMANAGER } from '../vmmgr/adapter';
import { workerCommand } from './adapter';
import type { PanelAdapter, SlavePushAdapter } from './adapter';

export const PANEL_ADAPTERS: readonly PanelAdapter[] = [ISPMANAGER, VDSMANAGER];

/** The adapter whose plugin executable this is (addon/dnsmgr-ispmgr …), by its file name. */
export function adapterByExe(exeName: string): PanelAdapter | undefined {
  return PANEL_ADAPTERS.find((a) => a.exeName === exeName);
}

/** The adapter whose background worker this command runs (`ispmgr-worker` …). */
export function adapterByWorkerCommand(command: string): PanelAdapter | undefined {
  return PANEL_ADAPTERS.find((a) => workerCommand(a) === command);
}

/** The adapter whose background worker this command runs: a panel's, or dnsmgr's own (`dnsmgr-worker`, src/slaves/). */
export async function workerAdapter(command: string, root: string): Promise<SlavePushAdapter | undefined> {
  const panel = adapterByWorkerCommand(command);
  if (panel !== undefined) return panel;
  const [{ App }, { dnsmgrSlaves }] = await Promise.all([import('../app'), import('../slaves/panel')]);
  const own = dnsmgrSlaves(new App(root));
  return workerCommand(own) === command ? own : undefined;
}
