// domain.sync against the real name server, whichever it is: zones it lost or was given behind dnsmgr's back are
// planned and corrected, more than 100 unknown deletions need force=on, and zones the dead-zone policy suspended stay out.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const ALICE_IP = '192.0.2.10';
const ZONES = ['other.example', 'suspended-served.example', 'suspended-gone.example'];

let net: TestNet;
let dm: Instance;
let world: World;
/** The view holding alice's zones: BIND's shared one, or her namespace's PowerDNS instance. */
let view: string;

async function served(zone: string): Promise<boolean> {
  const a = await dig(net.slave, ALICE_IP, zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
}

async function statusOf(zone: string): Promise<string | undefined> {
  return parseTextRows((await dm.cli(['domain'])).stdout).find((r) => r.name === zone)?.status;
}

beforeAll(async () => {
  world = await startWorld('sync', ZONES.map((name, i) => ({ name, serial: 10 + i })), 'NetworkInterface veth-s\n');
  ({ net, dm } = world);
  await dm.addUser('alice', 'pw', ALICE_IP);
  expect((await dm.cli(['bindip'])).stdout.split('\n')[0]).toBe('OK');
  expect((await dm.cli(['domain.edit', 'name=other.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
  await waitFor(() => served('other.example'), { timeoutMs: 10_000, what: 'other.example served' });
  view = (await dm.clausesOf('other.example'))[0]?.view as string;
  expect(view).toBeDefined();
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('domain.sync', () => {
  it('puts back a zone named lost and removes one added behind dnsmgr\'s back; a second run plans nothing', async () => {
    await dm.dropZone('other.example');
    await dm.addZoneBehind(view, 'stray.example', net.masterIp);
    const dry = parseTextRows((await dm.cli(['domain.sync'])).stdout);
    expect(dry).toEqual([
      { action: 'add', view, zone: 'other.example', masterip: net.masterIp, reason: 'the name server lacks it' },
      { action: 'delete', view, zone: 'stray.example', masterip: net.masterIp, reason: 'dnsmgr has no such zone in this view' },
    ]);
    // domain.sync.apply dry_run=on answers the same plan (in the request's language) and changes nothing.
    expect(parseTextRows((await dm.cli(['domain.sync.apply', 'dry_run=on'])).stdout)).toEqual(dry);
    const ru = parseTextRows((await dm.cli(['domain.sync.apply', 'dry_run=on', 'lang=ru'])).stdout);
    expect(ru.map((r) => r.reason)).toEqual(['на DNS-сервере её нет', 'у dnsmgr нет такой зоны в этом представлении']);
    expect(await served('other.example')).toBe(false);
    expect(await dm.holds('stray.example')).toBe(true);
    expect((await dm.cli(['domain.sync.apply'])).stdout).toBe('OK\n');
    await waitFor(() => served('other.example'), { timeoutMs: 10_000, what: 'lost zone served again' });
    expect(await dm.holds('stray.example')).toBe(false);
    expect((await dm.cli(['domain.sync'])).stdout).toBe('');
    expect((await dm.cli(['domain.sync.apply'])).stdout).toBe('OK\n');
  });

  it('asks for force=on before deleting more than 100 zones dnsmgr does not know, and changes nothing without it', async () => {
    const strays = Array.from({ length: 101 }, (_, i) => `lost${i}.example`);
    for (const zone of strays) await dm.addZoneBehind(view, zone, '192.0.2.99');
    const plan = parseTextRows((await dm.cli(['domain.sync'])).stdout);
    expect(plan.filter((r) => r.action === 'delete').map((r) => r.zone).sort()).toEqual([...strays].sort());
    const refused = await dm.cli(['domain.sync.apply']);
    expect(refused.stdout).toBe("ERROR limit(domain, '101'): the name server holds 101 zones dnsmgr does not know; deleting more than 100 at once needs force=on (domain.sync lists them)\n");
    expect(parseTextRows((await dm.cli(['domain.sync'])).stdout)).toHaveLength(101);
    expect(await dm.holds('lost7.example')).toBe(true);
    expect((await dm.cli(['domain.sync.apply', 'force=on'])).stdout).toBe('OK\n');
    expect((await dm.cli(['domain.sync'])).stdout).toBe('');
    expect(await dm.holds('lost7.example')).toBe(false);
  });

  it('refuses dry_run and force values other than on and off', async () => {
    for (const [param, value] of [['dry_run', 'yes'], ['force', '1'], ['force', 'on; rm -rf /']]) {
      const r = await dm.cli(['domain.sync.apply', `${param}=${value}`]);
      expect(r.exitCode).toBe(4);
      expect(r.stdout).toContain(`ERROR value(${param}`);
    }
  });
});

describe('domain.sync and zones the dead-zone policy suspended', () => {
  it('plans a delete for a suspended zone named still has, never an add for one it lacks; applied, both stay out', async () => {
    for (const zone of ['suspended-served.example', 'suspended-gone.example']) {
      expect((await dm.cli(['domain.edit', `name=${zone}`, `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])).stdout).toBe('OK\n');
      await waitFor(() => served(zone), { timeoutMs: 10_000, what: `${zone} served` });
    }
    // Suspended in the database: one suspension was interrupted before the name server was told, the other got all the way.
    await dm.dropZone('suspended-gone.example');
    const db = new Database(join(dm.root, 'var', 'dnsmgr.db'));
    try {
      db.prepare("UPDATE zone SET suspended_at = ? WHERE name IN ('suspended-served.example', 'suspended-gone.example')").run(Math.floor(Date.now() / 1000));
    } finally {
      db.close();
    }
    expect(await statusOf('suspended-served.example')).toBe('suspended');
    expect(await statusOf('suspended-gone.example')).toBe('suspended');

    const dry = parseTextRows((await dm.cli(['domain.sync'])).stdout);
    expect(dry).toEqual([{ action: 'delete', view, zone: 'suspended-served.example', masterip: net.masterIp, reason: 'the zone is suspended: dnsmgr keeps it out of the name server' }]);
    expect(await served('suspended-served.example')).toBe(true);
    expect((await dm.cli(['domain.sync.apply'])).stdout).toBe('OK\n');
    for (const zone of ['suspended-served.example', 'suspended-gone.example']) {
      expect(await dm.holds(zone), zone).toBe(false);
      expect(await served(zone), zone).toBe(false);
      expect(await statusOf(zone), 'kept in the database').toBe('suspended');
    }
    expect((await dm.cli(['domain.sync'])).stdout).toBe('');
  });
});
