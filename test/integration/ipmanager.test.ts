// IPmanager as the pool's source of addresses (issue 11): `IPmanager URL user:password` in dnsmgr.conf; an address the
// admin or a reseller adds is allocated there and bound here, one deleted is unbound here and marked free there. Against
// a stand-in in the test network implementing only the documented calls (test/fakes/ipmanager.mjs: IPmanager itself
// cannot run here), with its faults: down, refusing, answering an address already used here. Nothing is bound or kept
// half-way.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectCliOk, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { waitFor } from '../helpers/named';
import { nsExec, nsSpawn } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const STAND_IN = new URL('../fakes/ipmanager.mjs', import.meta.url).pathname;
const ACCOUNT = 'dnsmgr:ipm-secret';
const PORT = 1600;

let net: TestNet;
let world: World;
let dm: Instance;
let dir: string;
let standIn: ReturnType<typeof nsSpawn> | undefined;

const controlFile = (): string => join(dir, 'control.json');
const stateFile = (): string => join(dir, 'state.json');
const allocatedThere = (): string[] => Object.keys(JSON.parse(readFileSync(stateFile(), 'utf8')) as Record<string, string>).sort();
const fault = (control: Record<string, string>): void => writeFileSync(controlFile(), JSON.stringify(control));
const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);

async function startStandIn(): Promise<void> {
  standIn = nsSpawn(net.master, process.execPath, [STAND_IN, net.masterIp, String(PORT), ACCOUNT, '192.0.2.100', '4', controlFile(), stateFile()], { logFile: join(dir, 'ipmanager.log') });
  await waitFor(async () => existsSync(join(dir, 'ipmanager.log')) && readFileSync(join(dir, 'ipmanager.log'), 'utf8').includes('listening'), { timeoutMs: 10_000, what: 'the stand-in listening' });
}

async function stopStandIn(): Promise<void> {
  standIn?.kill('SIGTERM');
  await standIn;
  standIn = undefined;
}

/** The pool as dnsmgr lists it: address → holder. */
async function pool(): Promise<Record<string, string>> {
  return Object.fromEntries(parseTextRows((await dm.cli(['ipaddr'])).stdout).map((r) => [r.name as string, (r.owner ?? '') as string]));
}

/** The addresses bound to the interface on the slave side. */
async function bound(): Promise<string[]> {
  const out = String((await nsExec(net.slave, 'ip', ['-4', '-o', 'addr', 'show', 'dev', net.slaveIface])).stdout);
  return [...out.matchAll(/inet (192\.0\.2\.\d+)\//g)].map((m) => m[1] as string).sort();
}

async function expectUnchanged(run: () => Promise<{ stdout: string }>, error: RegExp): Promise<void> {
  const before = { pool: await pool(), bound: await bound(), there: allocatedThere() };
  expect((await run()).stdout).toMatch(error);
  expect({ pool: await pool(), bound: await bound(), there: allocatedThere() }).toEqual(before);
}

beforeAll(async () => {
  world = await startWorld('ipmgr', [{ name: 'example.com', serial: 1 }]);
  ({ net, dm } = world);
  dir = await mkdtemp(join(tmpdir(), 'dnsmgr-ipmanager-'));
  fault({});
  await startStandIn();
  writeFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), `${readFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), 'utf8')}IPmanager http://${net.masterIp}:${PORT}/ipmgr ${ACCOUNT}\n`);
}, 120_000);

afterAll(async () => {
  await stopStandIn();
  await world?.stop();
});

describe('with IPmanager', () => {
  it('the admin\'s new address is allocated there, then joins the pool and is bound here: any one, or the one named', async () => {
    await ok(['ipaddr.edit', 'name=auto', 'sok=ok']);
    await ok(['ipaddr.edit', 'name=192.0.2.102', 'sok=ok']);
    expect(allocatedThere()).toEqual(['192.0.2.100', '192.0.2.102']);
    expect(await pool()).toMatchObject({ '192.0.2.100': '', '192.0.2.102': '' });
    expect(await bound()).toEqual(expect.arrayContaining(['192.0.2.100', '192.0.2.102']));
  });

  it('a reseller\'s comes from IPmanager too, its own, within its limit', async () => {
    await ok(['reseller.edit', 'name=r', 'passwd=r-pw', 'ip=192.0.2.100', 'ip_limit=2', 'sok=ok']);
    await ok(['ipaddr.edit', 'name=auto', 'sok=ok', 'su=r']);
    expect(allocatedThere()).toEqual(['192.0.2.100', '192.0.2.101', '192.0.2.102']);
    expect((await pool())['192.0.2.101']).toBe('r');
    expect(await bound()).toContain('192.0.2.101');
    const limited = await dm.cli(['ipaddr.edit', 'name=auto', 'sok=ok', 'su=r']);
    expect(limited.stdout).toMatch(/^ERROR limit\(ipaddr/);
    expect(allocatedThere()).toEqual(['192.0.2.100', '192.0.2.101', '192.0.2.102']);
  });

  it('an address deleted is unbound here and marked free there', async () => {
    await ok(['ipaddr.delete', 'elid=192.0.2.102']);
    expect(allocatedThere()).toEqual(['192.0.2.100', '192.0.2.101']);
    expect(await pool()).not.toHaveProperty(['192.0.2.102']);
    expect(await bound()).not.toContain('192.0.2.102');
  });
});

describe('IPmanager\'s faults change nothing', () => {
  it('refusing: nothing allocated, bound or added; a deletion it refuses leaves the address bound and in the pool', async () => {
    fault({ refuse: 'Access denied for dnsmgr' });
    await expectUnchanged(() => dm.cli(['ipaddr.edit', 'name=auto', 'sok=ok']), /^ERROR tool\(IPmanager ip\.edit.*refused: Access denied for dnsmgr/);
    await expectUnchanged(() => dm.cli(['ipaddr.delete', 'elid=192.0.2.101']), /^ERROR tool\(IPmanager ip\.delete.*refused/);
    fault({});
  });

  it('answering an address already used here: refused, that address left as it is on both sides', async () => {
    fault({ answer: '192.0.2.100' });
    await expectUnchanged(() => dm.cli(['ipaddr.edit', 'name=auto', 'sok=ok']), /^ERROR exists\(ipaddr, '192\.0\.2\.100'\)/);
    fault({});
  });

  it('answering another address than the one asked for: given back there, nothing kept', async () => {
    fault({ answer: '192.0.2.103' });
    await expectUnchanged(() => dm.cli(['ipaddr.edit', 'name=192.0.2.102', 'sok=ok']), /not the IPv4 address asked for \(192\.0\.2\.102\)/);
    fault({});
  });

  it('down: nothing added, and an address it cannot take back stays bound and in the pool; all goes through once it is back', async () => {
    await stopStandIn();
    const before = { pool: await pool(), bound: await bound() };
    expect((await dm.cli(['ipaddr.edit', 'name=auto', 'sok=ok'])).stdout).toMatch(/^ERROR tool\(IPmanager ip\.edit.*unreachable/);
    expect((await dm.cli(['ipaddr.delete', 'elid=192.0.2.101'])).stdout).toMatch(/^ERROR tool\(IPmanager ip\.delete.*unreachable/);
    expect({ pool: await pool(), bound: await bound() }).toEqual(before);
    await startStandIn();
    await ok(['ipaddr.delete', 'elid=192.0.2.101']);
    expect(allocatedThere()).toEqual(['192.0.2.100']);
    expect(await bound()).not.toContain('192.0.2.101');
  });
});
