// The after-event hook on ISPmanager's DNS and WWW domain functions. It never breaks or slows the customer's
// operation: it queues the change, starts the background worker, and hands the panel's document back unchanged.
import { appendFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkZoneName } from '../model/zone-name';
import { loadSlaveConfig } from './config';
import { enqueue, openQueue } from '../store/ispmgr-queue';
import type { QueueAction } from '../store/ispmgr-queue';
import { spawnWorker } from './worker';

export interface HookChange {
  zone: string;
  action: QueueAction;
}

/** The zone changes an event means. Pure: the panel's parameters in, changes out; names that are no zone are skipped. */
export function changesFor(func: string, params: Readonly<Record<string, string>>): HookChange[] {
  const submitted = params.sok !== undefined && params.sok !== '';
  const names = (raw: string | undefined): string[] => (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean)
    .flatMap((n) => { const c = checkZoneName(n); return c.ok ? [c.value] : []; });
  switch (func) {
    case 'domain.edit':
      // Without sok the form was only opened; with elid an existing domain was edited (its slave stays as it is).
      return submitted && !params.elid ? names(params.name).map((zone) => ({ zone, action: 'create' })) : [];
    case 'domain.delete':
      return names(params.elid).map((zone) => ({ zone, action: 'delete' }));
    case 'webdomain.edit':
      return submitted && !params.elid ? names(params.name).map((zone) => ({ zone, action: 'verify' })) : [];
    case 'webdomain.delete':
      return names(params.elid).map((zone) => ({ zone, action: 'verify' }));
    default:
      return [];
  }
}

export function runHook(root: string, env: NodeJS.ProcessEnv, params: Readonly<Record<string, string>>, panelDoc: string): string {
  try {
    // Only after the panel's own function succeeded: an after-stage call, and no error in its document.
    if (env.HANDLER_STAGE !== undefined && env.HANDLER_STAGE !== 'after') return panelDoc;
    if (/<error[\s>/]/.test(panelDoc)) return panelDoc;
    const changes = changesFor(params.func ?? '', params);
    if (changes.length === 0) return panelDoc;
    const cfg = loadSlaveConfig(root);
    if (!cfg.enabled) return panelDoc;
    const db = openQueue(root);
    db.transaction(() => { for (const c of changes) enqueue(db, c.zone, c.action, cfg.masterIp); }).immediate();
    db.close();
    spawnWorker(root);
  } catch (err) {
    log(root, `hook ${params.func ?? ''}: ${err instanceof Error ? err.message : String(err)}`);
  }
  return panelDoc;
}

export function log(root: string, line: string): void {
  try {
    const dir = join(root, 'var', 'log');
    mkdirSync(dir, { recursive: true });
    appendFileSync(join(dir, 'dnsmgr-ispmgr.log'), `${new Date().toISOString()} ${line}\n`);
  } catch {
    // Logging must not fail the hook either.
  }
}
