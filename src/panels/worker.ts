// The background worker: sends queued changes to the slave outside any panel request, retrying with backoff until
// each one succeeds. One runs at a time (a lease in the queue database); it exits when nothing is left to send.
import { spawn } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import { now } from '../store/db';
import { domainMasters, EVENT_SYNC_DELETE_LIMIT, EVENT_SYNC_MARKER, isSyncMarker, workerCommand } from './adapter';
import type { SlavePushAdapter } from './adapter';
import { adapterConfig, slaveTarget, withTarget } from './config';
import type { SlaveConfig } from './config';
import { complete, drop, dueItems, enqueue, fail, getSlaveServer, isQueued, nextDue, openQueue, pushedZones, releaseLease, setSlaveServerNsAddr, takeLease } from '../store/panel-queue';
import type { QueueItem } from '../store/panel-queue';
import type { Db } from '../store/db';
import { callSlave, SlaveError, slaveNamespaceAddresses, slaveZones } from './slave-client';

const LEASE_SECONDS = 120;

/** Starts a worker in the background, detached from the request that queued the change. */
export function spawnWorker(root: string, adapter: SlavePushAdapter): void {
  const child = spawn(process.execPath, [process.argv[1] as string, '--root', root, workerCommand(adapter)], { detached: true, stdio: 'ignore' });
  child.unref();
}

export async function runWorker(adapter: SlavePushAdapter, root: string): Promise<void> {
  const db = openQueue(root, adapter.panel);
  if (!takeLease(db, process.pid, LEASE_SECONDS)) return;
  try {
    for (;;) {
      takeLease(db, process.pid, LEASE_SECONDS);
      const cfg = adapterConfig(root, adapter);
      const due = dueItems(db, now());
      let panel: Set<string> | undefined;
      for (const item of due) {
        // A batch may outlast the lease: renewed per item, and given up if another worker took it over meanwhile.
        if (!takeLease(db, process.pid, LEASE_SECONDS)) return;
        // The slave server it goes to; one deleted meanwhile takes its changes with it.
        const target = slaveTarget(cfg, db, item.target);
        if (target === undefined) {
          drop(db, [item.id]);
          continue;
        }
        try {
          if (item.action === 'verify' && !isSyncMarker(item.zone)) panel ??= await adapter.dnsDomains(cfg);
          await send(adapter, db, withTarget(cfg, target), item, panel);
        } catch (err) {
          fail(db, item, err instanceof Error ? err.message : String(err), cfg.retryBase);
        }
      }
      const next = nextDue(db);
      if (next === undefined) return;
      await sleep(Math.min(Math.max(next - now(), 0.2), 30) * 1000);
    }
  } finally {
    releaseLease(db, process.pid);
    db.close();
  }
}

async function send(adapter: SlavePushAdapter, db: Db, cfg: SlaveConfig, item: QueueItem, panel: Set<string> | undefined): Promise<void> {
  if (isSyncMarker(item.zone)) return synchronize(adapter, db, cfg, item);
  let action = item.action;
  // A WWW domain event: whether a DNS domain came or went is the panel's word, asked now rather than in its request.
  if (action === 'verify') action = panel?.has(item.zone) ? 'create' : pushedZones(db, item.target).includes(item.zone) ? 'delete' : 'verify';
  if (action === 'create') await createOnSlave(cfg, item.zone, item.masterIp || cfg.masterIp);
  if (action === 'delete') await callSlave(cfg, 'domain.delete', { elid: item.zone });
  complete(db, item, action);
}

/**
 * Creates the zone; if the slave says it exists, edits it (the panel's address changed): what the edit answers is the
 * outcome — done if the zone is this account's, the slave's refusal if it is another's. Decided on the error's type,
 * never its words.
 */
async function createOnSlave(cfg: SlaveConfig, zone: string, masterIp: string): Promise<void> {
  try {
    await callSlave(cfg, 'domain.edit', { dtype: 'slave', name: zone, masterip: masterIp, sok: 'ok' });
  } catch (err) {
    if (!(err instanceof SlaveError) || err.type !== 'exists') throw err;
    await callSlave(cfg, 'domain.edit', { elid: zone, masterip: masterIp, sok: 'ok' });
  }
}

/**
 * One slave server brought in line with the panel, each change queued on its own (retried on its own): the panel's DNS domains
 * the slave lacks are created; the slave zones this panel made (pushed from here, or served from this panel's address)
 * that the panel no longer has are deleted. Zones of other panels sharing the account have other masters and are never
 * touched. Queued by the settings form's "synchronize", and by events whose zones cannot be named (a VDSmanager server
 * deleted: only its id is known).
 */
async function synchronize(adapter: SlavePushAdapter, db: Db, cfg: SlaveConfig, item: QueueItem): Promise<void> {
  const byEvent = item.zone === EVENT_SYNC_MARKER;
  const panel = await domainMasters(adapter, cfg);
  // The addresses its zones are transferred from: a slave zone served from one of them is one this side made.
  const ours = new Set([cfg.masterIp, ...panel.values()].filter((ip) => ip !== ''));
  const { target } = item;
  const pushed = new Set(pushedZones(db, target));
  const onSlave = new Set<string>();
  const gone: string[] = [];
  for (const z of await slaveZones(cfg)) {
    onSlave.add(z.name);
    const served = z.masters.length > 0 && z.masters.every((m) => ours.has(m));
    const mine = pushed.has(z.name) || (!byEvent && served);
    if (mine && !panel.has(z.name) && !isQueued(db, target, z.name)) gone.push(z.name);
  }
  if (byEvent && gone.length > EVENT_SYNC_DELETE_LIMIT) {
    throw new Error(`the panel's DNS domains lack ${gone.length} zones pushed to the slave; more than ${EVENT_SYNC_DELETE_LIMIT} are deleted only by "synchronize now" in the settings form`);
  }
  db.transaction(() => {
    for (const zone of gone) enqueue(db, target, zone, 'delete', '');
    // What the panel has and the slave lacks, whoever lost it there.
    for (const [zone, masterIp] of panel) if (!onSlave.has(zone) && !isQueued(db, target, zone)) enqueue(db, target, zone, 'create', masterIp);
  }).immediate();
  complete(db, item, 'verify');
  await refreshAddresses(adapter, db, cfg, target);
}

/**
 * The addresses a slave server answers on, asked again now that it answered (slaveserver's nsaddr; the settings form's
 * slave keeps none). Best effort: the synchronization is done whatever this finds.
 */
async function refreshAddresses(adapter: SlavePushAdapter, db: Db, cfg: SlaveConfig, target: number): Promise<void> {
  if (getSlaveServer(db, target) === undefined) return;
  const addrs = await slaveNamespaceAddresses(cfg).catch(() => []);
  if (addrs.length === 0 || !setSlaveServerNsAddr(db, target, addrs.join(', '))) return;
  await adapter.slaveAddressesChanged?.();
}
