// The after-event hook on a panel's domain functions. It never breaks or slows the customer's operation: it queues
// the change, starts the background worker, and hands the panel's document back unchanged.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PanelAdapter } from './adapter';
import { loadSlaveConfig, slaveTargets } from './config';
import { enqueue, openQueue } from '../store/panel-queue';
import { spawnWorker } from './worker';

export function runHook(adapter: PanelAdapter, root: string, env: NodeJS.ProcessEnv, params: Readonly<Record<string, string>>, panelDoc: string): string {
  try {
    // Only after the panel's own function succeeded: an after-stage call, and no error in its document.
    if (env.HANDLER_STAGE !== undefined && env.HANDLER_STAGE !== 'after') return panelDoc;
    if (/<error[\s>/]/.test(panelDoc)) return panelDoc;
    const changes = adapter.changesFor(params.func ?? '', params);
    if (changes.length === 0) return panelDoc;
    const cfg = loadSlaveConfig(root, adapter.panel);
    if (!cfg.enabled) return panelDoc;
    const db = openQueue(root, adapter.panel);
    // Every slave server gets every change, each through its own place in the queue.
    db.transaction(() => {
      for (const t of slaveTargets(cfg, db)) for (const c of changes) enqueue(db, t.id, c.zone, c.action, cfg.masterIp);
    }).immediate();
    db.close();
    spawnWorker(root, adapter);
  } catch (err) {
    log(root, adapter, `hook ${params.func ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return panelDoc;
}

/** The plugin's own log, var/log/dnsmgr-<panel>.log: what went wrong where the panel could not be told. */
export function log(root: string, adapter: PanelAdapter, line: string): void {
  try {
    const dir = join(root, 'var', 'log');
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, `dnsmgr-${adapter.panel}.log`), `${new Date().toISOString()} ${line}\n`);
  } catch {
    // Logging must not fail the hook either.
  }
}
