// A panel plugin's own functions: the slave settings form and the queue list with retry and drop.
import { AccessError, missingParam, NotFoundError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { Doc } from '../protocol/types';
import { parseIntInRange } from '../model/params';
import { loadSlaveConfig, saveSlaveConfig, validateSlaveConfig } from './config';
import type { PanelAdapter } from './adapter';
import { drop, enqueue, listQueue, openQueue, retryNow } from '../store/panel-queue';
import { SYNC_MARKER } from './adapter';
import { spawnWorker } from './worker';
import { PANEL_FUNC_SPECS } from './funcs';

function ids(raw: string | undefined): number[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new ValidationError(missingParam('elid'));
  return items.map((i) => parseIntInRange(i, 'elid', 1, Number.MAX_SAFE_INTEGER));
}

export async function runPanelFunc(adapter: PanelAdapter, root: string, func: string, params: Readonly<Record<string, string>>, level: number): Promise<Doc> {
  const { panel } = adapter;
  const spec = PANEL_FUNC_SPECS.find((f) => f.name === func);
  if (!spec) throw new NotFoundError('func', func);
  if (level < spec.minLevel) throw new AccessError('func', func, msg`Access to function '${func}' is denied`);
  const submit = params.sok !== undefined && params.sok !== '';
  switch (func) {
    case 'dnsslave.settings': {
      if (!submit) {
        const c = loadSlaveConfig(root, panel);
        return { kind: 'form', fields: { url: c.url, username: c.username, password: '', masterip: c.masterIp, enabled: c.enabled ? 'on' : 'off', sync: 'off' } };
      }
      const change = validateSlaveConfig(params);
      const sync = ['on', 'yes', 'true', '1'].includes((params.sync ?? '').toLowerCase());
      // The domain list is read before anything is saved: a panel that cannot list its domains changes nothing.
      const domains = sync ? await adapter.dnsDomains({ ...loadSlaveConfig(root, panel), ...change, password: '' }) : undefined;
      saveSlaveConfig(root, panel, change);
      if (domains && change.enabled) {
        const db = openQueue(root, panel);
        db.transaction(() => {
          for (const zone of domains) enqueue(db, zone, 'create', change.masterIp);
          enqueue(db, SYNC_MARKER, 'verify', '');
        }).immediate();
        db.close();
        spawnWorker(root, adapter);
      }
      return { kind: 'ok' };
    }
    case 'dnsslave.queue': {
      const db = openQueue(root, panel);
      const rows = listQueue(db).map((q) => ({
        id: String(q.id), zone: q.zone, action: q.action, attempts: String(q.attempts),
        next: new Date(q.nextAt * 1000).toISOString(), error: q.lastError,
      }));
      db.close();
      return { kind: 'list', rows };
    }
    case 'dnsslave.queue.retry':
    case 'dnsslave.queue.delete': {
      const list = ids(params.elid);
      const db = openQueue(root, panel);
      if (func === 'dnsslave.queue.retry') retryNow(db, list);
      else drop(db, list);
      db.close();
      if (func === 'dnsslave.queue.retry') spawnWorker(root, adapter);
      return { kind: 'ok' };
    }
    default:
      throw new NotFoundError('func', func);
  }
}
