// Calls the slave's DNSmanager API (the panel's HTTP API, out=json); errors come back as SlaveError with the slave's type.
import type { SlaveConfig } from './config';

const TIMEOUT_MS = 15_000;

export class SlaveError extends Error {
  constructor(readonly type: string, message: string) {
    super(message);
  }
}

type JsonDoc = { doc?: { error?: { $type?: string; msg?: { $?: string } }; elem?: Record<string, { $?: string }>[] } };

/** POSTs the request (credentials in the body, not in a URL that could be logged) and returns the document. */
export async function callSlave(cfg: SlaveConfig, func: string, params: Record<string, string>): Promise<JsonDoc['doc']> {
  // lang=en: the slave's messages go into the queue's error column and the log, in one language whatever its DefaultLang.
  const body = new URLSearchParams({ func, out: 'json', lang: 'en', authinfo: `${cfg.username}:${cfg.password}`, ...params });
  let res: Response;
  try {
    res = await fetch(cfg.url, {
      method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new SlaveError('network', `slave unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  const text = await res.text();
  let json: JsonDoc;
  try {
    json = JSON.parse(text) as JsonDoc;
  } catch {
    throw new SlaveError('protocol', `slave answered HTTP ${res.status} without a JSON document: ${text.slice(0, 120)}`);
  }
  const error = json.doc?.error;
  if (error) throw new SlaveError(error.$type ?? 'error', error.msg?.$ ?? 'the slave refused the request');
  return json.doc;
}

/** The slave's zones of this panel's account, with their masters. */
export async function slaveZones(cfg: SlaveConfig): Promise<{ name: string; masters: string[] }[]> {
  const doc = await callSlave(cfg, 'domain', {});
  return (doc?.elem ?? []).map((e) => ({
    name: e.name?.$ ?? '',
    masters: (e.masterip?.$ ?? '').split(/[,\s]+/).filter(Boolean),
  }));
}

/**
 * The addresses the slave answers this panel's zones on: its login's namespace (the one it owns; else every namespace
 * the login sees). For the master side: NOTIFY goes there, and the administrator can allow it transfers.
 */
export async function slaveNamespaceAddresses(cfg: SlaveConfig): Promise<string[]> {
  const doc = await callSlave(cfg, 'namespace', {});
  const rows = (doc?.elem ?? []).map((e) => ({ owner: e.owner?.$ ?? '', ips: (e.ip?.$ ?? '').split(/[,\s]+/).filter(Boolean) }));
  const own = rows.filter((r) => r.owner === cfg.username);
  return [...new Set((own.length > 0 ? own : rows).flatMap((r) => r.ips))];
}
