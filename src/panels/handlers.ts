// A panel plugin's own functions: the slave settings form, the slave servers, and the queue list with retry and drop.
import { AccessError, collectProblems, DnsmgrError, missingParam, NotFoundError, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import type { Doc } from '../protocol/types';
import { parseIntInRange } from '../model/params';
import { adapterConfig, decodePassword, encodePassword, loadSlaveConfig, parseSlaveUrl, saveSlaveConfig, slaveTargets, validateSlaveConfig, withTarget } from './config';
import type { SlaveConfig, SlaveTarget } from './config';
import type { PanelAdapter, SlavePushAdapter } from './adapter';
import { deleteSlaveServer, drop, enqueue, findSlaveServerByUrl, getSlaveServer, listQueue, listSlaveServers, openQueue, queueStateByTarget, retryNow, saveSlaveServer, SETTINGS_TARGET } from '../store/panel-queue';
import type { Db } from '../store/db';
import { parseLogin } from '../model/account-name';
import { SlaveError, slaveNamespaceAddresses } from './slave-client';
import { domainMasters, SYNC_MARKER } from './adapter';
import { spawnWorker } from './worker';
import { PANEL_FUNC_SPECS } from './funcs';

export function ids(raw: string | undefined): number[] {
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
      const domains = sync ? await domainMasters(adapter, { ...loadSlaveConfig(root, panel), ...change, password: '' }) : undefined;
      saveSlaveConfig(root, panel, change);
      if (domains && change.enabled) {
        const db = openQueue(root, panel);
        // Every slave server synchronized, the settings form's and slaveserver's.
        db.transaction(() => { for (const t of slaveTargets(loadSlaveConfig(root, panel), db)) queueSync(db, t.id, domains); }).immediate();
        db.close();
        spawnWorker(root, adapter);
      }
      return { kind: 'ok' };
    }
    case 'dnsslave.queue': {
      const db = openQueue(root, panel);
      const servers = new Map(slaveTargets(loadSlaveConfig(root, panel), db).map((t) => [t.id, t.url]));
      const rows = listQueue(db).map((q) => ({
        id: String(q.id), server: servers.get(q.target) ?? String(q.target), zone: q.zone, action: q.action, attempts: String(q.attempts),
        next: new Date(q.nextAt * 1000).toISOString(), error: q.lastError,
      }));
      db.close();
      return { kind: 'list', rows };
    }
    case 'slaveserver':
      return listSlaveServerRows(adapter, root);
    case 'slaveserver.edit':
      return submit ? editSlaveServer(adapter, root, parseSlaveServerEdit(params)) : slaveServerForm(adapter, root, parseSlaveServerElid(params));
    case 'slaveserver.delete':
      deleteSlaveServers(adapter, root, ids(params.elid));
      return { kind: 'ok' };
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

/** A slave server's whole state made again: every domain created (or confirmed) from its address, then the strays removed. */
function queueSync(db: Db, target: number, domains: ReadonlyMap<string, string>): void {
  for (const [zone, masterIp] of domains) enqueue(db, target, zone, 'create', masterIp);
  enqueue(db, target, SYNC_MARKER, 'verify', '');
}

/** slaveserver: every slave server, with what waits for it and the addresses it answers on. */
export function listSlaveServerRows(adapter: SlavePushAdapter, root: string): Doc {
  const db = openQueue(root, adapter.panel);
  try {
    const state = queueStateByTarget(db);
    const addrs = new Map(listSlaveServers(db).map((r) => [r.id, r.nsAddr]));
    const rows = slaveTargets(adapterConfig(root, adapter), db).map((t) => ({
      id: String(t.id), url: t.url, username: t.username, nsaddr: addrs.get(t.id) ?? '',
      waiting: String(state.get(t.id)?.waiting ?? 0), error: state.get(t.id)?.error ?? '',
    }));
    return { kind: 'list', rows };
  } finally {
    db.close();
  }
}

/** slaveserver.delete: all the ids exist, or none is deleted. */
export function deleteSlaveServers(adapter: SlavePushAdapter, root: string, list: readonly number[]): void {
  const db = openQueue(root, adapter.panel);
  try {
    for (const id of list) if (getSlaveServer(db, id) === undefined) throw new DnsmgrError('missed', 'slaveserver', String(id), msg`Slave server ${id} does not exist`);
    db.transaction(() => { for (const id of list) deleteSlaveServer(db, id); }).immediate();
  } finally {
    db.close();
  }
}

/** slaveserver.edit submitted, checked: every bad field reported at once. */
export interface SlaveServerEdit {
  elid?: number;
  url: string;
  username: string;
  /** Undefined keeps the stored one (an edit). */
  password?: string;
  sync: boolean;
}

/** The id of slaveserver.edit: empty for a new one; 0 (the settings form's) is edited in its form. */
export function parseSlaveServerElid(params: Readonly<Record<string, string>>): number | undefined {
  const elid = params.elid === undefined || params.elid === '' ? undefined : parseIntInRange(params.elid, 'elid', 0, Number.MAX_SAFE_INTEGER);
  if (elid === SETTINGS_TARGET) throw new ValidationError({ param: 'elid', value: '0', reason: msg`the settings form's slave server is changed in its form (dnsslave.settings)` });
  return elid;
}

export function parseSlaveServerEdit(params: Readonly<Record<string, string>>): SlaveServerEdit {
  const problems: InvalidParam[] = [];
  const elid = collectProblems<number | undefined>(problems, () => parseSlaveServerElid(params), undefined);
  const url = collectProblems(problems, () => parseSlaveUrl(params.url ?? ''), '');
  const username = collectProblems<string>(problems, () => parseLogin(params.username ?? '', 'username'), '');
  const password = params.password === undefined || params.password === '' ? undefined : params.password;
  if (password !== undefined && (password.length > 72 || /[\u0000-\u001f\u007f]/.test(password))) {
    problems.push({ param: 'password', value: '(hidden)', reason: msg`up to 72 characters, no control characters` });
  }
  // A new one (no elid at all) needs a password; a bad elid has its own problem recorded.
  if ((params.elid ?? '') === '' && password === undefined) problems.push(missingParam('password'));
  if (problems.length > 0) throw new ValidationError(problems);
  const sync = ['on', 'yes', 'true', '1'].includes((params.sync ?? '').toLowerCase());
  return { ...(elid === undefined ? {} : { elid }), url, username, ...(password === undefined ? {} : { password }), sync };
}

/** slaveserver.edit opened: the slave server's fields (a new one's empty). */
export function slaveServerForm(adapter: SlavePushAdapter, root: string, elid: number | undefined): Doc {
  const db = openQueue(root, adapter.panel);
  try {
    const current = elid === undefined ? undefined : getSlaveServer(db, elid);
    if (elid !== undefined && current === undefined) throw new DnsmgrError('missed', 'slaveserver', String(elid), msg`Slave server ${elid} does not exist`);
    return { kind: 'form', fields: { ...(current ? { elid: String(current.id) } : {}), url: current?.url ?? '', username: current?.username ?? '', password: '', sync: 'off' } };
  } finally {
    db.close();
  }
}

/**
 * slaveserver.edit: a slave server besides the settings form's (elid: its id; the settings form's, id 0, is edited
 * there). Saved only after the slave answered the login, or could not be reached (a slave that is down gets everything
 * once it is back); one that refuses the login is not saved. A new one, or one asked to (sync=on), is synchronized:
 * every DNS domain queued for it, then the zones it holds that this side no longer has removed.
 */
export async function editSlaveServer(adapter: SlavePushAdapter, root: string, p: SlaveServerEdit): Promise<Doc> {
  const { panel } = adapter;
  const { elid, url, username, password } = p;
  const db = openQueue(root, panel);
  try {
    const current = elid === undefined ? undefined : getSlaveServer(db, elid);
    if (elid !== undefined && current === undefined) throw new DnsmgrError('missed', 'slaveserver', String(elid), msg`Slave server ${elid} does not exist`);
    const cfg = adapterConfig(root, adapter);
    const taken = findSlaveServerByUrl(db, url);
    if ((taken !== undefined && taken.id !== elid) || cfg.url === url) throw new DnsmgrError('exists', 'slaveserver', url, msg`Slave server ${url} is already there`);
    const target: SlaveTarget = { id: elid ?? -1, url, username, password: password ?? decodeStored(current?.password) };
    const nsAddr = await askNamespace(withTarget(cfg, target));
    const sync = current === undefined || p.sync;
    // The domains are read before anything is saved: a panel that cannot list them changes nothing.
    const domains = sync && cfg.enabled ? await domainMasters(adapter, cfg) : undefined;
    db.transaction(() => {
      const id = saveSlaveServer(db, { ...(elid === undefined ? {} : { id: elid }), url, username, ...(password === undefined ? {} : { password: encodePassword(password) }), nsAddr: nsAddr.length > 0 ? nsAddr.join(', ') : current?.nsAddr ?? '' });
      if (domains !== undefined) queueSync(db, id, domains);
    }).immediate();
    if (domains !== undefined) spawnWorker(root, adapter);
    return { kind: 'ok' };
  } finally {
    db.close();
  }
}

function decodeStored(stored: string | undefined): string {
  return stored === undefined ? '' : decodePassword(stored);
}

/**
 * The slave's namespace addresses; none when it cannot be reached now (what was known before is kept). A login it
 * refuses is the request's error.
 */
async function askNamespace(cfg: SlaveConfig): Promise<string[]> {
  try {
    return await slaveNamespaceAddresses(cfg);
  } catch (err) {
    if (err instanceof SlaveError && (err.type === 'network' || err.type === 'protocol')) return [];
    if (err instanceof SlaveError) throw new DnsmgrError('auth', 'slaveserver', cfg.url, msg`the slave server refused the login: ${err.message}`);
    throw err;
  }
}
