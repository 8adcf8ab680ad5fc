// Several slave servers for one panel (issue 11): the settings form's and those slaveserver.edit adds each get every
// change of the panel's DNS domains through the durable queue; one that is down catches up when it is back; a new one
// gets everything at once and reports the address it answers on. Driven as ISPmanager drives its plugin, against two
// real slaves side by side: dnsmgr with BIND (the settings form's) and dnsmgr with PowerDNS (added).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance } from '../helpers/dnsmgr';
import { createPanelTree } from '../helpers/panel';
import type { PanelTree } from '../helpers/panel';
import type { Instance } from '../helpers/dnsmgr';
import { dig, waitFor } from '../helpers/named';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const A_IP = '192.0.2.10';
const B_IP = '192.0.2.40';
const ZONES = ['one.example', 'two.example', 'three.example', 'late.example', 'after.example'];
const PANEL_DOC = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/></doc>\n';

let net: TestNet;
let world: World;
let slaveA: Instance;
let slaveB: Instance;
let isp: PanelTree;
let bUrl: string;

const setPanelDomains = (domains: string[]): void => isp.setDomains(domains);
const plugin = async (params: Record<string, string>, level = '30'): Promise<string> => (await isp.call(params, { level })).stdout;

const served = async (ip: string, zone: string): Promise<boolean> => {
  const a = await dig(net.master, ip, zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
};
const queueEmpty = async (): Promise<boolean> => !(await plugin({ func: 'dnsslave.queue' })).includes('<elem>');

beforeAll(async () => {
  world = await startWorld('slaves', ZONES.map((name, i) => ({ name, serial: 900 + i })));
  ({ net, dm: slaveA } = world);
  await slaveA.addUser('panela', 'panela-pw', A_IP);
  await slaveA.startServe(1500, net.slaveIp);
  // The second slave: another dnsmgr on the same host, driving PowerDNS on API ports of its own.
  slaveB = await createInstance(net, `NetworkInterface ${net.slaveIface}\nNameServer powerdns\nPdnsPortBase 18400\n`);
  await slaveB.addUser('panelb', 'panelb-pw', B_IP);
  await slaveB.startServe(1501, net.slaveIp);
  bUrl = `http://${net.slaveIp}:1501/dnsmgr`;

  isp = await createPanelTree(net.master, 'ispmgr', PANEL_DOC);
  expect(await plugin({
    func: 'dnsslave.settings', sok: 'ok', url: `http://${net.slaveIp}:1500/dnsmgr`, username: 'panela', password: 'panela-pw', masterip: net.masterIp, enabled: 'on',
  })).toContain('<ok/>');
  writeFileSync(join(isp.root, 'etc', 'dnsmgr-ispmgr.conf'), 'RetryBase 1\n', { flag: 'a' });
}, 180_000);

afterAll(async () => {
  await slaveB?.stop();
  await world?.stop();
});

describe('a slave server added', () => {
  it('refuses bad input, naming every bad field, saving nothing', async () => {
    const out = await plugin({ func: 'slaveserver.edit', sok: 'ok', url: 'ftp://user:pw@ns3.example/', username: '../x' });
    expect(out).toContain('<error type="value"');
    for (const field of ['url', 'username', 'password']) expect(out).toContain(`&apos;${field}&apos;`);
    expect(await plugin({ func: 'slaveserver.edit', sok: 'ok', elid: '0', url: bUrl, username: 'panelb', password: 'x' })).toContain('<error type="value" object="elid"');
    expect(await plugin({ func: 'slaveserver.edit', elid: '99' })).toContain('<error type="missed" object="slaveserver"');
    expect(await plugin({ func: 'slaveserver.delete', elid: '99' })).toContain('<error type="missed" object="slaveserver"');
    expect(await plugin({ func: 'slaveserver' }, '16')).toContain('<error type="access"');
    expect(await plugin({ func: 'slaveserver' })).not.toContain('<elem><id>1</id>');
  });

  it('refuses a login the slave refuses, saving nothing', async () => {
    const out = await plugin({ func: 'slaveserver.edit', sok: 'ok', url: bUrl, username: 'panelb', password: 'wrong' });
    expect(out).toContain('<error type="auth" object="slaveserver"');
    expect(await plugin({ func: 'slaveserver' })).not.toContain(bUrl);
  });

  it('gets every DNS domain the panel has at once, and says the address it answers them on', async () => {
    setPanelDomains(['one.example']);
    expect(await plugin({ func: 'domain.edit', name: 'one.example', sok: 'ok' })).toBe(PANEL_DOC);
    await waitFor(() => served(A_IP, 'one.example'), { timeoutMs: 15_000, what: 'one.example on the first slave' });
    expect(await plugin({ func: 'slaveserver.edit', sok: 'ok', url: bUrl, username: 'panelb', password: 'panelb-pw' })).toContain('<ok/>');
    await waitFor(() => served(B_IP, 'one.example'), { timeoutMs: 20_000, what: 'one.example on the added slave' });
    const list = await plugin({ func: 'slaveserver' });
    expect(list).toContain(`<url>${bUrl}</url>`);
    expect(list).toContain(`<nsaddr>${B_IP}</nsaddr>`);
    expect(list).toContain(`<url>http://${net.slaveIp}:1500/dnsmgr</url>`);
    // The same URL twice is refused.
    expect(await plugin({ func: 'slaveserver.edit', sok: 'ok', url: bUrl, username: 'panelb', password: 'panelb-pw' })).toContain('<error type="exists"');
  });
});

describe('every change', () => {
  it('reaches both slave servers: created, then deleted', async () => {
    setPanelDomains(['one.example', 'two.example']);
    await plugin({ func: 'domain.edit', name: 'two.example', sok: 'ok' });
    for (const ip of [A_IP, B_IP]) await waitFor(() => served(ip, 'two.example'), { timeoutMs: 20_000, what: `two.example on ${ip}` });
    setPanelDomains(['two.example']);
    await plugin({ func: 'domain.delete', elid: 'one.example' });
    for (const ip of [A_IP, B_IP]) await waitFor(async () => !(await served(ip, 'one.example')), { timeoutMs: 20_000, what: `one.example gone from ${ip}` });
    await waitFor(queueEmpty, { timeoutMs: 15_000, what: 'the queue emptied' });
  });

  it('waits for a slave server that is down and arrives once it is back, the other one served meanwhile', async () => {
    await slaveB.stopServe();
    setPanelDomains(['three.example', 'late.example']);
    await plugin({ func: 'domain.edit', name: 'three.example', sok: 'ok' });
    await plugin({ func: 'domain.edit', name: 'late.example', sok: 'ok' });
    await plugin({ func: 'domain.delete', elid: 'two.example' });
    for (const zone of ['three.example', 'late.example']) await waitFor(() => served(A_IP, zone), { timeoutMs: 20_000, what: `${zone} on the running slave` });
    await waitFor(async () => !(await served(A_IP, 'two.example')), { timeoutMs: 20_000, what: 'two.example gone from the running slave' });
    const waiting = await plugin({ func: 'dnsslave.queue' });
    expect(waiting).toContain(`<server>${bUrl}</server>`);
    expect(waiting).toMatch(/unreachable/);
    expect(waiting).not.toContain(`<server>http://${net.slaveIp}:1500/dnsmgr</server>`);
    await slaveB.startServe(1501, net.slaveIp);
    for (const zone of ['three.example', 'late.example']) await waitFor(() => served(B_IP, zone), { timeoutMs: 30_000, what: `${zone} on the slave back up` });
    await waitFor(async () => !(await served(B_IP, 'two.example')), { timeoutMs: 30_000, what: 'two.example gone from the slave back up' });
    await waitFor(queueEmpty, { timeoutMs: 15_000, what: 'the queue emptied' });
  });
});

describe('a slave server deleted', () => {
  it('gets no more changes, and keeps the zones it has', async () => {
    const id = /<elem><id>(\d+)<\/id><url>[^<]*1501/.exec(await plugin({ func: 'slaveserver' }))?.[1];
    expect(id).toBeDefined();
    expect(await plugin({ func: 'slaveserver.delete', elid: id as string })).toContain('<ok/>');
    expect(await plugin({ func: 'slaveserver' })).not.toContain(bUrl);
    setPanelDomains(['three.example', 'late.example', 'after.example']);
    await plugin({ func: 'domain.edit', name: 'after.example', sok: 'ok' });
    await waitFor(() => served(A_IP, 'after.example'), { timeoutMs: 20_000, what: 'after.example on the remaining slave' });
    await waitFor(queueEmpty, { timeoutMs: 15_000, what: 'the queue emptied' });
    expect(await served(B_IP, 'after.example')).toBe(false);
    expect(await served(B_IP, 'three.example')).toBe(true);
  });
});
