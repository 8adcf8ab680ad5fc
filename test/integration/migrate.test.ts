// `dnsmgr backend.migrate` (issue 10): a running installation of 200 zones in three namespaces moved from BIND to
// PowerDNS and back, every zone served again on its owner's addresses only, and a second run changing nothing.
import Database from 'better-sqlite3';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const USERS = [{ name: 'ann', ip: '192.0.2.11' }, { name: 'ben', ip: '192.0.2.12' }, { name: 'cat', ip: '192.0.2.13' }];
const ZONES = Array.from({ length: 200 }, (_, i) => ({ name: `m${String(i).padStart(3, '0')}.example`, serial: 5000 + i }));
/** Zone i belongs to USERS[i % 3]. */
const ownerOf = (i: number) => USERS[i % USERS.length] as (typeof USERS)[number];

let net: TestNet;
let dm: Instance;
let world: World;

async function everyZoneServed(timeoutMs: number): Promise<void> {
  await waitFor(async () => {
    for (const [i, z] of ZONES.entries()) {
      const a = await dig(net.master, ownerOf(i).ip, z.name, 'SOA');
      if (a.status !== 'NOERROR' || !a.aa || a.serial !== z.serial) return undefined;
    }
    return true;
  }, { timeoutMs, intervalMs: 250, what: 'all 200 zones served with their serials on their owners\' addresses' });
}

async function isolated(): Promise<void> {
  for (const i of [0, 1, 2, 100, 199]) {
    const other = USERS[(i + 1) % USERS.length] as (typeof USERS)[number];
    expect((await dig(net.master, other.ip, ZONES[i]?.name as string, 'SOA')).status, `${ZONES[i]?.name} at ${other.ip}`).toBe('REFUSED');
  }
}

function pdnsProcesses(): number {
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').includes(`--config-dir=${join(dm.root, 'etc', 'powerdns')}`);
    } catch {
      return false;
    }
  }).length;
}

async function migrate(to: string): Promise<string> {
  const r = await dm.cli(['backend.migrate', to]);
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  return r.stdout;
}

beforeAll(async () => {
  world = await startWorld('migrate', ZONES, 'NetworkInterface veth-s\n');
  ({ net, dm } = world);
  for (const u of USERS) await dm.addUser(u.name, `${u.name}-pw`, u.ip);
  writeFileSync(join(dm.root, 'zones.txt'), ZONES.map((z, i) => `${z.name} ${net.masterIp} ${ownerOf(i).name}\n`).join(''));
  const imported = await dm.cli(['domain.import', `file=${join(dm.root, 'zones.txt')}`]);
  expect(imported.exitCode, imported.stdout + imported.stderr).toBe(0);
  await everyZoneServed(60_000);
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe('backend.migrate', () => {
  it('checks that PowerDNS is there before anything stops: without it, nothing changes', async () => {
    const confFile = join(dm.root, 'etc', 'dnsmgr.conf');
    const conf = readFileSync(confFile, 'utf8');
    writeFileSync(confFile, `${conf}path pdns_server /nonexistent/pdns_server\n`);
    try {
      const r = await dm.cli(['backend.migrate', 'powerdns']);
      expect(r.exitCode).toBe(8);
      expect(r.stdout).toMatch(/^ERROR tool\(\/nonexistent\/pdns_server\): .*is not installed .*nothing was changed/);
    } finally {
      writeFileSync(confFile, conf);
    }
    expect(readFileSync(confFile, 'utf8')).toBe(conf);
    await everyZoneServed(5000);
  });

  it('moves BIND\'s 200 zones in three namespaces to PowerDNS: each served again on its owner\'s address only, within seconds', async () => {
    const out = await migrate('powerdns');
    expect(out).toMatch(/^moved from bind to powerdns: 3 namespace\(s\), 200 zone\(s\); the namespace addresses answered again [\d.]+ s after bind stopped answering on them\n$/);
    const seconds = Number(/again ([\d.]+) s/.exec(out)?.[1]);
    expect(seconds).toBeLessThan(20);
    await everyZoneServed(20_000);
    await isolated();
    expect(pdnsProcesses()).toBe(3);
    expect(readFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), 'utf8')).toMatch(/^NameServer powerdns$/m);
    // named runs on (it is not dnsmgr's to stop here) holding none of them, answering on no namespace address.
    expect(await dm.rndc(['showzone', 'm000.example', 'IN', '_dnsmgr']).then((r) => r.exitCode)).not.toBe(0);
    const list = parseTextRows((await dm.cli(['domain'])).stdout);
    expect(list).toHaveLength(200);
  });

  it('run again, changes nothing', async () => {
    const before = await dm.snapshot();
    expect(await migrate('powerdns')).toBe('already on powerdns: nothing to move\n');
    expect(await dm.snapshot()).toBe(before);
    await everyZoneServed(5000);
  });

  it('moves them back to BIND: served by named again, the PowerDNS instances stopped and their files gone', async () => {
    const out = await migrate('bind');
    expect(out).toMatch(/^moved from powerdns to bind: 3 namespace\(s\), 200 zone\(s\);/);
    await everyZoneServed(20_000);
    await isolated();
    expect(pdnsProcesses()).toBe(0);
    expect(readdirSync(join(dm.root, 'var', 'lib', 'powerdns')).filter((f) => f.endsWith('.sqlite3'))).toEqual([]);
    expect((await dm.rndc(['showzone', 'm000.example', 'IN', '_dnsmgr'])).exitCode).toBe(0);
    expect(await migrate('bind')).toBe('already on bind: nothing to move\n');
  });

  it('while a migration is under way (cut short), changes are refused until it has finished', async () => {
    const db = new Database(join(dm.root, 'var', 'dnsmgr.db'));
    try {
      db.prepare("INSERT INTO meta (key, value) VALUES ('backend_migration', 'bind')").run();
    } finally {
      db.close();
    }
    const r = await dm.cli(['domain.delete', 'elid=m000.example', 'su=ann']);
    expect(r.exitCode).toBe(8);
    expect(r.stdout).toMatch(/the name server is being changed to bind: try again once dnsmgr backend.migrate has finished/);
    // Lists still answer; running the migration again finishes it, and changes are taken again.
    expect(parseTextRows((await dm.cli(['domain'])).stdout)).toHaveLength(200);
    expect(await migrate('bind')).toMatch(/^moved from powerdns to bind: 3 namespace\(s\), 200 zone\(s\);/);
    await everyZoneServed(20_000);
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=ann'])).stdout).toBe('OK\n');
  });

  it('refuses a name server it does not know, changing nothing', async () => {
    const before = { conf: readFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), 'utf8'), nameServer: await dm.snapshot() };
    for (const bad of ['knot', 'BIND', '"; rm -rf /', '']) {
      const r = await dm.cli(['backend.migrate', ...(bad === '' ? [] : [bad])]);
      expect(r.exitCode, bad).toBe(4);
      expect(r.stdout).toMatch(/^ERROR value\(name(, '.*')?\): .*expected one of 'bind', 'powerdns'/);
    }
    expect({ conf: readFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), 'utf8'), nameServer: await dm.snapshot() }).toEqual(before);
  });
});
