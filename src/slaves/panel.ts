// dnsmgr's own slave servers (issue 12): other dnsmgr servers holding its master zones as slave zones, pushed through
// the panels' integration room (src/panels/) as a panel pushes its DNS domains. Its "DNS domains" are its master zones,
// each transferred from its namespace's address; its queue file is var/dnsmgr-dnsmgr.db under its root, its settings
// (RetryBase only: the slave servers are slaveserver's, there is no settings form) etc/dnsmgr-dnsmgr.conf.
import type { SlavePushAdapter } from '../panels/adapter';
import { loadSlaveConfig } from '../panels/config';
import type { App } from '../app';
import { masterZoneAddresses } from '../store/master-zones';
import { DNSMGR_SLAVES } from './addresses';


/** The adapter, reading the master zones from dnsmgr's database (opened when first asked: the worker may never need it). */
export function dnsmgrSlaves(app: App): SlavePushAdapter {
  const masters = async (): Promise<Map<string, string>> => masterZoneAddresses(app.db);
  return {
    panel: DNSMGR_SLAVES,
    title: 'DNSmanager',
    dnsDomains: async () => new Set((await masters()).keys()),
    domainMasters: masters,
    // Every slave server is slaveserver's: pushing is on while there is one, each zone from its own address.
    config: (root) => ({ ...loadSlaveConfig(root, DNSMGR_SLAVES), url: '', username: '', password: '', masterIp: '', enabled: true }),
    // Loaded only then: the worker needs the name server only when a slave server's addresses changed.
    slaveAddressesChanged: async () => (await import('./clauses')).reapplyMasterClauses(app),
  };
}
