// Master zones queued for dnsmgr's slave servers as requests create and delete them. Cheap when there are none: one
// stat of the queue file; else a few small writes, and the worker started detached (the request does not wait for it).
import { existsSync } from 'node:fs';
import type { App } from '../app';
import { spawnWorker } from '../panels/worker';
import { enqueue, listSlaveServers, openQueue, queueLength, queuePath } from '../store/panel-queue';
import type { QueueAction } from '../store/panel-queue';
import { dnsmgrSlaves } from './panel';
import { DNSMGR_SLAVES } from './addresses';
import { logEvent } from '../files/event-log';
import { getZone } from '../store/zones';
import type { Zone } from '../store/zones';
import { masterZoneAddress, namespaceMasterIp } from '../store/master-zones';

export interface MasterZoneChange {
  zone: string;
  action: Extract<QueueAction, 'create' | 'delete'>;
  /** create: the address the slaves transfer it from (its namespace's). */
  masterIp: string;
}

/** Queues the changes for every slave server and starts the worker; nothing when there is no slave server. */
export function pushMasterZones(app: App, changes: readonly MasterZoneChange[]): void {
  if (changes.length === 0 || !existsSync(queuePath(app.root, DNSMGR_SLAVES))) return;
  const db = openQueue(app.root, DNSMGR_SLAVES);
  let queued = false;
  try {
    db.transaction(() => {
      for (const s of listSlaveServers(db)) {
        for (const c of changes) enqueue(db, s.id, c.zone, c.action, c.action === 'create' ? c.masterIp : '');
        queued = true;
      }
    }).immediate();
  } finally {
    db.close();
  }
  if (queued) spawnWorker(app.root, dnsmgrSlaves(app));
}

/**
 * After domain.edit made a master zone: queued as `create` from its namespace's address. A failure here does not
 * fail the request (the zone is made): it is logged, and synchronizing the slave server (sync=on) brings it there.
 */
export function pushCreatedMaster(app: App, zoneId: number): void {
  guarded(app, () => {
    const zone = getZone(app.db, zoneId);
    if (zone === undefined || zone.dtype !== 'master' || zone.pending === 'delete') return;
    const masterIp = namespaceMasterIp(app.db, zone.namespaceId);
    if (masterIp !== undefined) pushMasterZones(app, [{ zone: zone.name, action: 'create', masterIp }]);
  });
}

/**
 * After domain.delete: the master zones it deleted are queued as `delete`; a name another namespace still has is queued
 * as `create` from that namespace's address instead (the slave servers may have been transferring it from the one gone),
 * as a synchronization would leave them.
 */
export function pushDeletedMasters(app: App, zones: readonly Pick<Zone, 'id' | 'name' | 'dtype'>[]): void {
  guarded(app, () => {
    const gone = zones.filter((z) => z.dtype === 'master' && getZone(app.db, z.id) === undefined);
    pushMasterZones(app, [...new Set(gone.map((z) => z.name))].map((zone): MasterZoneChange => {
      const masterIp = masterZoneAddress(app.db, zone);
      return masterIp === undefined ? { zone, action: 'delete', masterIp: '' } : { zone, action: 'create', masterIp };
    }));
  });
}

function guarded(app: App, fn: () => void): void {
  try {
    fn();
  } catch (err) {
    logEvent(app.settings.logFile, 'slaveserver', `queueing for the slave servers failed: ${err instanceof Error ? err.message : String(err)}`);
  }
}

/**
 * `dnsmgr run` starting: changes left waiting for the slave servers when the server last stopped (their worker went
 * with it) are sent on by a worker started now. One stat when there are no slave servers.
 */
export function resumeSlavePush(app: App): void {
  guarded(app, () => {
    if (!existsSync(queuePath(app.root, DNSMGR_SLAVES))) return;
    const db = openQueue(app.root, DNSMGR_SLAVES);
    let waiting = 0;
    try {
      waiting = queueLength(db);
    } finally {
      db.close();
    }
    if (waiting > 0) spawnWorker(app.root, dnsmgrSlaves(app));
  });
}
