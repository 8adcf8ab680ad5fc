// What the hosting panel itself says: its DNS domains, through its own mgrctl.
import { runTool } from '../system/run-tool';
import type { SlaveConfig } from './config';

export async function panelDnsDomains(cfg: SlaveConfig): Promise<Set<string>> {
  const { stdout } = await runTool(cfg.mgrctl, ['-m', 'ispmgr', '-o', 'json', 'domain'], { label: 'mgrctl -m ispmgr domain' });
  const doc = JSON.parse(stdout) as { doc?: { elem?: { name?: { $?: string } }[] } };
  return new Set((doc.doc?.elem ?? []).map((e) => (e.name?.$ ?? '').toLowerCase().replace(/\.$/, '')).filter(Boolean));
}
