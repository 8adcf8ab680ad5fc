// The VDSmanager plugin driven as VDSmanager drives it: the event's parameters in PARAM_*, the panel's document on
// stdin, HANDLER_STAGE=after, against a real `dnsmgr serve` and real named on the slave side. VDSmanager's DNS domain
// list is its mgrctl's answer (a stand-in here: there is no VDSmanager). Forward and reverse zones alike.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { parseTextRows } from '../helpers/dnsmgr';
import { createPanelTree } from '../helpers/panel';
import type { PanelTree } from '../helpers/panel';
import type { Instance } from '../helpers/dnsmgr';

const PANEL_IP = '192.0.2.20';
const REVERSE = '113.0.203.in-addr.arpa';
const ZONES = ['vm1.example', 'vm2.example', 'vm3.example', REVERSE, 'named.example', 'gone.example', 'other-panel.example'];
const PANEL_DOC = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/><tparams><func>vm.edit</func></tparams></doc>\n';

let net: TestNet;
let slave: Instance;
let world: World;
let vds: PanelTree;

/** VDSmanager's DNS domains (forward and reverse), as its mgrctl lists them. */
const setPanelDomains = (domains: string[]): void => vds.setDomains(domains);
const hook = (params: Record<string, string>, stdin = PANEL_DOC, stage = 'after') => vds.call(params, { stdin, stage });

const served = async (zone: string): Promise<boolean> => {
  const a = await dig(net.master, PANEL_IP, zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
};
const refused = async (zone: string): Promise<boolean> => (await dig(net.master, PANEL_IP, zone, 'SOA')).status === 'REFUSED';

async function queue(): Promise<string> {
  return (await vds.call({ func: 'dnsslave.queue' })).stdout;
}

const slaveZones = async (): Promise<string[]> => parseTextRows((await slave.cli(['domain'])).stdout).map((z) => z.name as string).sort();
const queueEmpty = async (): Promise<boolean> => !(await queue()).includes('<elem>');

beforeAll(async () => {
  world = await startWorld('vmhook', ZONES.map((name, i) => ({ name, serial: 700 + i })));
  ({ net, dm: slave } = world);
  await slave.addUser('vds1', 'vds1-pw', PANEL_IP);
  await slave.startServe(1500, net.slaveIp);

  // The VDSmanager host's panel tree: the plugin's executable under its VDSmanager name, its settings, its mgrctl.
  vds = await createPanelTree(net.master, 'vmmgr', PANEL_DOC);
  const settings = await vds.call({
    func: 'dnsslave.settings', sok: 'ok', url: `http://${net.slaveIp}:1500/dnsmgr`, username: 'vds1', password: 'vds1-pw', masterip: net.masterIp, enabled: 'on',
  });
  expect(settings.stdout).toContain('<ok/>');
  writeFileSync(join(vds.root, 'etc', 'dnsmgr-vmmgr.conf'), 'RetryBase 1\n', { flag: 'a' });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('a virtual server created in VDSmanager', () => {
  it('gets the domain and the reverse zone VDSmanager made for it served by the slave, the panel\'s document printed back unchanged', async () => {
    setPanelDomains(['vm1.example', REVERSE]);
    const r = await hook({ func: 'vm.edit', domain: 'vm1.example', name: 'cont1', sok: 'ok' });
    expect(r).toEqual({ exitCode: 0, stdout: PANEL_DOC });
    for (const zone of ['vm1.example', REVERSE]) await waitFor(() => served(zone), { timeoutMs: 15_000, what: `${zone} on the slave` });
    const rows = parseTextRows((await slave.cli(['domain'])).stdout);
    expect(rows.find((z) => z.name === REVERSE)).toMatchObject({ owner: 'vds1', masterip: net.masterIp });
    await waitFor(queueEmpty, { timeoutMs: 10_000, what: 'the queue emptied' });
  });

  it('the form opened (no sok), another stage, or a failed operation change nothing', async () => {
    setPanelDomains(['vm1.example', REVERSE, 'vm2.example']);
    expect((await hook({ func: 'vm.edit', domain: 'vm2.example' })).stdout).toBe(PANEL_DOC);
    expect((await hook({ func: 'vm.edit', domain: 'vm2.example', sok: 'ok' }, PANEL_DOC, 'before')).stdout).toBe(PANEL_DOC);
    const failed = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><error type="value" object="domain"><msg>x</msg></error></doc>\n';
    expect((await hook({ func: 'vm.edit', domain: 'vm2.example', sok: 'ok' }, failed)).stdout).toBe(failed);
    expect(await queue()).not.toContain('<zone>');
    expect(await refused('vm2.example')).toBe(true);
  });
});

describe('with the slave down', () => {
  it('queues the changes durably and every one arrives once the slave is back', async () => {
    await slave.stopServe();
    setPanelDomains(['vm1.example', REVERSE, 'vm2.example', 'vm3.example']);
    await hook({ func: 'vm.edit', domain: 'vm2.example', sok: 'ok' });
    await hook({ func: 'iplist.edit', plid: '2', domain: 'vm3.example', family: 'ipv4', sok: 'ok' });
    expect((await hook({ func: 'domain.edit', name: 'named.example', sok: 'ok' })).stdout).toBe(PANEL_DOC);
    await waitFor(async () => /unreachable/.test(await queue()), { timeoutMs: 10_000, what: 'a failed attempt recorded in the queue' });
    await slave.startServe(1500, net.slaveIp);
    for (const zone of ['vm2.example', 'vm3.example', 'named.example']) {
      await waitFor(() => served(zone), { timeoutMs: 30_000, what: `${zone} delivered after the slave came back` });
    }
    await waitFor(queueEmpty, { timeoutMs: 15_000, what: 'the queue emptied' });
  });
});

describe('a panel list gone wrong', () => {
  it('deletes nothing: an error instead of the list is recorded in the queue, and every zone stays served', async () => {
    vds.setDomainsAnswer({ doc: { error: { $type: 'access', msg: { $: 'the list is broken' } } } });
    expect((await hook({ func: 'vm.delete', elid: '3' })).stdout).toBe(PANEL_DOC);
    await waitFor(async () => (await queue()).includes('the list is broken'), { timeoutMs: 15_000, what: 'the failed synchronization recorded' });
    for (const zone of ['vm1.example', 'vm2.example', 'vm3.example', 'named.example', REVERSE]) expect(await served(zone), zone).toBe(true);
    // The list mended, the next synchronization (queued again by the next event) goes through with nothing to do.
    setPanelDomains(['vm1.example', REVERSE, 'vm2.example', 'vm3.example', 'named.example']);
    await hook({ func: 'vm.edit', elid: '1', domain: 'vm1.example', sok: 'ok' });
    await waitFor(queueEmpty, { timeoutMs: 15_000, what: 'the queue emptied' });
    for (const zone of ['vm1.example', 'vm2.example', 'vm3.example', 'named.example', REVERSE]) expect(await served(zone), zone).toBe(true);
  });
});

describe('a virtual server or an address removed', () => {
  it('takes away the zones VDSmanager no longer has, and only those this panel made', async () => {
    // other-panel.example: the same slave account, served from another master (another panel's).
    expect((await slave.cli(['domain.edit', 'name=other-panel.example', `masterip=${net.masterIp6}`, 'sok=ok', 'su=vds1'])).stdout).toBe('OK\n');
    setPanelDomains(['vm1.example', 'vm3.example', 'named.example']);
    // Only the server's id is known after it is deleted: the panel's list says what went.
    expect((await hook({ func: 'vm.delete', elid: '2' })).stdout).toBe(PANEL_DOC);
    await waitFor(async () => (await refused('vm2.example')) && refused(REVERSE), { timeoutMs: 20_000, what: 'vm2.example and the reverse zone removed' });
    await waitFor(queueEmpty, { timeoutMs: 15_000, what: 'the queue emptied' });
    expect(await slaveZones()).toEqual(['named.example', 'other-panel.example', 'vm1.example', 'vm3.example']);
    await hook({ func: 'domain.delete', elid: 'named.example' });
    await waitFor(() => refused('named.example'), { timeoutMs: 15_000, what: 'named.example removed by name' });
    expect(await served('vm1.example')).toBe(true);
  });
});
