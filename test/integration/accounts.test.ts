// Accounts end to end, with a real named and real `ip`: the address pool (admin and reseller), users and resellers with
// their namespaces, allow-transfer in the views, who may own which zone, limits, suspend and the delete cascade, and the
// files an administrator reads (dnsmgr.passwd, dnsmgr.conf). The steps build on each other, in order.
import { readFileSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import bcrypt from 'bcryptjs';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { NAME_SERVER, parseTextRows, withNameServer } from '../helpers/dnsmgr';
import type { Instance, Result } from '../helpers/dnsmgr';

const ALICE = { ip: '192.0.2.10', ip6: '2001:db8:10::10' };
const BOB = { ip: '192.0.2.20' };
/** The reseller's own namespace address, then the ones the admin puts into the pool for it. */
const R = { ip: '192.0.2.30', first: '192.0.2.31', spare: '192.0.2.32', named: '192.0.2.33' };
const ZONES: Record<string, number> = {
  'example.com': 101, 'sub.example.com': 102, 'deep.example.org': 103, 'example.org': 104,
  'shared-ns.example': 105, 'u1.example': 106, 'temp.example': 107, 'unrestricted.example': 108,
};
const USER = { level: 16 };
const RESELLER = { level: 24 };
const BASE_CONF = 'NetworkInterface veth-s\nOption AllowIpV6\n';

let net: TestNet;
let dm: Instance;
let world: World;

beforeAll(async () => {
  world = await startWorld('accounts', Object.entries(ZONES).map(([name, serial]) => ({ name, serial })), BASE_CONF);
  ({ net, dm } = world);
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

describe('IP pool (admin)', () => {
  it('refuses an IPv6 address without Option AllowIpV6 and takes it with the option', async () => {
    await setConf('NetworkInterface veth-s\n');
    expectError(await dm.cli(['ipaddr.edit', `name=${ALICE.ip6}`, 'sok=ok']), 'value', 'name', /AllowIpV6/);
    expect(await rows('ipaddr')).toEqual([]);
    expect(await bound()).not.toContain(ALICE.ip6);
    await setConf(BASE_CONF);
    expectOk(await dm.cli(['ipaddr.edit', `name=${ALICE.ip6}`, 'sok=ok']));
    expect(await rows('ipaddr')).toEqual([addr(ALICE.ip6, 'free')]);
    expect(await bound()).toContain(ALICE.ip6);
  });

  it('adds IPv4 addresses bound to the interface; a hidden one is not bound', async () => {
    for (const [ip, status] of [[ALICE.ip, ''], [BOB.ip, 'free'], ['192.0.2.98', 'shared'], ['192.0.2.99', 'hidden']]) {
      expectOk(await dm.cli(['ipaddr.edit', `name=${ip}`, ...(status ? [`status=${status}`] : []), 'sok=ok']));
    }
    expect(await rows('ipaddr')).toEqual([
      addr(ALICE.ip, 'free'), addr(BOB.ip, 'free'), addr('192.0.2.98', 'shared'), addr('192.0.2.99', 'hidden'), addr(ALICE.ip6, 'free'),
    ]);
    const onIface = await bound();
    for (const ip of [ALICE.ip, BOB.ip, '192.0.2.98', ALICE.ip6]) expect(onIface).toContain(ip);
    expect(onIface).not.toContain('192.0.2.99');
  });

  it.each([ALICE.ip, '2001:db8:10:0:0::10', '192.0.2.99'])('refuses a duplicate %s with exists', async (ip) => {
    const before = await rows('ipaddr');
    expectError(await dm.cli(['ipaddr.edit', `name=${ip}`, 'sok=ok']), 'exists', 'ipaddr');
    expect(await rows('ipaddr')).toEqual(before);
  });

  it('ipaddr.delete unbinds and removes', async () => {
    expectOk(await dm.cli(['ipaddr.delete', 'elid=192.0.2.98, 192.0.2.99']));
    expect(await rows('ipaddr')).toEqual([addr(ALICE.ip, 'free'), addr(BOB.ip, 'free'), addr(ALICE.ip6, 'free')]);
    expect(await bound()).not.toContain('192.0.2.98');
  });

  describe('an address answering for a namespace', () => {
    beforeAll(async () => {
      expectOk(await dm.cli(['user.edit', 'name=alice', 'passwd=alice-pw', `ip=${ALICE.ip}`, `ip6=${ALICE.ip6}`, 'sok=ok']));
      expectOk(await dm.cli(['user.edit', 'name=bob', 'passwd=bob-pw', `ip=${BOB.ip}`, 'sok=ok']));
    });

    it.each([
      { what: 'deleted', args: ['ipaddr.delete', `elid=${ALICE.ip}`], type: 'exists' },
      { what: 'deleted (IPv6)', args: ['ipaddr.delete', `elid=${ALICE.ip6}`], type: 'exists' },
      { what: 'set free', args: ['ipaddr.edit', `elid=${ALICE.ip}`, 'status=free', 'sok=ok'], type: 'access' },
      { what: 'set hidden', args: ['ipaddr.edit', `elid=${ALICE.ip}`, 'status=hidden', 'sok=ok'], type: 'access' },
      { what: 'assigned to bob while alice would lose it', args: ['ipaddr.edit', `elid=${ALICE.ip}`, 'status=assigned', 'assignee=bob', 'sok=ok'], type: 'access' },
    ])('cannot be $what: an error naming the namespace, and nothing changes', async ({ args, type }) => {
      const before = await poolState();
      expectError(await dm.cli(args), type, 'ipaddr', /namespace 'alice'/);
      expect(await poolState()).toEqual(before);
    });

    it('may become shared, and assigned again to its namespace\'s member', async () => {
      expectOk(await dm.cli(['ipaddr.edit', `elid=${ALICE.ip}`, 'status=shared', 'sok=ok']));
      expect((await rows('ipaddr'))[0]).toEqual(addr(ALICE.ip, 'shared', '', 'alice'));
      expect((await row('namespace', 'alice')).ip).toBe(`${ALICE.ip}, ${ALICE.ip6}`);
      expectOk(await dm.cli(['ipaddr.edit', `elid=${ALICE.ip}`, 'status=assigned', 'assignee=alice', 'sok=ok']));
      expect((await rows('ipaddr'))[0]).toEqual(addr(ALICE.ip, 'assigned', 'alice', 'alice'));
      expectPasswd(['root::30:0:0:0', 'alice::16:0:0:0', 'bob::16:0:0:0']);
    });
  });
});

describe('reseller pool', () => {
  it('a reseller gets its own namespace on an admin address, which the admin then sees as assigned to it', async () => {
    for (const ip of [R.ip, R.first, R.spare, R.named]) expectOk(await dm.cli(['ipaddr.edit', `name=${ip}`, 'sok=ok']));
    expectOk(await dm.cli(['reseller.edit', 'name=r', 'passwd=r-pw', `ip=${R.ip}`, 'ip_limit=3', 'user_limit=3', 'sok=ok']));
    expect(await rows('reseller')).toEqual([{
      name: 'r', namespace: 'r', ip: R.ip, users: '0', user_limit: '3', ips: '1', ip_limit: '3', domains: '0', domain_limit: '0', status: 'active',
    }]);
    expect(await row('ipaddr', R.ip)).toEqual(addr(R.ip, 'assigned', 'r', 'r'));
    expectPasswd(['root::30:0:0:0', 'alice::16:0:0:0', 'bob::16:0:0:0', 'r::24:0:0:0']);
  });

  it('takes the first free address with name=auto and a named free one, up to ip_limit', async () => {
    expect((await dm.handler({ func: 'ipaddr.edit', name: 'auto', sok: 'ok' }, { user: 'r', ...RESELLER })).stdout).toContain('<ok/>');
    expect(await rows('ipaddr', 'su=r')).toEqual([addr(R.ip, 'assigned', 'r', 'r'), addr(R.first, 'free')]);
    expectOk(await dm.cli(['ipaddr.edit', `name=${R.named}`, 'sok=ok', 'su=r']));
    expectError(await dm.cli(['ipaddr.edit', 'name=auto', 'sok=ok', 'su=r']), 'limit', 'ipaddr');
    expect(await rows('ipaddr', 'su=r')).toEqual([addr(R.ip, 'assigned', 'r', 'r'), addr(R.first, 'free'), addr(R.named, 'free')]);
    expect(await row('ipaddr', R.first)).toEqual(addr(R.first, 'assigned', 'r'));
    expect(await row('ipaddr', R.named)).toEqual(addr(R.named, 'assigned', 'r'));
    expect(await row('ipaddr', R.spare)).toEqual(addr(R.spare, 'free'));
  });

  it("gives back an address the reseller deletes to the admin, free and still bound", async () => {
    expectOk(await dm.cli(['ipaddr.delete', `elid=${R.named}`, 'su=r']));
    expect(await row('ipaddr', R.named)).toEqual(addr(R.named, 'free'));
    expect((await rows('ipaddr', 'su=r')).map((a) => a.name)).toEqual([R.ip, R.first]);
    expect(await bound()).toContain(R.named);
  });

  it('gets the first free address instead when the named one is not free, as issue 3 specifies', async () => {
    // "a reseller asking for an address gets the one it named if free, otherwise the first free one"
    const before = await poolState();
    const r = await dm.cli(['ipaddr.edit', `name=${BOB.ip}`, 'sok=ok', 'su=r']);
    expectOk(r);
    const taken = (await rows('ipaddr', 'su=r')).map((a) => a.name).filter((ip) => ip !== R.ip && ip !== R.first);
    expect(taken).toHaveLength(1);
    expect(taken[0]).not.toBe(BOB.ip);
    expect(await row('ipaddr', BOB.ip)).toEqual(before.pool.find((a) => a.name === BOB.ip));
    // Given back, so the steps after this one start from the state they expect.
    expectOk(await dm.cli(['ipaddr.delete', `elid=${taken.join(',')}`, 'su=r']));
    expect(await poolState()).toEqual(before);
  });

  it("gives the reseller's users namespaces on the reseller's addresses, not on the admin's", async () => {
    expectOk(await dm.cli(['user.edit', 'name=u1', 'passwd=u1-pw', 'sok=ok', 'su=r']));
    expectError(await dm.cli(['user.edit', 'name=ux', 'passwd=ux-pw', `ip=${R.spare}`, 'sok=ok', 'su=r']), 'missed', 'ipaddr');
    expect(await rows('user', 'su=r')).toEqual([userRow('u1', 'r', 'u1', R.first)]);
    expect(await row('ipaddr', R.first)).toEqual(addr(R.first, 'assigned', 'r', 'u1'));
    expect(await row('ipaddr', R.first, 'su=r')).toEqual(addr(R.first, 'assigned', 'u1', 'u1'));
    expect((await row('namespace', 'u1')).ip).toBe(R.first);
  });

  it("serves a zone of a user who joined with nstype=shared on the reseller's address only", async () => {
    expectOk(await dm.cli(['user.edit', 'name=u2', 'passwd=u2-pw', 'nstype=shared', 'sok=ok', 'su=r']));
    expect(await row('user', 'u2')).toEqual(userRow('u2', 'r', 'r', R.ip));
    const add = await dm.handler({ func: 'domain.edit', name: 'shared-ns.example', masterip: net.masterIp, sok: 'ok' }, { user: 'u2', ...USER });
    expect(add.stdout).toContain('<ok/>');
    expect(await servedSerial(R.ip, 'shared-ns.example')).toBe(ZONES['shared-ns.example']);
    for (const other of [R.first, ALICE.ip, BOB.ip]) expect(await refusedOn(other, 'shared-ns.example')).toBe(true);
    expectPasswd(['root::30:0:0:0', 'alice::16:0:0:0', 'bob::16:0:0:0', 'r::24:0:0:0', 'u1:r:16:0:0:0', 'u2:r:16:1:0:1']);
  });

  it("LimitedResellers: a limited reseller's new users go into its own namespace only", async () => {
    await setConf(`${BASE_CONF}LimitedResellers r\n`);
    const before = await accountState();
    expectError(await dm.cli(['user.edit', 'name=u3', 'passwd=u3-pw', 'sok=ok', 'su=r']), 'access', 'namespace');
    expectError(await dm.cli(['user.edit', 'name=u3', 'passwd=u3-pw', `ip=${R.first}`, 'sok=ok', 'su=r']), 'access', 'namespace');
    expect(await accountState()).toEqual(before);
    expectOk(await dm.cli(['user.edit', 'name=u3', 'passwd=u3-pw', 'nstype=shared', 'sok=ok', 'su=r']));
    expect(await row('user', 'u3')).toEqual(userRow('u3', 'r', 'r', R.ip));
    await setConf(BASE_CONF);
  });

  it('user_limit: one user too many is refused and nothing changes', async () => {
    const before = await accountState();
    expectError(await dm.cli(['user.edit', 'name=u4', 'passwd=u4-pw', 'nstype=shared', 'sok=ok', 'su=r']), 'limit', 'user');
    expect(await accountState()).toEqual(before);
    expect((await rows('reseller'))[0]).toMatchObject({ users: '3', user_limit: '3', ips: '2', ip_limit: '3' });
  });
});

describe('namespaces', () => {
  const probes = { inList: '203.0.113.7', outside: '203.0.113.9' };

  beforeAll(async () => {
    // Two more sources on the master side, and the way back to them from the slave.
    for (const ip of Object.values(probes)) await nsExec(net.master, 'ip', ['addr', 'add', `${ip}/32`, 'dev', 'veth-m']);
    await nsExec(net.slave, 'ip', ['route', 'add', '203.0.113.0/24', 'via', net.masterIp]);
    expectOk(await dm.cli(['domain.edit', 'name=example.com', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']));
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(ZONES['example.com']);
  });

  it.each([
    { label: 'as created', value: '', inZone: [], listed: 'none', allowed: [], refused: ['198.51.100.1'] },
    { label: 'a prefix and an address', value: `198.51.100.0/24, ${probes.inList}`, inZone: ['198.51.100.0/24', probes.inList], listed: `198.51.100.0/24, ${probes.inList}`,
      allowed: ['198.51.100.1', probes.inList], refused: [probes.outside] },
    { label: 'none', value: 'none', inZone: [], listed: 'none', allowed: [], refused: ['198.51.100.1', probes.inList] },
    { label: 'any', value: 'any', inZone: ['any'], listed: 'any', allowed: ['198.51.100.1', probes.outside], refused: [] },
  ])('allow_transfer $label: in the clause of each of the namespace\'s zones, with no reconfig, and real AXFR follows it', async ({ value, inZone, listed, allowed, refused }) => {
    const reconfigs = dm.reconfigurations();
    if (value !== '') expectOk(await dm.cli(['namespace.edit', 'elid=alice', `allow_transfer=${value}`, 'sok=ok']));
    expect(await dm.clausesOf('example.com')).toMatchObject([{ queryOn: [ALICE.ip, ALICE.ip6], allowTransfer: inZone }]);
    expect(dm.reconfigurations(), 'a namespace change reconfigures nothing').toBe(reconfigs);
    expect((await row('namespace', 'alice')).allow_transfer).toBe(listed);
    for (const source of allowed) await axfrFrom(source, true);
    for (const source of refused) await axfrFrom(source, false);
  });

  it('lists every namespace to the admin, its own and its users\' to a reseller, its own to a user', async () => {
    const ns = (name: string, owner: string, ip: string, accounts: number, domains: number, allow = 'none') =>
      ({ name, owner, ip, accounts: String(accounts), domains: String(domains), allow_transfer: allow });
    const alice = ns('alice', 'alice', `${ALICE.ip}, ${ALICE.ip6}`, 1, 1, 'any');
    const r = ns('r', 'r', R.ip, 3, 1);
    const u1 = ns('u1', 'u1', R.first, 1, 0);
    expect(await rows('namespace')).toEqual([alice, ns('bob', 'bob', BOB.ip, 1, 0), r, u1]);
    expect(await rows('namespace', 'su=r')).toEqual([r, u1]);
    expect(await rows('namespace', 'su=u2')).toEqual([r]);
    expect(await rows('namespace', 'su=alice')).toEqual([alice]);
  });

  it('keeps a namespace an account or a zone uses: namespace.delete is refused, nothing changes', async () => {
    const before = await rows('namespace');
    const r = await dm.cli(['namespace.delete', 'elid=alice, bob']);
    expect(r.stdout).toBe("ERROR exists(namespace, 'alice'): Namespace 'alice' is still used by accounts or zones\n");
    expect(await rows('namespace')).toEqual(before);
  });
});

describe('who may own a zone', () => {
  it('the owner may add names below her zone; each domain.edit and domain.delete moves the passwd counts', async () => {
    expectPasswd(['root::30:0:0:0', 'alice::16:1:0:0', 'bob::16:0:0:0', 'r::24:0:0:0', 'u1:r:16:0:0:0', 'u2:r:16:1:0:1', 'u3:r:16:0:0:0']);
    for (const [zone, used] of [['deep.example.org', 2], ['sub.example.com', 3], ['temp.example', 4]] as const) {
      expectOk(await dm.cli(['domain.edit', `name=${zone}`, `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']));
      expect(passwdLine('alice')).toBe(`alice::16:${used}:0:0`);
    }
    expect(await servedSerial(ALICE.ip, 'sub.example.com')).toBe(ZONES['sub.example.com']);
    expect((await dm.cli(['domain.delete', 'elid=temp.example', 'su=alice'])).stdout).toBe('OK\ndeleted=temp.example\n');
    expect(passwdLine('alice')).toBe('alice::16:3:0:0');
  });

  it.each([
    { who: 'bob, the same name', args: ['su=bob', 'name=example.com'] },
    { who: 'bob, a subdomain', args: ['su=bob', 'name=www.sub.example.com'] },
    { who: 'bob, a parent', args: ['su=bob', 'name=example.org'] },
    { who: 'a reseller for its user', args: ['su=r', 'owner=u1', 'name=sub.example.com'] },
    { who: 'root for bob', args: ['owner=bob', 'name=example.com'] },
  ])('another account cannot add it: $who (exists, nothing changes)', async ({ args }) => {
    const before = await zoneState();
    expectError(await dm.cli(['domain.edit', ...args, `masterip=${net.masterIp}`, 'sok=ok']), 'exists', 'domain');
    expect(await zoneState()).toEqual(before);
  });
});

describe('dnsmgr.conf through the settings form', () => {
  // As the administrator wrote it, with the name server under test (a `NameServer powerdns` line at the end for PowerDNS).
  const ADMIN_CONF = withNameServer([
    '// dnsmgr.conf of the accounts test: the administrator\'s notes must survive the settings form.',
    'NetworkInterface veth-s',
    '/* IPv6 pool addresses',
    '   are allowed */',
    'Option AllowIpV6',
    '# a key a later version may read',
    'FancyFutureKey keep me   // and this comment',
    'LogLevel 2',
    '',
  ].join('\n'));
  const WITH_SHARED = `${ADMIN_CONF.replace('LogLevel 2\n', 'LogLevel 5\n')}SharedDomains example.com\n`;

  it('writes the change in place, keeping comments, order and unknown keys; the same change again changes nothing', async () => {
    await setConf(ADMIN_CONF);
    for (let i = 0; i < 2; i++) {
      expectOk(await dm.cli(['settings', 'sok=ok', 'SharedDomains=example.com', 'LogLevel=5', 'AllowIpV6=on']));
      expect(conf()).toBe(WITH_SHARED);
    }
    expect(formFields((await dm.cli(['settings'])).stdout)).toMatchObject({
      NetworkInterface: 'veth-s', SharedDomains: 'example.com', LogLevel: '5', AllowIpV6: 'on', InsecureDomain: 'off',
    });
  });

  it.each([
    ['LogLevel=10'], ['InsecureDomain=maybe'], ['DefaultLang=de'], ['NetworkInterface=eth0; rm -rf /'], ['SharedDomains=a"b.com'],
  ])('a bad setting (%s) beside a good one changes nothing', async (bad) => {
    const [param] = bad.split('=') as [string];
    const good = ['SharedDomains=example.net', 'LogLevel=3'].filter((g) => !g.startsWith(`${param}=`));
    expectError(await dm.cli(['settings', 'sok=ok', ...good, bad]), 'value', param);
    expect(conf()).toBe(WITH_SHARED);
  });

  it('SharedDomains: two users each have example.com, each in their own view, each answering', async () => {
    expectOk(await dm.cli(['domain.edit', 'name=example.com', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']));
    expect(await servedSerial(BOB.ip, 'example.com')).toBe(ZONES['example.com']);
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(ZONES['example.com']);
    expect((await rows('domain')).filter((z) => z.name === 'example.com').map((z) => z.owner)).toEqual(['alice', 'bob']);
    // Two clauses, each answering on its owner's addresses only.
    const clauses = await dm.clausesOf('example.com');
    expect(clauses.map((c) => c.queryOn).sort()).toEqual([[ALICE.ip, ALICE.ip6], [BOB.ip]]);
    if (NAME_SERVER === 'bind') {
      // The shared view holds a name once: bob's namespace, adding the second example.com, got a view of its own.
      const own = new RegExp(`view "(_ns\\d+)" \\{\\n\\tmatch-clients \\{ any; \\};\\n\\tmatch-destinations \\{ key "dnsmgr-update-_ns\\d+"; ${BOB.ip.replace(/\./g, '\\.')}; \\};`).exec(views());
      expect(own, 'a view of its own on bob\'s address').not.toBeNull();
      expect(clauses.find((c) => c.view === (own as RegExpExecArray)[1])).toMatchObject({ queryOn: [BOB.ip] });
      expect(clauses.find((c) => c.view === '_dnsmgr')).toMatchObject({ queryOn: [ALICE.ip, ALICE.ip6] });
    }
    // bob's own view answers on his address: alice's other zones are not there.
    expect(await refusedOn(BOB.ip, 'deep.example.org')).toBe(true);
    expect(await servedSerial(ALICE.ip, 'deep.example.org')).toBe(ZONES['deep.example.org']);
  });

  it('InsecureDomain skips the overlap check while it is on', async () => {
    expectOk(await dm.cli(['settings', 'sok=ok', 'SharedDomains=', 'InsecureDomain=on']));
    expect(conf()).toBe(`${ADMIN_CONF.replace('LogLevel 2\n', 'LogLevel 5\n')}Option InsecureDomain\n`);
    expectOk(await dm.cli(['domain.edit', 'name=example.org', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']));
    expect(await servedSerial(BOB.ip, 'example.org')).toBe(ZONES['example.org']);
    expectOk(await dm.cli(['settings', 'sok=ok', 'InsecureDomain=off']));
    expect(conf()).toBe(ADMIN_CONF.replace('LogLevel 2\n', 'LogLevel 5\n'));
    expectError(await dm.cli(['domain.edit', 'name=www.deep.example.org', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']), 'exists', 'domain');
    expectPasswd(['root::30:0:0:0', 'alice::16:3:0:0', 'bob::16:2:0:0', 'r::24:0:0:0', 'u1:r:16:0:0:0', 'u2:r:16:1:0:1', 'u3:r:16:0:0:0']);
  });
});

describe('restricted names', () => {
  beforeAll(async () => {
    expectOk(await dm.cli(['restricted.edit', 'name=restricted.example', 'sok=ok']));
    await setConf(`${conf()}RestrictedDomains banned.example\n`);
  });

  it('are listed from both sources', async () => {
    expect(await rows('restricted')).toEqual([
      { name: 'restricted.example', source: 'list' }, { name: 'banned.example', source: 'dnsmgr.conf' },
    ]);
  });

  it.each([
    { who: 'alice', args: ['su=alice', 'name=restricted.example'] },
    { who: 'alice, a name below', args: ['su=alice', 'name=www.restricted.example'] },
    { who: 'root for alice', args: ['owner=alice', 'name=restricted.example'] },
    { who: 'a reseller for its user', args: ['su=r', 'owner=u1', 'name=a.b.banned.example'] },
    { who: 'root for bob', args: ['owner=bob', 'name=banned.example'] },
  ])('refuse the name and names below it: $who (access, nothing changes)', async ({ args }) => {
    const before = await zoneState();
    expectError(await dm.cli(['domain.edit', ...args, `masterip=${net.masterIp}`, 'sok=ok']), 'access', 'domain');
    expect(await zoneState()).toEqual(before);
  });

  it('leave a name that merely ends in the same letters alone', async () => {
    expectOk(await dm.cli(['domain.edit', 'name=unrestricted.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']));
    expect(await servedSerial(ALICE.ip, 'unrestricted.example')).toBe(ZONES['unrestricted.example']);
  });
});

describe('domain limits', () => {
  it('a user at its domain_limit gets a limit error and nothing changes', async () => {
    expectOk(await dm.cli(['user.edit', 'elid=bob', 'domain_limit=2', 'sok=ok']));
    expect(passwdLine('bob')).toBe('bob::16:2:2:0');
    const before = await zoneState();
    expectError(await dm.cli(['domain.edit', 'name=temp.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']), 'limit', 'domain');
    expect(await zoneState()).toEqual(before);
    expect(await refusedOn(BOB.ip, 'temp.example')).toBe(true);
  });

  it("a reseller's domain_limit counts its users' zones", async () => {
    expectOk(await dm.cli(['domain.edit', 'name=u1.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=u1']));
    expectOk(await dm.cli(['reseller.edit', 'elid=r', 'domain_limit=2', 'sok=ok']));
    expect((await rows('reseller'))[0]).toMatchObject({ domains: '2', domain_limit: '2' });
    const before = await zoneState();
    for (const who of ['su=u1', 'su=u3', 'su=r']) {
      expectError(await dm.cli(['domain.edit', 'name=temp.example', `masterip=${net.masterIp}`, 'sok=ok', who]), 'limit', 'domain');
    }
    expect(await zoneState()).toEqual(before);
    expectPasswd(['root::30:0:0:0', 'alice::16:4:0:0', 'bob::16:2:2:0', 'r::24:0:2:0', 'u1:r:16:1:0:0', 'u2:r:16:1:0:1', 'u3:r:16:0:0:0']);
  });
});

describe('suspend and resume', () => {
  it.each([
    { kind: 'user', login: 'bob', caller: 'bob' },
    { kind: 'reseller', login: 'r', caller: 'u1' },
  ])('$kind: suspend locks $caller out while the zones stay served; resume lets it back', async ({ kind, login, caller }) => {
    const passwd = readPasswd();
    expectOk(await dm.cli([`${kind}.suspend`, `elid=${login}`]));
    expect((await row(kind, login)).status).toBe('suspended');
    const locked = await dm.handler({ func: 'domain' }, { user: caller, ...USER });
    expect(locked.stdout).toContain('<error type="access"');
    const [ip, zone] = caller === 'bob' ? [BOB.ip, 'example.org'] : [R.first, 'u1.example'];
    expect(await servedSerial(ip, zone)).toBe(ZONES[zone]);
    expectOk(await dm.cli([`${kind}.resume`, `elid=${login}`]));
    expect((await row(kind, login)).status).toBe('active');
    expect(await servedSerial(ip, zone)).toBe(ZONES[zone]);
    expect((await dm.handler({ func: 'domain' }, { user: caller, ...USER })).stdout).toContain('<elem>');
    expect(readPasswd()).toBe(passwd);
  });
});

describe('reseller.delete', () => {
  it("removes its users, their zones from the name server and their views, and gives its addresses back to the admin, free", async () => {
    expectOk(await dm.cli(['reseller.delete', 'elid=r']));
    expect(await rows('reseller')).toEqual([]);
    expect((await rows('user')).map((u) => u.name)).toEqual(['alice', 'bob']);
    expect((await rows('domain')).map((z) => z.owner)).not.toContain('u1');
    // Both addresses are in no namespace any more. named still listens there (the whole pool), but no zone answers;
    // under PowerDNS their namespaces' instances are gone, and nothing answers there at all.
    const unanswered = NAME_SERVER === 'bind' ? 'REFUSED' : 'TIMEOUT';
    expect((await dig(net.master, R.ip, 'shared-ns.example', 'SOA')).status).toBe(unanswered);
    expect((await dig(net.master, R.first, 'u1.example', 'SOA')).status).toBe(unanswered);
    for (const zone of ['shared-ns.example', 'u1.example']) expect(await dm.holds(zone), zone).toBe(false);
    // No view (BIND) or instance (PowerDNS) answers on them.
    const told = await dm.snapshot();
    for (const ip of [R.ip, R.first]) expect(told).not.toMatch(new RegExp(`(?<![0-9.])${ip.replace(/\./g, '\\.')}(?![0-9])`));
    for (const ip of [R.ip, R.first]) expect(await row('ipaddr', ip)).toEqual(addr(ip, 'free'));
    expectPasswd(['root::30:0:0:0', 'alice::16:4:0:0', 'bob::16:2:2:0']);
  });

  it('leaves passwd mode 0600 with hashes of the real passwords', () => {
    const file = join(dm.root, 'etc', 'dnsmgr.passwd');
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const hashes = Object.fromEntries(readPasswd().trimEnd().split('\n').map((l) => [l.split(':')[0], l.split(':')[2] as string]));
    expect(bcrypt.compareSync('alice-pw', hashes.alice as string)).toBe(true);
    expect(bcrypt.compareSync('bob-pw', hashes.bob as string)).toBe(true);
    expect(bcrypt.compareSync('root-secret', hashes.root as string)).toBe(true);
  });
});

// ---- helpers -------------------------------------------------------------------------------------------------------

async function setConf(text: string): Promise<void> {
  await writeFile(join(dm.root, 'etc', 'dnsmgr.conf'), withNameServer(text));
}

function conf(): string {
  return readFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), 'utf8');
}

function views(): string {
  return readFileSync(join(dm.root, 'etc', 'named', 'dnsmgr-views.conf'), 'utf8');
}

function readPasswd(): string {
  return readFileSync(join(dm.root, 'etc', 'dnsmgr.passwd'), 'utf8');
}

/** passwd lines without the hash (login:reseller:level:used:allowed:shared); each hash must be bcrypt $2a$. */
function passwdLines(): string[] {
  return readPasswd().split('\n').filter(Boolean).map((line) => {
    const f = line.split(':');
    expect(f, line).toHaveLength(7);
    expect(f[2], line).toMatch(/^\$2a\$\d\d\$[./A-Za-z0-9]{53}$/);
    return [f[0], f[1], ...f.slice(3)].join(':');
  });
}

function passwdLine(login: string): string | undefined {
  return passwdLines().find((l) => l.startsWith(`${login}:`));
}

function expectPasswd(lines: string[]): void {
  expect(statSync(join(dm.root, 'etc', 'dnsmgr.passwd')).mode & 0o777).toBe(0o600);
  expect(passwdLines()).toEqual(lines);
}

function expectOk(r: Result): void {
  expect(r.stdout, r.stderr).toBe('OK\n');
  expect(r.exitCode).toBe(0);
}

const EXIT: Record<string, number> = { exists: 2, missed: 3, value: 4, limit: 5, access: 6 };

function parseErrorLine(stdout: string): { type: string; object: string; message: string } {
  const m = /^ERROR (\w+)\(([^,)]+)(?:, '.*?')?\): (.*)\n$/.exec(stdout);
  expect(m, stdout).not.toBeNull();
  const [, type = '', object = '', message = ''] = m as RegExpExecArray;
  return { type, object, message };
}

function expectError(r: Result, type: string, object: string, message?: RegExp): void {
  const e = parseErrorLine(r.stdout);
  expect({ type: e.type, object: e.object }, r.stdout).toEqual({ type, object });
  if (message) expect(e.message).toMatch(message);
  expect(r.exitCode).toBe(EXIT[type]);
}

async function rows(func: string, ...args: string[]): Promise<Record<string, string>[]> {
  const r = await dm.cli([func, ...args]);
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  return parseTextRows(r.stdout);
}

async function row(func: string, name: string, ...args: string[]): Promise<Record<string, string>> {
  const found = (await rows(func, ...args)).find((x) => x.name === name);
  expect(found, `${name} in ${func}`).toBeDefined();
  return found as Record<string, string>;
}

/** A form in text: one key=value per line. */
function formFields(stdout: string): Record<string, string> {
  return Object.fromEntries(stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

function addr(name: string, status: string, owner = '', namespace = ''): Record<string, string> {
  return { name, family: name.includes(':') ? 'ipv6' : 'ipv4', status, owner, namespace };
}

function userRow(name: string, reseller: string, namespace: string, ip: string): Record<string, string> {
  return { name, reseller, namespace, ip, domains: '0', domain_limit: '0', status: 'active' };
}

/** Addresses on the slave's interface. */
async function bound(): Promise<string[]> {
  const out = (await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'dev', net.slaveIface])).stdout;
  return [...out.matchAll(/ inet6? (\S+)\//g)].map((m) => m[1] as string);
}

async function poolState() {
  return { pool: await rows('ipaddr'), nameServer: await dm.snapshot(), bound: await bound() };
}

async function accountState() {
  return { users: await rows('user'), resellers: await rows('reseller'), pool: await rows('ipaddr'), nameServer: await dm.snapshot(), passwd: readPasswd() };
}

async function zoneState() {
  return { zones: await rows('domain'), passwd: readPasswd() };
}

async function servedSerial(server: string, zone: string): Promise<number> {
  return waitFor(async () => {
    const a = await dig(net.master, server, zone, 'SOA');
    return a.status === 'NOERROR' && a.aa && a.serial !== undefined ? a.serial : undefined;
  }, { timeoutMs: 10_000, what: `${zone} served on ${server}` });
}

async function refusedOn(server: string, zone: string): Promise<boolean> {
  return (await dig(net.master, server, zone, 'SOA')).status === 'REFUSED';
}

/**
 * AXFR of example.com from alice's address, asked from `source` on the master side. Refused: REFUSED and "Transfer
 * failed" from named; PowerDNS answers a transfer it does not allow with NOTAUTH.
 */
async function axfrFrom(source: string, allowed: boolean): Promise<void> {
  const refused = NAME_SERVER === 'bind' ? 'REFUSED' : 'NOTAUTH';
  await waitFor(async () => {
    const a = await dig(net.master, ALICE.ip, 'example.com', 'AXFR', ['-b', source]);
    return allowed ? a.aa && a.serial === ZONES['example.com'] : a.status === refused;
  }, { timeoutMs: 5000, what: `AXFR of example.com from ${source} ${allowed ? 'allowed' : 'refused'}` });
}
