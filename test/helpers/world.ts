// The world most integration tests start from: a master and a slave namespace joined by a veth, a master named
// serving the test zones, routes so the master side reaches the namespace addresses, and a dnsmgr instance with its
// named running on the slave side. One stop() takes it all down.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInstance, NAME_SERVER } from './dnsmgr';
import type { Instance } from './dnsmgr';
import { startMasterNamed } from './master-named';
import type { MasterServer, MasterZone } from './master-named';
import { createTestNet, nsExec } from './netns';
import type { TestNet } from './netns';

export interface World {
  net: TestNet;
  master: MasterServer;
  dm: Instance;
  stop(): Promise<void>;
}

/**
 * `conf`: the instance's dnsmgr.conf (createInstance's default when absent). named is not started for a dnsmgr driving
 * PowerDNS (`named: false`, or the PowerDNS run of the suites), which starts its instances itself.
 */
export async function startWorld(tag: string, zones: MasterZone[], conf?: string, options: { named?: boolean } = {}): Promise<World> {
  const net = await createTestNet(tag);
  let master: MasterServer | undefined;
  let dm: Instance | undefined;
  const stop = async (): Promise<void> => {
    await dm?.stop();
    await master?.stop();
    await net.destroy();
  };
  try {
    master = await startMasterNamed(net, await mkdtemp(join(tmpdir(), 'dnsmgr-master-')), zones);
    // Queries come from the master side, as a resolver elsewhere would ask; namespace addresses live on the slave.
    await nsExec(net.master, 'ip', ['route', 'add', '192.0.2.0/24', 'via', net.slaveIp]);
    await nsExec(net.master, 'ip', ['-6', 'route', 'add', '2001:db8:10::/48', 'via', net.slaveIp6]);
    dm = conf === undefined ? await createInstance(net) : await createInstance(net, conf);
    if (options.named !== false && NAME_SERVER === 'bind') await dm.startNamed();
    return { net, master, dm, stop };
  } catch (err) {
    await stop().catch(() => undefined);
    throw err;
  }
}
