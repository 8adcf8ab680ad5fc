// What a master zone's clause says of dnsmgr's slave servers: who may transfer it, and who is told of its changes.
import { existsSync } from 'node:fs';
import { checkPeerAddress } from '../model/address';
import type { IpAddress } from '../model/address';
import { listSlaveServers, openQueue, queuePath } from '../store/panel-queue';

/** The name the room files dnsmgr's own slave servers under: var/dnsmgr-dnsmgr.db, etc/dnsmgr-dnsmgr.conf, `dnsmgr dnsmgr-worker`. */
export const DNSMGR_SLAVES = 'dnsmgr';

export interface SlaveAddresses {
  /** Allowed to transfer master zones: each slave server's URL host (when it is an IP address) and its nsaddr. */
  transfer: IpAddress[];
  /** Sent NOTIFY: the addresses each slave server answers the zones on (its nsaddr, asked of it when registered). */
  notify: IpAddress[];
}

export const NO_SLAVES: SlaveAddresses = { transfer: [], notify: [] };

/**
 * The slave servers' addresses, from the queue file (none when there is none yet: a read of one stat). A slave server
 * registered by name (https://ns2.example.net/…) is allowed transfers from its nsaddr only: dnsmgr resolves no names
 * into a clause, whose address would go stale unseen.
 */
export function slaveAddresses(root: string): SlaveAddresses {
  if (!existsSync(queuePath(root, DNSMGR_SLAVES))) return NO_SLAVES;
  const db = openQueue(root, DNSMGR_SLAVES);
  try {
    const servers = listSlaveServers(db);
    const notify = servers.flatMap((s) => addressList(s.nsAddr));
    const transfer = [...servers.flatMap((s) => addressList(urlHost(s.url))), ...notify];
    return { transfer: unique(transfer), notify: unique(notify) };
  } finally {
    db.close();
  }
}

/** A URL's host without IPv6's brackets. */
export function urlHost(url: string): string {
  try {
    return new URL(url).hostname.replace(/^\[(.*)\]$/, '$1');
  } catch {
    return '';
  }
}

/** The single addresses of a list ("203.0.113.5, 2001:db8::5"); names and anything else left out. */
function addressList(text: string): IpAddress[] {
  return text.split(/[,\s]+/).flatMap((item) => {
    const checked = item === '' ? undefined : checkPeerAddress(item);
    return checked?.ok === true ? [checked.value] : [];
  });
}

function unique(list: readonly IpAddress[]): IpAddress[] {
  return [...new Set(list)].sort();
}

/** Whether two readings differ: the master zones' clauses are then given again. */
export function sameSlaveAddresses(a: SlaveAddresses, b: SlaveAddresses): boolean {
  return a.transfer.join(',') === b.transfer.join(',') && a.notify.join(',') === b.notify.join(',');
}
