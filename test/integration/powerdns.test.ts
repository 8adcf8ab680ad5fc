// NameServer powerdns (issue 10): the real pdns_server, one instance per namespace, started by dnsmgr itself — each
// answers only its namespace's zones, only on its namespace's addresses, transfers only to its allow-transfer list,
// and goes when its namespace goes. (A dnsmgr process killed while PowerDNS has its request: killed-requests.test.ts.)
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { renderPdnsUnit } from '../../src/dns/powerdns/render';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import type { Instance } from '../helpers/dnsmgr';
import { DNSMGR, expectCliOk, parseTextRows } from '../helpers/dnsmgr';
import { nsExec, nsSpawn } from '../helpers/netns';

const ALICE_IP = '192.0.2.10';
const BOB_IP = '192.0.2.20';
const ZONES = [{ name: 'alice.example', serial: 11 }, { name: 'bob.example', serial: 22 }, { name: 'both.example', serial: 33 }, { name: 'carol.example', serial: 55 }];

let net: TestNet;
let dm: Instance;
let world: World;

const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);

/** The zone's status at an address, asked from the master's side as a resolver elsewhere would ask. */
async function answer(ip: string, zone: string): Promise<string> {
  const a = await dig(net.master, ip, zone, 'SOA');
  return a.status === 'NOERROR' && !a.aa ? 'NOERROR without authority' : a.status;
}

async function served(ip: string, zone: string, serial: number): Promise<void> {
  await waitFor(async () => (await dig(net.master, ip, zone, 'SOA')).serial === serial, { timeoutMs: 15_000, what: `${zone} serial ${serial} at ${ip}` });
}

/** The view whose instance answers on this address. */
function viewAt(ip: string): string {
  const dir = join(dm.root, 'etc', 'powerdns');
  const file = readdirSync(dir).find((f) => f.endsWith('.conf') && new RegExp(`^local-address=${ip.replace(/\./g, '\\.')}$`, 'm').test(readFileSync(join(dir, f), 'utf8')));
  return /^pdns-(.+)\.conf$/.exec(file ?? '')?.[1] ?? '';
}

/** One call of dnsmgr's PowerDNS backend itself, made in the namespace where the instances' APIs are. */
async function backend(request: Record<string, unknown>): Promise<{ ok: boolean; value?: unknown; error?: { name: string; message: string } }> {
  const r = await nsExec(net.slave, process.execPath, [resolve('test/helpers/pdns-backend.cjs'), dm.root, JSON.stringify(request)], { reject: false, timeout: 30_000 });
  if (r.exitCode !== 0) throw new Error(`pdns-backend.cjs: ${String(r.stderr)}`);
  return JSON.parse(String(r.stdout)) as { ok: boolean; value?: unknown; error?: { name: string; message: string } };
}

function sortByKey<T extends { key: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The pdns_server processes of this installation, by the view in their command line. */
function instances(): string[] {
  const out: string[] = [];
  for (const pid of readdirSync('/proc').filter((p) => /^[0-9]+$/.test(p))) {
    let cmdline: string[];
    try {
      cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    } catch {
      continue;
    }
    if (!cmdline.includes(`--config-dir=${join(dm.root, 'etc', 'powerdns')}`)) continue;
    const name = cmdline.find((a) => a.startsWith('--config-name='));
    if (name) out.push(name.slice('--config-name='.length));
  }
  return out.sort();
}

beforeAll(async () => {
  world = await startWorld('pdns', ZONES, 'NetworkInterface veth-s\nNameServer powerdns\n// Two accounts may hold one name.\nOption InsecureDomain\n', { named: false });
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  await dm.addUser('bob', 'bob-pw', BOB_IP);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('PowerDNS, an instance per namespace', () => {
  it('runs one pdns_server per namespace, each on its own addresses', () => {
    expect(instances()).toHaveLength(2);
    const confs = readdirSync(join(dm.root, 'etc', 'powerdns')).filter((f) => f.endsWith('.conf')).map((f) => readFileSync(join(dm.root, 'etc', 'powerdns', f), 'utf8'));
    expect(confs.map((c) => /^local-address=(.*)$/m.exec(c)?.[1]).sort()).toEqual([ALICE_IP, BOB_IP]);
  });

  it('serves each zone with the master\'s serial on its owner\'s address only; REFUSED on the other namespace\'s', async () => {
    await ok(['domain.edit', 'name=alice.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
    await ok(['domain.edit', 'name=bob.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    await served(ALICE_IP, 'alice.example', 11);
    await served(BOB_IP, 'bob.example', 22);
    expect(await answer(BOB_IP, 'alice.example')).toBe('REFUSED');
    expect(await answer(ALICE_IP, 'bob.example')).toBe('REFUSED');
  });

  it('holds the same name in two namespaces, each copy answered on its own address', async () => {
    await ok(['domain.edit', 'name=both.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
    await ok(['domain.edit', 'name=both.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    await served(ALICE_IP, 'both.example', 33);
    await served(BOB_IP, 'both.example', 33);
  });

  it('lets only the namespace\'s allow-transfer list transfer its zones', async () => {
    const axfr = async (ip: string, zone: string) => (await dig(net.master, ip, zone, 'AXFR', ['-b', net.masterIp])).status;
    expect(await axfr(ALICE_IP, 'alice.example')).not.toBe('NOERROR');
    await ok(['namespace.edit', 'elid=alice', `allow_transfer=${net.masterIp}`, 'sok=ok']);
    expect(await axfr(ALICE_IP, 'alice.example')).toBe('NOERROR');
    expect(await axfr(BOB_IP, 'bob.example')).not.toBe('NOERROR');
    await ok(['namespace.edit', 'elid=alice', 'allow_transfer=any', 'sok=ok']);
    expect(await axfr(ALICE_IP, 'both.example')).toBe('NOERROR');
  });

  it('holds a master zone in its namespace\'s instance, read back by the backend record for record as the database has it', async () => {
    const zone = 'alicemaster.example';
    await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, 'sok=ok', 'su=alice']);
    await ok(['domain.record.edit', `plid=${zone}`, 'name=@', 'rtype=TXT', 'value="one two" " é"', 'sok=ok', 'su=alice']);
    await ok(['domain.record.edit', `plid=${zone}`, 'name=_sip._tcp', 'rtype=SRV', 'priority=1', 'weight=2', 'port=5060', 'srvdomain=.', 'ttl=120', 'sok=ok', 'su=alice']);
    const listed = parseTextRows((await dm.cli(['domain.record', `plid=${zone}`, 'su=alice'])).stdout).map((row) => ({ key: row.rkey ?? '', ttl: Number(row.ttl) }));
    const view = viewAt(ALICE_IP);
    const read = await backend({ method: 'readRecords', view, zone });
    expect(read.ok, JSON.stringify(read)).toBe(true);
    const served = read.value as { records: { key: string; ttl: number }[]; primary: string };
    expect(sortByKey(served.records)).toEqual(sortByKey(listed));
    // The primary its SOA names: the zone's first name server.
    expect(served.primary).toBe(`ns1.${zone}`);
    expect(await backend({ method: 'readRecords', view, zone: 'nothere.example' })).toEqual({ ok: true, value: null });
    expect(await backend({ method: 'readRecords', view: viewAt(BOB_IP), zone })).toEqual({ ok: true, value: null });
  });

  it('lists master zones as masters, slaves with their masters', async () => {
    const held = await backend({ method: 'listZones', view: viewAt(ALICE_IP) });
    const zones = held.value as { name: string; type?: string; masters: string[] }[];
    expect(zones.find((z) => z.name === 'alicemaster.example')).toMatchObject({ type: 'master', masters: [] });
    expect(zones.find((z) => z.name === 'alice.example')).toEqual(expect.objectContaining({ masters: [net.masterIp] }));
    expect(zones.find((z) => z.name === 'alice.example')?.type).toBeUndefined();
  });

  it('changes a master zone\'s records all or none, the serial once per change; a zone it lacks is a ToolError', async () => {
    const zone = 'alicemaster.example';
    const view = viewAt(ALICE_IP);
    const serial = async (): Promise<number | undefined> => (await dig(net.master, ALICE_IP, zone, 'SOA')).serial;
    const before = await serial();
    const mx = { name: zone, ttl: 3600, data: { type: 'MX', priority: 10, exchange: `mail.${zone}` } };
    // A record set deleted whole, and one the zone lacks made, in one change.
    const changed = await backend({ method: 'updateRecords', view, zone, ops: [{ op: 'delete-rrset', name: zone, type: 'MX' }, { op: 'add', record: { name: `new.${zone}`, ttl: 60, data: { type: 'A', address: '198.51.100.7' } } }] });
    expect(changed).toEqual({ ok: true, value: null });
    expect((await dig(net.master, ALICE_IP, zone, 'MX')).answers).toEqual([]);
    expect((await dig(net.master, ALICE_IP, `new.${zone}`, 'A')).answers).toEqual(['198.51.100.7']);
    expect(await serial()).toBe((before as number) + 1);
    // A change PowerDNS refuses (a CNAME beside the name's A) changes nothing, the other record set of it included.
    const refused = await backend({ method: 'updateRecords', view, zone, ops: [{ op: 'add', record: mx }, { op: 'add', record: { name: `new.${zone}`, ttl: 60, data: { type: 'CNAME', target: `www.${zone}` } } }] });
    expect(refused).toMatchObject({ ok: false, error: { name: 'ToolError' } });
    expect((await dig(net.master, ALICE_IP, zone, 'MX')).answers).toEqual([]);
    expect(await serial()).toBe((before as number) + 1);
    // Nothing to change: nothing sent, the serial where it was.
    expect(await backend({ method: 'updateRecords', view, zone, ops: [{ op: 'delete', record: mx }] })).toEqual({ ok: true, value: null });
    expect(await serial()).toBe((before as number) + 1);
    const missing = await backend({ method: 'updateRecords', view, zone: 'nothere.example', ops: [{ op: 'add', record: { ...mx, name: 'nothere.example' } }] });
    expect(missing).toMatchObject({ ok: false, error: { name: 'ToolError', message: expect.stringContaining('404') } });
    // Put back as the database has it, for the comparison that follows.
    expect(await backend({ method: 'updateRecords', view, zone, ops: [{ op: 'add', record: mx }, { op: 'delete', record: { name: `new.${zone}`, ttl: 60, data: { type: 'A', address: '198.51.100.7' } } }] })).toEqual({ ok: true, value: null });
  });

  it('gives a master zone\'s SOA another primary, the rest as it was and the serial one further; domain.sync puts the database\'s back', async () => {
    const zone = 'alicemaster.example';
    const view = viewAt(ALICE_IP);
    const soa = async (): Promise<string[]> => ((await dig(net.master, ALICE_IP, zone, 'SOA')).answers[0] ?? '').split(' ');
    const before = await soa();
    expect(before[0]).toBe(`ns1.${zone}.`);
    expect(await backend({ method: 'updateRecords', view, zone, ops: [{ op: 'primary', zone, mname: 'ns9.example.net' }] })).toEqual({ ok: true, value: null });
    const after = await soa();
    expect(after).toEqual(['ns9.example.net.', before[1], String(Number(before[2]) + 1), ...before.slice(3)]);
    // The primary it names already: nothing sent.
    expect(await backend({ method: 'updateRecords', view, zone, ops: [{ op: 'primary', zone, mname: 'ns9.example.net' }] })).toEqual({ ok: true, value: null });
    expect(await soa()).toEqual(after);
    const plan = await dm.cli(['domain.sync']);
    expect(plan.stdout).toContain(`its SOA names ns9.example.net as its primary name server, not ns1.${zone}`);
    const applied = await dm.cli(['domain.sync.apply']);
    expect(applied.exitCode, applied.stdout + applied.stderr).toBe(0);
    expect((await soa())[0]).toBe(`ns1.${zone}.`);
  });

  it('finds nothing to correct between the database and the instances', async () => {
    const r = await dm.cli(['domain.sync']);
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(parseTextRows(r.stdout)).toEqual([]);
  });

  it('moves a master zone between instances with the data it has there, and adds or changes one held keeping its data', async () => {
    const zone = 'alicemaster.example';
    const [alice, bob] = [viewAt(ALICE_IP), viewAt(BOB_IP)];
    const before = await dig(net.master, ALICE_IP, zone, 'AXFR', ['-b', net.masterIp]);
    expect(before.status).toBe('NOERROR');
    const held = (r: { records: { name: string; type: string; rdata: string }[] }): string[] => [...new Set(r.records.filter((x) => x.type !== 'SOA').map((x) => `${x.name} ${x.type} ${x.rdata}`))].sort();
    // Content the backend must not read: the zone is held, its data goes with it.
    const other = `${zone}. 3600 IN SOA ns1.${zone}. admin.${zone}. 1 10800 3600 604800 3600\n${zone}. 3600 IN NS elsewhere.example.\n`;
    const spec = (view: string) => ({ view, name: zone, masters: [], queryOn: [], allowTransfer: [net.masterIp], primary: { content: other, alsoNotify: [], dnssec: false } });
    const moved = await backend({ method: 'applyZones', ops: [{ action: 'move', from: alice, zone: spec(bob) }] });
    expect(moved.value).toEqual({ results: [{ ok: true, outcome: 'moved' }], contentRead: [] });
    expect((await dig(net.master, ALICE_IP, zone, 'SOA')).status).toBe('REFUSED');
    const there = await dig(net.master, BOB_IP, zone, 'AXFR', ['-b', net.masterIp]);
    expect(held(there)).toEqual(held(before));
    expect(there.serial).toBeGreaterThan(before.serial as number);
    // Back where dnsmgr has it; an add of it there again, and a change of its settings, keep what it holds.
    const back = await backend({ method: 'applyZones', ops: [{ action: 'move', from: bob, zone: spec(alice) }] });
    expect(back.value).toEqual({ results: [{ ok: true, outcome: 'moved' }], contentRead: [] });
    const again = await backend({ method: 'applyZones', ops: [{ action: 'add', zone: spec(alice) }, { action: 'modify', zone: { ...spec(alice), allowTransfer: ['any'] } }] });
    expect(again.value).toEqual({ results: [{ ok: true, outcome: 'exists' }, { ok: true, outcome: 'modified' }], contentRead: [] });
    expect(held(await dig(net.master, ALICE_IP, zone, 'AXFR', ['-b', net.masterIp]))).toEqual(held(before));
    // A master zone an instance lacks is made from the content; a modify of one it lacks fails.
    const made = await backend({ method: 'applyZones', ops: [{ action: 'add', zone: { ...spec(bob), name: 'made.example', primary: { ...spec(bob).primary, content: other.replaceAll(zone, 'made.example') } } }, { action: 'modify', zone: { ...spec(bob), name: 'absent.example' } }] });
    expect(made.value).toMatchObject({ results: [{ ok: true, outcome: 'added' }, { ok: false }], contentRead: ['made.example'] });
    expect((await dig(net.master, BOB_IP, 'made.example', 'NS')).answers).toEqual(['elsewhere.example.']);
    expect((await backend({ method: 'applyZones', ops: [{ action: 'delete', view: bob, name: 'made.example' }] })).value).toMatchObject({ results: [{ ok: true, outcome: 'deleted' }] });
  });

  it('deletes a zone: REFUSED at once, the other namespace\'s copy untouched', async () => {
    await ok(['domain.delete', 'elid=both.example', 'su=alice']);
    expect(await answer(ALICE_IP, 'both.example')).toBe('REFUSED');
    expect(await answer(BOB_IP, 'both.example')).toBe('NOERROR');
  });

  it('stops and removes a namespace\'s instance with its account, the other one serving on', async () => {
    const before = instances();
    await ok(['user.delete', 'elid=alice']);
    expect(instances()).toHaveLength(before.length - 1);
    expect(await answer(ALICE_IP, 'alice.example')).not.toBe('NOERROR');
    expect(await answer(BOB_IP, 'bob.example')).toBe('NOERROR');
    const left = readdirSync(join(dm.root, 'var', 'lib', 'powerdns')).filter((f) => f.endsWith('.sqlite3'));
    expect(left).toEqual([`${instances()[0]}.sqlite3`]);
    expect(existsSync(join(dm.root, 'etc', 'powerdns', `pdns-${instances()[0]}.conf`))).toBe(true);
  });
});

describe('PdnsService systemd: the instances as units of the template install writes', () => {
  it('enables a namespace\'s unit when its view is made and disables it when the namespace goes', async () => {
    const units = join(dm.root, 'systemd');
    mkdirSync(units, { recursive: true });
    writeFileSync(join(units, 'dnsmgr-pdns@.service'), renderPdnsUnit({ pdnsServer: '/usr/sbin/pdns_server', confDir: join(dm.root, 'etc', 'powerdns'), logDir: join(dm.root, 'var', 'log', 'powerdns') }));
    const systemctl = join(dm.root, 'systemctl');
    writeFileSync(systemctl, `#!/bin/sh\nSYSTEMCTL_UNIT_DIR=${units} exec ${process.execPath} ${resolve('test/fakes/systemctl.mjs')} "$@"\n`, { mode: 0o755 });
    const confFile = join(dm.root, 'etc', 'dnsmgr.conf');
    const conf = readFileSync(confFile, 'utf8');
    writeFileSync(confFile, `${conf}PdnsService systemd\npath systemctl ${systemctl}\n`);
    try {
      const before = instances();
      await dm.addUser('carol', 'carol-pw', '192.0.2.30');
      const view = instances().find((v) => !before.includes(v)) as string;
      expect(view).toMatch(/^_ns\d+$/);
      expect(readFileSync(join(units, 'calls.log'), 'utf8')).toBe(`enable --now dnsmgr-pdns@${view}.service\n`);
      await ok(['domain.edit', 'name=carol.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=carol']);
      await served('192.0.2.30', 'carol.example', 55);
      await ok(['user.delete', 'elid=carol']);
      expect(readFileSync(join(units, 'calls.log'), 'utf8')).toBe(`enable --now dnsmgr-pdns@${view}.service\ndisable --now dnsmgr-pdns@${view}.service\n`);
      expect(instances()).toEqual(before);
    } finally {
      writeFileSync(confFile, conf);
    }
  });
});

describe('dnsmgr run with PowerDNS', () => {
  const log = (): string => (existsSync(join(dm.root, 'run.log')) ? readFileSync(join(dm.root, 'run.log'), 'utf8') : '');
  const pidOf = (view: string): number => Number(readFileSync(join(dm.root, 'var', 'run', 'powerdns', view, `pdns-${view}.pid`), 'utf8'));

  it('keeps the instances it finds, starts again one that was killed, and stops them all when it stops', async () => {
    const child = nsSpawn(dm.ns, process.execPath, [DNSMGR, '--root', dm.root, 'run', '--listen', '127.0.0.1:1600'], { logFile: join(dm.root, 'run.log') });
    await waitFor(async () => log().includes('dnsmgr: HTTP API on http://127.0.0.1:1600/dnsmgr\n') || undefined, { timeoutMs: 40_000, what: 'dnsmgr run listening' });
    const [view] = instances();
    expect(view).toBeDefined();
    const before = pidOf(view as string);
    process.kill(before, 'SIGKILL');
    await waitFor(async () => log().includes(`started again the PowerDNS instance(s) that had stopped: ${view}`) || undefined, { timeoutMs: 20_000, what: 'the killed instance started again' });
    expect(pidOf(view as string)).not.toBe(before);
    await served(BOB_IP, 'bob.example', 22);
    child.kill('SIGTERM');
    await child;
    expect(log()).toContain('dnsmgr: stopped\n');
    expect(instances()).toEqual([]);
  }, 90_000);
});
