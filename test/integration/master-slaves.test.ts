// A dnsmgr primary with a dnsmgr secondary (issue 12): the secondary, registered with slaveserver.edit, gets every
// master zone of the primary as a slave zone transferred from the zone's namespace address; a record change reaches it
// by NOTIFY and IXFR; a deleted zone goes; a secondary that was down catches up. The primary is startWorld's instance
// (on the slave side of the test net); the secondary is another dnsmgr with its own named on the master side, where the
// world's test master is stopped first (its rndc port is the one every named of a namespace takes).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance, expectCliOk, NAME_SERVER, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { dig, waitFor } from '../helpers/named';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

/** The primary's account and the address its namespace answers (and its master zones are transferred) on. */
const ALICE_IP = '192.0.2.10';
/** Another account of the primary, with its own address. */
const CAROL_IP = '192.0.2.11';
/** A third account of the primary, holding a zone name with alice (SharedDomains). */
const DAVE_IP = '192.0.2.12';
/** The secondary's account and the address it answers its slave zones on. */
const SEC_IP = '203.0.113.53';

let net: TestNet;
let world: World;
let primary: Instance;
let secondary: Instance;
let secUrl: string;

const ok = (args: string[]): Promise<void> => expectCliOk(primary, args);
const servedBy = async (ip: string, zone: string): Promise<boolean> => {
  const a = await dig(net.master, ip, zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
};
const answers = async (ip: string, name: string, type: string): Promise<string[]> => (await dig(net.master, ip, name, type)).answers.sort();
const slaveServers = async (): Promise<Record<string, string>[]> => parseTextRows((await primary.cli(['slaveserver'])).stdout);
const clause = async (zone: string): Promise<string> => (await primary.rndc(['showzone', zone, 'IN', '_dnsmgr'])).stdout;
/** Whether the secondary's side (its serve address, the URL's host) may transfer the zone from the primary. */
const transferable = async (zone: string): Promise<boolean> => {
  const a = await dig(net.master, ALICE_IP, zone, 'AXFR');
  return a.records.length > 0;
};
/**
 * A change to a master zone reaching the secondary by NOTIFY, within seconds (its refresh is hours): from a BIND primary,
 * sent from the zone's notify-source; from a PowerDNS primary, sent by dnsmgr from the namespace's address (PowerDNS's
 * own leaves from the host's, which the secondary refuses as not from the zone's master).
 */
const reachSecondary = async (check: () => Promise<boolean>, what: string): Promise<void> => {
  await waitFor(check, { timeoutMs: 10_000, what });
};
const masterZone = (zone: string): Promise<void> => ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, 'sok=ok', 'su=alice']);

beforeAll(async () => {
  world = await startWorld('mslaves', []);
  ({ net, dm: primary } = world);
  await primary.addUser('alice', 'alice-pw', ALICE_IP);
  // Retries a second apart (doubling), not five: the stopped secondary below is back within the test's patience.
  writeFileSync(join(primary.root, 'etc', 'dnsmgr-dnsmgr.conf'), 'RetryBase 1\n');
  await world.master.stop();
  secondary = await createInstance({ ...net, slave: net.master, slaveIface: 'veth-m' } as unknown as TestNet, 'NetworkInterface veth-m\n');
  await secondary.startNamed();
  await secondary.addUser('sec', 'sec-pw', SEC_IP);
  await secondary.startServe(1500, net.masterIp);
  secUrl = `http://${net.masterIp}:1500/dnsmgr`;
  // The primary's side reaches the secondary's namespace address (the master side already reaches the primary's).
  await nsExec(net.slave, 'ip', ['route', 'add', '203.0.113.0/24', 'via', net.masterIp]);
}, 180_000);

afterAll(async () => {
  await secondary?.stop();
  await world?.stop();
});

describe('slaveserver.edit', () => {
  it('refuses bad input, naming every bad field, and a login the secondary refuses, saving nothing', async () => {
    const bad = await primary.cli(['slaveserver.edit', 'sok=ok', 'url=ftp://user:pw@ns3.example/', 'username=../x'], { out: 'xml' });
    expect(bad.stdout).toContain('<error type="value"');
    for (const field of ['url', 'username', 'password']) expect(bad.stdout).toContain(`&apos;${field}&apos;`);
    const refused = await primary.cli(['slaveserver.edit', 'sok=ok', `url=${secUrl}`, 'username=sec', 'password=wrong'], { out: 'xml' });
    expect(refused.stdout).toContain('<error type="auth" object="slaveserver"');
    // Only the administrator.
    expect((await primary.cli(['slaveserver', 'su=alice'], { out: 'xml' })).stdout).toContain('<error type="access"');
    expect(await slaveServers()).toEqual([]);
  });

  it('registers the secondary, which gets the master zones there are at once and says the address it answers on', async () => {
    await masterZone('early.example');
    await ok(['slaveserver.edit', 'sok=ok', `url=${secUrl}`, 'username=sec', 'password=sec-pw']);
    expect(await slaveServers()).toEqual([expect.objectContaining({ url: secUrl, username: 'sec', nsaddr: SEC_IP })]);
    await waitFor(() => servedBy(SEC_IP, 'early.example'), { timeoutMs: 20_000, what: 'early.example on the secondary' });
    // A slave zone there, transferred from the zone's namespace address.
    const row = parseTextRows((await secondary.cli(['domain', 'su=sec'])).stdout).find((r) => r.name === 'early.example');
    expect(row).toMatchObject({ dtype: 'slave', masterip: ALICE_IP });
    // The master zone lets the secondary transfer it and tells it of changes, from the namespace's address.
    expect(await transferable('early.example')).toBe(true);
    if (NAME_SERVER === 'bind') {
      const text = await clause('early.example');
      expect(text).toMatch(/allow-transfer\s+\{[^}]*\{ 198\.51\.100\.1\/32; 203\.0\.113\.53\/32; \};/);
      expect(text).toContain(`also-notify { ${SEC_IP}; }`);
      expect(text).toContain(`notify-source ${ALICE_IP};`);
    }
    // The namespace's own list is what the zone is compared with: the slave servers' addresses are no difference.
    expect((await primary.cli(['domain.sync'])).stdout).not.toContain('early.example');
    // The same URL twice is refused.
    expect((await primary.cli(['slaveserver.edit', 'sok=ok', `url=${secUrl}`, 'username=sec', 'password=sec-pw'], { out: 'xml' })).stdout).toContain('<error type="exists"');
  });
});

describe('a master zone', () => {
  it('created on the primary is served by the secondary', async () => {
    await masterZone('push.example');
    await waitFor(() => servedBy(SEC_IP, 'push.example'), { timeoutMs: 20_000, what: 'push.example on the secondary' });
    expect(await answers(SEC_IP, 'www.push.example', 'A')).toEqual([ALICE_IP]);
  });

  it('changed on the primary reaches the secondary by NOTIFY and IXFR within seconds', async () => {
    const logBefore = secondary.nameServerLog().length;
    const started = Date.now();
    await ok(['domain.record.edit', 'plid=push.example', 'name=new', 'rtype=A', 'value=192.0.2.99', 'sok=ok', 'su=alice']);
    // The zone's refresh is hours: only NOTIFY brings it this soon.
    await reachSecondary(async () => (await answers(SEC_IP, 'new.push.example', 'A')).includes('192.0.2.99'), 'the new record on the secondary');
    const seconds = (Date.now() - started) / 1000;
    expect(seconds).toBeLessThan(10);
    if (NAME_SERVER === 'powerdns') return;
    const log = secondary.nameServerLog().slice(logBefore);
    expect(log).toMatch(new RegExp(`notify from ${ALICE_IP.replace(/\./g, '\\.')}#\\d+: serial \\d+`));
    expect(log).toMatch(/push\.example\/IN\/_dnsmgr.*Transfer status: success/);
    // Incremental: named logs no transfer type at this level, but the records it got are the change alone (SOAs and
    // the one record), fewer than the whole zone a full transfer carries.
    const got = Number(/push\.example\/IN\/_dnsmgr.*Transfer completed: \d+ messages, (\d+) records/.exec(log)?.[1]);
    const whole = (await dig(net.master, ALICE_IP, 'push.example', 'AXFR')).records.length;
    expect(got).toBeGreaterThan(0);
    expect(got).toBeLessThan(whole);
  });

  it('deleted on the primary is deleted on the secondary', async () => {
    await ok(['domain.delete', 'elid=push.example', 'su=alice']);
    await waitFor(async () => !(await servedBy(SEC_IP, 'push.example')), { timeoutMs: 20_000, what: 'push.example gone from the secondary' });
    expect(parseTextRows((await secondary.cli(['domain', 'su=sec'])).stdout).map((r) => r.name)).not.toContain('push.example');
  });
});

describe('an account deleted on the primary', () => {
  it('takes its master zones off the secondary too', async () => {
    await primary.addUser('carol', 'carol-pw', CAROL_IP);
    await ok(['domain.edit', 'dtype=master', 'name=carol.example', `ip=${CAROL_IP}`, 'sok=ok', 'su=carol']);
    await waitFor(() => servedBy(SEC_IP, 'carol.example'), { timeoutMs: 20_000, what: 'carol.example on the secondary' });
    // Transferred from carol's own namespace address.
    expect(parseTextRows((await secondary.cli(['domain', 'su=sec'])).stdout).find((r) => r.name === 'carol.example')).toMatchObject({ masterip: CAROL_IP });
    await ok(['user.delete', 'elid=carol']);
    await waitFor(async () => !(await servedBy(SEC_IP, 'carol.example')), { timeoutMs: 20_000, what: 'carol.example gone from the secondary' });
  });
});

describe('a secondary that was down', () => {
  it('catches up when it is back: zones created and deleted meanwhile, and a record changed', async () => {
    await secondary.stopServe();
    await secondary.stopNamed();
    await masterZone('late.example');
    await ok(['domain.delete', 'elid=early.example', 'su=alice']);
    await ok(['domain.record.edit', 'plid=late.example', 'name=later', 'rtype=A', 'value=192.0.2.77', 'sok=ok', 'su=alice']);
    await waitFor(async () => (await slaveServers())[0]?.error?.includes('unreachable') === true, { timeoutMs: 15_000, what: 'the queue says the secondary is unreachable' });
    expect(Number((await slaveServers())[0]?.waiting)).toBeGreaterThanOrEqual(2);
    await secondary.startNamed();
    await secondary.startServe(1500, net.masterIp);
    await waitFor(() => servedBy(SEC_IP, 'late.example'), { timeoutMs: 40_000, what: 'late.example on the secondary back up' });
    await waitFor(async () => !(await servedBy(SEC_IP, 'early.example')), { timeoutMs: 40_000, what: 'early.example gone from the secondary back up' });
    expect(await answers(SEC_IP, 'later.late.example', 'A')).toEqual(['192.0.2.77']);
    await waitFor(async () => (await slaveServers())[0]?.waiting === '0', { timeoutMs: 15_000, what: 'nothing left waiting' });
  });
});

describe('a slave server deleted', () => {
  it('may no longer transfer the master zones, which keep their namespace list', async () => {
    const id = (await slaveServers())[0]?.id as string;
    await ok(['slaveserver.delete', `elid=${id}`]);
    expect(await slaveServers()).toEqual([]);
    expect(await transferable('late.example')).toBe(false);
    if (NAME_SERVER === 'bind') {
      const text = await clause('late.example');
      expect(text).not.toContain('198.51.100.1');
      expect(text).not.toContain(SEC_IP);
      expect(text).toContain(`notify-source ${ALICE_IP};`);
    }
    // It keeps what it has.
    expect(await servedBy(SEC_IP, 'late.example')).toBe(true);
  });
});

describe('a slave server added while it cannot be reached', () => {
  it('is saved, and once it answers says its address: the master zones then tell it of changes', async () => {
    await secondary.stopServe();
    await ok(['slaveserver.edit', 'sok=ok', `url=${secUrl}`, 'username=sec', 'password=sec-pw']);
    expect(await slaveServers()).toEqual([expect.objectContaining({ url: secUrl, nsaddr: '' })]);
    // Allowed to transfer from its URL's address already; no NOTIFY yet: where it answers is not known.
    expect(await transferable('late.example')).toBe(true);
    if (NAME_SERVER === 'bind') expect(await clause('late.example')).not.toContain('also-notify');
    await secondary.startServe(1500, net.masterIp);
    await waitFor(async () => (await slaveServers())[0]?.nsaddr === SEC_IP, { timeoutMs: 30_000, what: 'the secondary\'s address learnt' });
    if (NAME_SERVER === 'bind') await waitFor(async () => (await clause('late.example')).includes(`also-notify { ${SEC_IP}; }`), { timeoutMs: 10_000, what: 'the clause telling the secondary' });
    await ok(['domain.record.edit', 'plid=late.example', 'name=again', 'rtype=A', 'value=192.0.2.78', 'sok=ok', 'su=alice']);
    await reachSecondary(async () => (await answers(SEC_IP, 'again.late.example', 'A')).includes('192.0.2.78'), 'the change on the secondary, by NOTIFY');
  });
});

describe('a master zone two accounts share (SharedDomains)', () => {
  // Last: a name held twice puts a namespace in a view of its own, which the clauses read above assume it is not.
  it('deleted by the account the secondary transfers it from, is then transferred from the other one', async () => {
    await ok(['settings', 'sok=ok', 'SharedDomains=shared.example']);
    await primary.addUser('dave', 'dave-pw', DAVE_IP);
    await ok(['domain.edit', 'dtype=master', 'name=shared.example', `ip=${DAVE_IP}`, 'sok=ok', 'su=dave']);
    await masterZone('shared.example');
    // The last one made is the one the secondary transfers from.
    const masterOnSecondary = async (): Promise<string | undefined> => parseTextRows((await secondary.cli(['domain', 'su=sec'])).stdout).find((r) => r.name === 'shared.example')?.masterip;
    await waitFor(async () => (await masterOnSecondary()) === ALICE_IP, { timeoutMs: 20_000, what: 'shared.example on the secondary from alice' });
    await ok(['domain.delete', 'elid=shared.example', 'su=alice']);
    await waitFor(async () => (await masterOnSecondary()) === DAVE_IP, { timeoutMs: 20_000, what: 'shared.example on the secondary from dave' });
    await waitFor(() => servedBy(SEC_IP, 'shared.example'), { timeoutMs: 20_000, what: 'shared.example served by the secondary' });
    await ok(['domain.delete', 'elid=shared.example', 'su=dave']);
    await waitFor(async () => (await masterOnSecondary()) === undefined, { timeoutMs: 20_000, what: 'shared.example gone from the secondary' });
  });
});
