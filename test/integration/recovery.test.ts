// A dnsmgr process may be killed at any moment, and named may refuse: state must stay whole and be completed later.
// (domain.sync, run against either name server, is in sync.test.ts; PowerDNS's own kill -9 cases in powerdns.test.ts.)
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsExec, nsSpawn } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { DNSMGR, parseTextRows } from '../helpers/dnsmgr';
import { parseNzf } from '../../src/dns/bind/nzd';
import type { Instance } from '../helpers/dnsmgr';

const ALICE_IP = '192.0.2.10';
const ZONES = ['hang-before.example', 'hang-after.example', 'hang-delete.example', 'refused.example', 'other.example', 'busy-delete.example'];

let net: TestNet;
let dm: Instance;
let world: World;
let proxy: ReturnType<typeof nsSpawn> | undefined;

async function served(zone: string): Promise<boolean> {
  const a = await dig(net.slave, ALICE_IP, zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
}

/** No change on its way to named: what the health refresh says, whichever it is by now. */
const SETTLED = /^(ok|waiting|problem)$/;

async function statusOf(zone: string): Promise<string | undefined> {
  return parseTextRows((await dm.cli(['domain'])).stdout).find((r) => r.name === zone)?.status;
}

/** Starts a request whose control command hangs (before or after named did it), waits until it is stuck, and kills it. */
async function killMidway(mode: 'before' | 'after', command: string, args: string[]): Promise<void> {
  const stuck = join(dm.root, 'rndc-stuck');
  rmSync(stuck, { force: true });
  writeFileSync(join(dm.root, 'hang-rndc'), `${mode} ${command}\n`);
  const child = nsExec(net.slave, process.execPath, [DNSMGR, '--root', dm.root, ...args], { reject: false });
  await waitFor(async () => existsSync(stuck), { timeoutMs: 10_000, what: 'rndc stuck' });
  child.kill('SIGKILL');
  await child;
}

/** dnsmgr talks to named through test/fakes/control-hang.mjs on this port; named itself listens on 953. */
const PROXY_PORT = 9953;

beforeAll(async () => {
  world = await startWorld('recov', ZONES.map((name, i) => ({ name, serial: 10 + i })), `NetworkInterface veth-s\nRndcPort ${PROXY_PORT}\n`);
  ({ net, dm } = world);
  proxy = nsSpawn(net.slave, process.execPath, [resolve('test/fakes/control-hang.mjs'), dm.root, String(PROXY_PORT), '953'], { logFile: join(dm.root, 'control-hang.log') });
  await waitFor(async () => (await nsExec(net.slave, 'ss', ['-Hltn', `sport = :${PROXY_PORT}`])).stdout.trim() !== '', { timeoutMs: 10_000, what: 'control proxy listening' });
  await dm.addUser('alice', 'pw', ALICE_IP);
  expect((await dm.cli(['bindip'])).stdout.split('\n')[0]).toBe('OK');
}, 120_000);

afterAll(async () => {
  proxy?.kill('SIGTERM');
  await proxy;
  await world?.stop();
});

describe('a process killed in the middle of a change', () => {
  it('before named got the zone: the next request completes the add', async () => {
    await killMidway('before', 'addzone', ['domain.edit', 'name=hang-before.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
    expect(await statusOf('hang-before.example')).toBe('adding');
    expect(await served('hang-before.example')).toBe(false);
    expect((await dm.cli(['domain.edit', 'name=other.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
    expect(await statusOf('hang-before.example')).toMatch(SETTLED);
    await waitFor(() => served('hang-before.example'), { timeoutMs: 10_000, what: 'recovered zone served' });
  });

  it('after named got the zone: the next request finds it there and only records it', async () => {
    await killMidway('after', 'addzone', ['domain.edit', 'name=hang-after.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
    expect(await statusOf('hang-after.example')).toBe('adding');
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=alice'])).stdout).toBe('OK\n');
    expect(await statusOf('hang-after.example')).toMatch(SETTLED);
    await waitFor(() => served('hang-after.example'), { timeoutMs: 10_000, what: 'recovered zone served' });
  });

  it('during a delete: the next request finishes removing it', async () => {
    expect((await dm.cli(['domain.edit', 'name=hang-delete.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
    await waitFor(() => served('hang-delete.example'), { timeoutMs: 10_000, what: 'zone served' });
    await killMidway('before', 'delzone', ['domain.delete', 'elid=hang-delete.example', 'su=alice']);
    expect(await statusOf('hang-delete.example')).toBe('deleting');
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=alice'])).stdout).toBe('OK\n');
    expect(await statusOf('hang-delete.example')).toBeUndefined();
    expect(await served('hang-delete.example')).toBe(false);
  });
});

describe('a namespace change killed half-way', () => {
  it('namespace.edit SIGKILLed while its zones get the new allow-transfer: the next request gives it to every one', async () => {
    const zones = parseTextRows((await dm.cli(['domain', 'su=alice'])).stdout).map((r) => r.name as string);
    expect(zones.length).toBeGreaterThan(1);
    await killMidway('before', 'modzone', ['namespace.edit', 'elid=alice', 'allow_transfer=any', 'sok=ok']);
    const held = async (): Promise<string[][]> => Promise.all(zones.map(async (z) => parseNzf(String((await dm.rndc(['showzone', z, 'IN', '_dnsmgr'])).stdout))[0]?.allowTransfer ?? ['(missing)']));
    expect(await held(), 'the killed request left a zone without the new list').toContainEqual([]);
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=alice'])).stdout).toBe('OK\n');
    expect(await held()).toEqual(zones.map(() => ['any']));
    expect(parseTextRows((await dm.cli(['namespace'])).stdout).find((r) => r.name === 'alice')?.allow_transfer).toBe('any');
    for (const zone of zones) expect(await statusOf(zone), zone).toMatch(SETTLED);
  });
});

describe('a deletion while another request is changing the zone', () => {
  it('waits for that request instead of taking the zone from under it, and the zone stays deleted', async () => {
    expect((await dm.cli(['domain.edit', 'name=busy-delete.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
    await waitFor(() => served('busy-delete.example'), { timeoutMs: 10_000, what: 'zone served' });
    // A namespace change holds every zone of alice's, stuck on its first modzone.
    const stuck = join(dm.root, 'rndc-stuck');
    rmSync(stuck, { force: true });
    writeFileSync(join(dm.root, 'hang-rndc'), 'before modzone\n');
    const change = nsExec(net.slave, process.execPath, [DNSMGR, '--root', dm.root, 'namespace.edit', 'elid=alice', 'allow_transfer=none', 'sok=ok'], { reject: false });
    await waitFor(async () => existsSync(stuck), { timeoutMs: 10_000, what: 'rndc stuck' });
    let settled = false;
    const deletion = dm.cli(['domain.delete', 'elid=busy-delete.example', 'su=alice']).finally(() => { settled = true; });
    await new Promise((r) => setTimeout(r, 1500));
    expect(settled, 'the deletion waits while the zone is another live request\'s').toBe(false);
    change.kill('SIGKILL');
    await change;
    expect((await deletion).stdout).toMatch(/^OK\n/);
    expect(await statusOf('busy-delete.example')).toBeUndefined();
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=alice'])).stdout).toBe('OK\n');
    expect((await dm.rndc(['showzone', 'busy-delete.example', 'IN', '_dnsmgr'])).exitCode).not.toBe(0);
    expect(await served('busy-delete.example')).toBe(false);
  });
});

describe('named refusing or unreachable', () => {
  it('a failed add changes nothing and says which tool failed; the same request succeeds once named is back', async () => {
    const before = (await dm.cli(['domain'])).stdout;
    await dm.stopNamed();
    const r = await dm.cli(['domain.edit', 'name=refused.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
    expect(r.exitCode).toBe(8);
    expect(r.stdout).toMatch(/^ERROR tool\(.*rndc.*addzone/);
    expect((await dm.cli(['domain'])).stdout).toBe(before);
    await dm.startNamed();
    expect((await dm.cli(['domain.edit', 'name=refused.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
    await waitFor(() => served('refused.example'), { timeoutMs: 10_000, what: 'zone served' });
  });

  it('a command cut off once sent changes nothing, the passwd file\'s counts included (written while named works)', async () => {
    const passwd = (): string => readFileSync(join(dm.root, 'etc', 'dnsmgr.passwd'), 'utf8');
    const before = passwd();
    const domains = (await dm.cli(['domain'])).stdout;
    writeFileSync(join(dm.root, 'hang-rndc'), 'close addzone\n');
    const r = await dm.cli(['domain.edit', 'name=cut.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
    expect(r.exitCode).toBe(8);
    expect(r.stdout).toMatch(/^ERROR tool\(.*rndc.*addzone/);
    expect(existsSync(join(dm.root, 'hang-rndc')), 'the command reached the proxy').toBe(false);
    expect(passwd()).toBe(before);
    expect((await dm.cli(['domain'])).stdout).toBe(domains);
    expect((await dm.cli(['domain.edit', 'name=cut.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
    expect(passwd()).not.toBe(before);
    expect((await dm.cli(['domain.delete', 'elid=cut.example', 'su=alice'])).stdout).toMatch(/^OK\n/);
    expect(passwd()).toBe(before);
  });

  it('a failed delete keeps the zone, served and listed', async () => {
    await dm.stopNamed();
    const r = await dm.cli(['domain.delete', 'elid=refused.example', 'su=alice']);
    expect(r.exitCode).toBe(8);
    expect(await statusOf('refused.example')).toMatch(SETTLED);
    await dm.startNamed();
    await waitFor(() => served('refused.example'), { timeoutMs: 10_000, what: 'zone still served' });
  });
});
