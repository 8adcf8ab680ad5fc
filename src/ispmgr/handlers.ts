// The ISPmanager plugin's own functions: the slave settings form and the queue list with retry and drop.
import { AccessError, missingParam, NotFoundError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { Doc } from '../protocol/types';
import { parseIntInRange } from '../model/params';
import { loadSlaveConfig, saveSlaveConfig, validateSlaveConfig } from './config';
import { panelDnsDomains } from './panel';
import { drop, enqueue, listQueue, openQueue, retryNow } from '../store/ispmgr-queue';
import { spawnWorker, SYNC_MARKER } from './worker';
import { ISPMGR_FUNC_SPECS } from './funcs';

function ids(raw: string | undefined): number[] {
  const items = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (items.length === 0) throw new ValidationError(missingParam('elid'));
  return items.map((i) => parseIntInRange(i, 'elid', 1, Number.MAX_SAFE_INTEGER));
}

export async function runIspmgrFunc(root: string, func: string, params: Readonly<Record<string, string>>, level: number): Promise<Doc> {
  const spec = ISPMGR_FUNC_SPECS.find((f) => f.name === func);
  if (!spec) throw new NotFoundError('func', func);
  if (level < spec.minLevel) throw new AccessError('func', func, msg`Access to function '${func}' is denied`);
  const submit = params.sok !== undefined && params.sok !== '';
  switch (func) {
    case 'dnsslave.settings': {
      if (!submit) {
        const c = loadSlaveConfig(root);
        return { kind: 'form', fields: { url: c.url, username: c.username, password: '', masterip: c.masterIp, enabled: c.enabled ? 'on' : 'off', sync: 'off' } };
      }
      const change = validateSlaveConfig(params);
      const sync = ['on', 'yes', 'true', '1'].includes((params.sync ?? '').toLowerCase());
      // The domain list is read before anything is saved: a panel that cannot list its domains changes nothing.
      const domains = sync ? await panelDnsDomains({ ...loadSlaveConfig(root), ...change, password: '' }) : undefined;
      saveSlaveConfig(root, change);
      if (domains && change.enabled) {
        const db = openQueue(root);
        db.transaction(() => {
          for (const zone of domains) enqueue(db, zone, 'create', change.masterIp);
          enqueue(db, SYNC_MARKER, 'verify', '');
        }).immediate();
        db.close();
        spawnWorker(root);
      }
      return { kind: 'ok' };
    }
    case 'dnsslave.queue': {
      const db = openQueue(root);
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
      const db = openQueue(root);
      if (func === 'dnsslave.queue.retry') retryNow(db, list);
      else drop(db, list);
      db.close();
      if (func === 'dnsslave.queue.retry') spawnWorker(root);
      return { kind: 'ok' };
    }
    default:
      throw new NotFoundError('func', func);
  }
}
