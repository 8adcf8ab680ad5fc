// A dnsmgr process killed (SIGKILL) while the name server has its request, whichever name server it is: the request is
// sent to a frozen name server (SIGSTOP), killed while it waits, the name server let go; the next request completes
// what was left. (BIND's kills before and after named did the command, through its control channel: recovery.test.ts.)
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { nsSpawn } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { DNSMGR, expectCliOk, NAME_SERVER, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const BOB_IP = '192.0.2.20';
const ZONES = [{ name: 'bob.example', serial: 22 }, { name: 'both.example', serial: 33 }, { name: 'kill.example', serial: 44 }];

let net: TestNet;
let dm: Instance;
let world: World;

const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);

async function served(ip: string, zone: string, serial: number): Promise<void> {
  await waitFor(async () => (await dig(net.master, ip, zone, 'SOA')).serial === serial, { timeoutMs: 15_000, what: `${zone} serial ${serial} at ${ip}` });
}

const statusOf = async (zone: string): Promise<string | undefined> => parseTextRows((await dm.cli(['domain'])).stdout).find((r) => r.name === zone)?.status;

/** The request is sent to a frozen name server, killed while it waits, and the name server let go. */
async function killWhileFrozen(args: string[], pending: string, zone: string): Promise<void> {
  const thaw = dm.pauseNameServer();
  try {
    const child = nsSpawn(dm.ns, process.execPath, [DNSMGR, '--root', dm.root, ...args], { logFile: join(dm.root, 'killed.log') });
    await waitFor(async () => ((await statusOf(zone)) === pending ? true : undefined), { timeoutMs: 10_000, what: `${zone} ${pending}` });
    // The request is out, waiting for the name server's answer.
    await new Promise((r) => setTimeout(r, 500));
    child.kill('SIGKILL');
    await child.catch(() => undefined);
  } finally {
    thaw();
  }
  expect(await statusOf(zone)).toBe(pending);
}

beforeAll(async () => {
  world = await startWorld('killed', ZONES, 'NetworkInterface veth-s\n');
  ({ net, dm } = world);
  await dm.addUser('bob', 'bob-pw', BOB_IP);
  for (const zone of ['bob.example', 'both.example']) await ok(['domain.edit', `name=${zone}`, `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
  await served(BOB_IP, 'bob.example', 22);
  await served(BOB_IP, 'both.example', 33);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('a dnsmgr process killed while the name server has its request', () => {
  it('an add: the next request completes it, and the zone is served', async () => {
    await killWhileFrozen(['domain.edit', 'name=kill.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob'], 'adding', 'kill.example');
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=bob'])).stdout).toBe('OK\n');
    expect(await statusOf('kill.example')).toMatch(/^(ok|waiting)$/);
    await served(BOB_IP, 'kill.example', 44);
  });

  it('a namespace change: the next request gives every zone the new transfer list', async () => {
    await killWhileFrozen(['namespace.edit', 'elid=bob', 'allow_transfer=any', 'sok=ok'], 'updating', 'bob.example');
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=bob'])).stdout).toBe('OK\n');
    for (const zone of ['bob.example', 'both.example', 'kill.example']) {
      expect(await statusOf(zone), zone).toMatch(/^(ok|waiting)$/);
      expect((await dm.clausesOf(zone)).map((c) => c.allowTransfer), zone).toEqual([['any']]);
      expect((await dig(net.master, BOB_IP, zone, 'AXFR', ['-b', net.masterIp])).status, zone).toBe('NOERROR');
    }
  });

  it('a delete: the next request finishes it', async () => {
    await killWhileFrozen(['domain.delete', 'elid=kill.example', 'su=bob'], 'deleting', 'kill.example');
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=bob'])).stdout).toBe('OK\n');
    expect(await statusOf('kill.example')).toBeUndefined();
    expect(await dm.holds('kill.example')).toBe(false);
    expect((await dig(net.master, BOB_IP, 'kill.example', 'SOA')).status).toBe('REFUSED');
  });
});

describe('the name server frozen', () => {
  it(`is really frozen (${NAME_SERVER}): nothing answers until it is let go`, async () => {
    const thaw = dm.pauseNameServer();
    try {
      expect((await dig(net.master, BOB_IP, 'bob.example', 'SOA')).status).toBe('TIMEOUT');
    } finally {
      thaw();
    }
    await served(BOB_IP, 'bob.example', 22);
  });
});
