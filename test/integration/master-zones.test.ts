// Master zones and their records (issue 12), against a real name server (named, or PowerDNS): a zone made through each
// door answers on its owner's address only; records go in and out as clients send them, each one change of its zone
// (a DNS UPDATE under BIND, its journal keeping it; one PATCH of PowerDNS's API), the serial advancing by itself; bad
// records change nothing, in the database or in the name server.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { nsExec } from '../helpers/netns';
import { dig, digAnswers, digStatus, waitFor } from '../helpers/named';
import { expectCliOk, NAME_SERVER, parseTextRows, pdnsutilOn } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const ALICE_IP = '192.0.2.41';
const BOB_IP = '192.0.2.42';
const ALICE_AUTH = 'alice:alice-pw';

let net: TestNet;
let dm: Instance;
let world: World;

const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);
const answers = (ip: string, name: string, type: string): Promise<string[]> => digAnswers(net.master, ip, name, type);
const status = (ip: string, name: string, type = 'SOA'): Promise<string> => digStatus(net.master, ip, name, type);
const serial = async (zone: string): Promise<number> => Number((await answers(ALICE_IP, zone, 'SOA'))[0]?.split(' ')[2]);
// dig's answers are the records' data.

/** A form's values as the CLI prints them, a line each. */
async function form(args: string[]): Promise<Record<string, string>> {
  const r = await dm.cli(args);
  expect(r.exitCode, r.stderr).toBe(0);
  return Object.fromEntries(r.stdout.split('\n').filter(Boolean).map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

async function records(zone: string): Promise<Record<string, string>[]> {
  const r = await dm.cli(['domain.record', `plid=${zone}`, 'su=alice']);
  expect(r.exitCode, r.stderr).toBe(0);
  return parseTextRows(r.stdout);
}

beforeAll(async () => {
  world = await startWorld('master', []);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  await dm.addUser('bob', 'bob-pw', BOB_IP);
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('a master zone', () => {
  it.each([
    ['the CLI', 'cli.example'],
    ['HTTP, as a billing panel sends it', 'billing.example'],
    ['the panel handler', 'handler.example'],
  ])('made through %s answers on its owner\'s address with its first records, and is refused elsewhere', async (door, zone) => {
    if (door === 'the CLI') {
      await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, `email=admin@${zone}`, 'sok=ok', 'su=alice']);
    } else if (door.startsWith('HTTP')) {
      const r = await dm.http({
        authinfo: ALICE_AUTH, func: 'domain.edit', dtype: 'master', name: zone, ip: ALICE_IP, email: `admin@${zone}`, masterip: '', dnssec: 'off',
        dnssec_turn_off_show: '', sform: 'ajax', clicked_button: 'ok', progressid: 'false', 'zoom-ip': '', sok: 'ok', out: 'text',
      }, 'POST');
      expect(r.body).toContain('OK');
    } else {
      const r = await dm.handler({ func: 'domain.edit', dtype: 'master', name: zone, ip: ALICE_IP, email: `admin@${zone}`, sok: 'ok' }, { user: 'alice', level: 16 });
      expect(r.exitCode, r.stderr).toBe(0);
      expect(r.stdout).toContain('<ok');
    }
    await waitFor(async () => (await status(ALICE_IP, zone)) === 'NOERROR', { timeoutMs: 5000, what: `${zone} answered` });
    expect(await answers(ALICE_IP, zone, 'SOA')).toEqual([expect.stringMatching(new RegExp(`^ns1\\.${zone}\\. admin\\.${zone}\\. \\d+ 10800 3600 604800 3600$`))]);
    expect(await answers(ALICE_IP, zone, 'NS')).toEqual([`ns1.${zone}.`, `ns2.${zone}.`]);
    expect(await answers(ALICE_IP, `www.${zone}`, 'A')).toEqual([ALICE_IP]);
    expect(await answers(ALICE_IP, zone, 'MX')).toEqual([`10 mail.${zone}.`]);
    expect(await status(BOB_IP, zone)).toBe('REFUSED');
    const list = parseTextRows((await dm.cli(['domain', 'su=alice'])).stdout).find((row) => row.name === zone);
    expect(list?.dtype).toBe('master');
  });

  it('shows in the domain list as served, with the serial named answers, and is refused by the functions of slave zones', async () => {
    await ok(['domain.health.update']);
    const row = parseTextRows((await dm.cli(['domain', 'su=alice'])).stdout).find((r) => r.name === 'cli.example');
    expect(row).toMatchObject({ dtype: 'master', masterip: '', status: 'ok', serial: String(await serial('cli.example')) });
    for (const func of ['domain.retransfer', 'domain.refresh', 'domain.check']) {
      const r = await dm.cli([func, 'elid=cli.example', 'su=alice'], { out: 'xml' });
      expect(r.stdout, func).toContain('<error type="value" object="elid"');
      expect(r.stdout, func).toContain('no masters to transfer it from');
    }
  });

  it('is not listed, changed or deleted by another account', async () => {
    const r = await dm.cli(['domain.record', 'plid=cli.example', 'su=bob']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stderr + r.stdout).toMatch(/does not exist/);
    const edit = await dm.cli(['domain.record.edit', 'plid=cli.example', 'name=x', 'rtype=A', `value=${BOB_IP}`, 'sok=ok', 'su=bob']);
    expect(edit.exitCode).not.toBe(0);
    expect(await status(ALICE_IP, 'x.cli.example', 'A')).toBe('NXDOMAIN');
  });
});

describe('DNSSEC', () => {
  it('dnssec=on signs the zone with named\'s own policy, records changed later too; off takes the signing away through the insecure policy', async () => {
    const zone = 'signed.example';
    await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, 'dnssec=on', 'sok=ok', 'su=alice']);
    const keys = await waitFor(async () => {
      const a = (await dig(net.master, ALICE_IP, zone, 'DNSKEY', ['+dnssec'])).answers;
      return a.some((x) => x.startsWith('257 3 13 ')) && a.some((x) => x.startsWith('DNSKEY 13 ')) ? a : undefined;
    }, { timeoutMs: 10_000, what: `${zone} signed` });
    expect(keys.length).toBeGreaterThanOrEqual(2);
    await ok(['domain.record.edit', `plid=${zone}`, 'name=later', 'rtype=TXT', 'value=signed too', 'sok=ok', 'su=alice']);
    const txt = (await dig(net.master, ALICE_IP, `later.${zone}`, 'TXT', ['+dnssec'])).answers;
    expect(txt).toEqual(expect.arrayContaining(['"signed too"', expect.stringMatching(/^TXT 13 3 /)]));
    expect(await form(['domain.edit', `elid=${zone}`, 'su=alice'])).toMatchObject({ dtype: 'master', dnssec: 'on', email: `hostmaster@${zone}` });
    await ok(['domain.edit', `elid=${zone}`, 'dtype=master', 'dnssec=off', 'sok=ok', 'su=alice']);
    if (NAME_SERVER === 'bind') {
      // named takes the keys out step by step (the insecure policy), in step with caches: its clause says so.
      const clause = (await dm.rndc(['showzone', zone, 'IN', '_dnsmgr'])).stdout;
      expect(clause).toContain('dnssec-policy "insecure"');
    } else {
      // PowerDNS signs on the fly: without its keys the zone answers unsigned at once.
      await waitFor(async () => (await answers(ALICE_IP, zone, 'DNSKEY')).length === 0, { timeoutMs: 10_000, what: `${zone} unsigned` });
    }
    expect(await form(['domain.edit', `elid=${zone}`, 'su=alice'])).toMatchObject({ dnssec: 'off' });
  });
});

describe('what a master zone may not be', () => {
  it.each([
    ['a bad contact', ['name=bad1.example', `ip=${ALICE_IP}`, 'email=not-an-address'], 'email'],
    ['a bad address', ['name=bad2.example', 'ip=192.0.2.300'], 'ip'],
    ['masters, as a slave zone has', ['name=bad3.example', `ip=${ALICE_IP}`, 'masterip=198.51.100.1'], 'masterip'],
    ['name servers inside it without its address', ['name=bad4.example'], 'ip'],
    ['a name server that is an address', ['name=bad5.example', `ip=${ALICE_IP}`, 'ns=198.51.100.7'], 'ns'],
    ['a zone name of the wrong shape', ['name=-bad-.example', `ip=${ALICE_IP}`], 'name'],
  ])('%s is refused, naming the field, and nothing is made', async (_, fields, param) => {
    const before = (await dm.cli(['domain'])).stdout;
    const r = await dm.cli(['domain.edit', 'dtype=master', ...fields, 'sok=ok', 'su=alice'], { out: 'xml' });
    expect(r.stdout).toContain(`<error type="value" object="${param}"`);
    expect((await dm.cli(['domain'])).stdout).toBe(before);
  });

  it('follows the rules of every zone: restricted names, other accounts\' names, the domain limit', async () => {
    await ok(['restricted.edit', 'name=closed.example', 'sok=ok']);
    const restricted = await dm.cli(['domain.edit', 'dtype=master', 'name=www.closed.example', `ip=${ALICE_IP}`, 'sok=ok', 'su=alice'], { out: 'xml' });
    expect(restricted.stdout).toContain('<error type="access"');
    const taken = await dm.cli(['domain.edit', 'dtype=master', 'name=cli.example', `ip=${BOB_IP}`, 'sok=ok', 'su=bob'], { out: 'xml' });
    expect(taken.stdout).toContain('<error type="exists"');
    const below = await dm.cli(['domain.edit', 'dtype=master', 'name=sub.cli.example', `ip=${BOB_IP}`, 'sok=ok', 'su=bob'], { out: 'xml' });
    expect(below.stdout).toContain('<error type="exists"');
    await ok(['user.edit', 'elid=bob', 'domain_limit=1', 'sok=ok']);
    await ok(['domain.edit', 'dtype=master', 'name=bob-one.example', `ip=${BOB_IP}`, 'sok=ok', 'su=bob']);
    const over = await dm.cli(['domain.edit', 'dtype=master', 'name=bob-two.example', `ip=${BOB_IP}`, 'sok=ok', 'su=bob'], { out: 'xml' });
    expect(over.stdout).toContain('<error type="limit"');
    expect(await status(BOB_IP, 'bob-one.example')).toBe('NOERROR');
    expect(await status(BOB_IP, 'bob-two.example')).toBe('REFUSED');
  });
});

describe('records', () => {
  it('a TXT record sent as a certificate tool sends it is answered within a second, listed under its key, and gone after its delete by key', async () => {
    const zone = 'billing.example';
    const before = await serial(zone);
    const token = 'gfj9Xq-v3Ni5ri-Tmp9Q2m1DZ7gOqg3q7aN0uZyfQxk';
    const added = Date.now();
    const r = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.edit', plid: zone, name: `_acme-challenge.${zone}.`, rtype: 'txt', ttl: '60', value: token, sok: 'ok', out: 'text' });
    expect(r.body).toContain('OK');
    await waitFor(async () => (await answers(ALICE_IP, `_acme-challenge.${zone}`, 'TXT')).length > 0, { timeoutMs: 1000, intervalMs: 20, what: 'the TXT answered' });
    expect(Date.now() - added).toBeLessThan(1500);
    expect(await answers(ALICE_IP, `_acme-challenge.${zone}`, 'TXT')).toEqual([`"${token}"`]);
    expect(await serial(zone)).toBeGreaterThan(before);
    const rkey = `_acme-challenge.${zone}. TXT  ${token}`;
    const listed = parseTextRows((await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record', elid: zone, out: 'text' })).body);
    expect(listed.find((row) => row.rkey === rkey)).toMatchObject({ name: `_acme-challenge.${zone}.`, ttl: '60', rtype: 'TXT', value: token });
    const del = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.delete', plid: zone, elid: rkey, sok: 'ok', out: 'text' });
    expect(del.body).toContain('OK');
    expect(await answers(ALICE_IP, `_acme-challenge.${zone}`, 'TXT')).toEqual([]);
    expect((await records(zone)).some((row) => row.rkey === rkey)).toBe(false);
    // Added twice, as a retrying client does: one record, the TTL of the last request.
    for (const ttl of ['60', '60', '120']) {
      const again = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.edit', plid: zone, name: '_acme-challenge', rtype: 'TXT', ttl, value: 'twice', sok: 'ok', out: 'text' });
      expect(again.body).toContain('OK');
    }
    expect((await records(zone)).filter((row) => row.value === 'twice').map((row) => row.ttl)).toEqual(['120']);
    expect(await answers(ALICE_IP, `_acme-challenge.${zone}`, 'TXT')).toEqual(['"twice"']);
    await ok(['domain.record.delete', `plid=${zone}`, `elid=_acme-challenge.${zone}. TXT  twice`, 'sok=ok', 'su=alice']);
    // Deleting it again is not an error: the cleanup of a certificate tool may run twice.
    expect((await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.delete', plid: zone, elid: rkey, sok: 'ok', out: 'text' })).body).toContain('OK');
  });

  it('a TXT record whose text ends in a space, or holds quotes, is found again by the key it is listed under', async () => {
    const zone = 'billing.example';
    // Sent as zone-file strings: the text is what is inside the quotes.
    for (const [value, text] of [['"ends in a space "', 'ends in a space '], ['"\\"quoted\\""', '"quoted"']] as const) {
      expect((await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.edit', plid: zone, name: 'odd', rtype: 'TXT', value, sok: 'ok', out: 'text' })).body).toContain('OK');
      const row = (await records(zone)).find((r) => r.name === `odd.${zone}.` && r.rtype === 'TXT');
      expect(row?.value, value).toBe(text);
      const del = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.delete', plid: zone, elid: row?.rkey ?? '', sok: 'ok', out: 'text' });
      expect(del.body, value).toContain('OK');
      expect(del.body, value).toContain('deleted');
      expect((await records(zone)).some((r) => r.name === `odd.${zone}.`), value).toBe(false);
      expect(await answers(ALICE_IP, `odd.${zone}`, 'TXT'), value).toEqual([]);
    }
  });

  it('every type goes in through the fields clients send, a relative name or an absolute one, and several go out in one delete', async () => {
    const zone = 'cli.example';
    const adds = [
      ['name=v6', 'rtype=aaaa', 'ip=2001:db8::41'],
      ['name=alias', 'rtype=CNAME', 'domain=www'],
      ['name=@', 'rtype=mx', 'priority=20', 'domain=mx2.example.net.'],
      ['name=sub', 'rtype=NS', 'value=ns.example.org.'],
      ['name=_sip._tcp', 'rtype=SRV', 'priority=10', 'weight=5', 'port=5060', 'srvdomain=sip.example.org.'],
      ['name=41', 'rtype=PTR', 'value=host.example.org.'],
      ['name=@', 'rtype=CAA', 'value=0 issue "letsencrypt.org"'],
      [`name=long.${zone}.`, 'rtype=TXT', `value="${'x'.repeat(300)}"`],
    ];
    for (const a of adds) await ok(['domain.record.edit', `plid=${zone}`, ...a, 'sok=ok', 'su=alice']);
    expect(await answers(ALICE_IP, `v6.${zone}`, 'AAAA')).toEqual(["2001:db8::41"]);
    expect(await answers(ALICE_IP, `alias.${zone}`, 'CNAME')).toEqual([`www.${zone}.`]);
    expect(await answers(ALICE_IP, zone, 'MX')).toEqual([`10 mail.${zone}.`, '20 mx2.example.net.']);
    expect(await answers(ALICE_IP, `_sip._tcp.${zone}`, 'SRV')).toEqual(['10 5 5060 sip.example.org.']);
    expect(await answers(ALICE_IP, `41.${zone}`, 'PTR')).toEqual(["host.example.org."]);
    expect(await answers(ALICE_IP, zone, 'CAA')).toEqual(['0 issue "letsencrypt.org"']);
    expect(await answers(ALICE_IP, `long.${zone}`, 'TXT')).toEqual([`"${'x'.repeat(255)}" "${'x'.repeat(45)}"`]);
    const keys = (await records(zone)).filter((row) => ['v6', 'alias', '41'].some((n) => row.name === `${n}.${zone}.`)).map((row) => row.rkey);
    expect(keys).toHaveLength(3);
    await ok(['domain.record.delete', `plid=${zone}`, `elid=${keys.join(', ')}`, 'sok=ok', 'su=alice']);
    for (const [n, t] of [['v6', 'AAAA'], ['alias', 'CNAME'], ['41', 'PTR']]) expect(await status(ALICE_IP, `${n}.${zone}`, t)).toBe('NXDOMAIN');
  });

  it('sorted by any column, whole or a page, the list SQLite sorts is the list sorted in JavaScript (with a filter every row passes)', async () => {
    const zone = 'cli.example';
    await ok(['domain.record.edit', `plid=${zone}`, 'name=n9', 'rtype=TXT', 'value=9', 'sok=ok', 'su=alice']);
    await ok(['domain.record.edit', `plid=${zone}`, 'name=n10', 'rtype=TXT', 'value="10"', 'sok=ok', 'su=alice']);
    const list = async (...args: string[]): Promise<string[]> => {
      const r = await dm.cli(['domain.record', `plid=${zone}`, 'su=alice', ...args]);
      expect(r.exitCode, r.stderr).toBe(0);
      // A page's first line is its place (p_num, p_cnt, p_elems), not a row.
      return parseTextRows(r.stdout).flatMap((row) => (row.rkey === undefined ? [] : [row.rkey]));
    };
    const all = await list();
    expect(all.length).toBeGreaterThan(10);
    for (const sort of ['value', 'info', 'ttl', 'rtype', 'name']) {
      for (const order of ['asc', 'desc']) {
        const bySql = await list(`p_sort=${sort}`, `p_order=${order}`);
        expect(await list(`p_sort=${sort}`, `p_order=${order}`, 'filter=on', `name=${zone}`), `${sort} ${order}`).toEqual(bySql);
        expect([...bySql].sort(), `${sort} ${order}`).toEqual([...all].sort());
        expect(await list(`p_sort=${sort}`, `p_order=${order}`, 'p_num=2', 'p_cnt=4'), `${sort} ${order}`).toEqual(bySql.slice(4, 8));
      }
    }
    // The whole numbers by value, before the text: 9, then 10, then the rest.
    const values = (await list('p_sort=value')).map((k) => k.slice(k.indexOf('  ') + 2));
    expect(values.slice(0, 2)).toEqual(['9', '10']);
  });

  it('changes a record by its key, and 100 edits leave a serial 100 further and a zone the name server\'s own checker accepts', async () => {
    const zone = 'handler.example';
    await ok(['domain.record.edit', `plid=${zone}`, 'name=counter', 'rtype=A', 'value=198.51.100.0', 'ttl=300', 'sok=ok', 'su=alice']);
    const before = await serial(zone);
    let value = '198.51.100.0';
    for (let i = 1; i <= 100; i++) {
      const next = `198.51.100.${i}`;
      await ok(['domain.record.edit', `plid=${zone}`, `elid=counter.${zone}. A  ${value}`, 'name=counter', 'rtype=A', `value=${next}`, 'ttl=300', 'sok=ok', 'su=alice']);
      value = next;
    }
    expect(await answers(ALICE_IP, `counter.${zone}`, 'A')).toEqual(["198.51.100.100"]);
    expect(await serial(zone)).toBe(before + 100);
    expect((await records(zone)).filter((row) => row.name === `counter.${zone}.`).map((row) => row.value)).toEqual(['198.51.100.100']);
    if (NAME_SERVER === 'bind') {
      // named keeps the changes in the zone's journal, which named-checkzone reads with the file.
      const file = join(dm.root, 'var', 'named', 'slave', '_dnsmgr', `${zone}.db`);
      expect(existsSync(`${file}.jnl`)).toBe(true);
      const check = await nsExec(net.slave, 'named-checkzone', ['-j', '-k', 'fail', zone, file], { reject: false });
      expect(check.exitCode, String(check.stdout)).toBe(0);
      expect(String(check.stdout)).toContain(`serial ${before + 100}`);
    } else {
      // PowerDNS keeps them in its database: pdnsutil checks the zone there and lists what it holds.
      const check = await pdnsutilOn(dm, zone, ['check-zone', zone]);
      expect(check?.exitCode, `${check?.stdout}${check?.stderr}`).toBe(0);
      // Its lines: owner (with or without its dot), TTL, class, type, data.
      const listed = (await pdnsutilOn(dm, zone, ['list-zone', zone]))?.stdout.split('\n').map((l) => l.split(/\s+/).join(' ').replace(/^(\S+?)\.? /, '$1 ')) ?? [];
      expect(listed.find((l) => l.includes(' SOA '))?.split(' ')[6]).toBe(String(before + 100));
      expect(listed.filter((l) => l.startsWith(`counter.${zone} `))).toEqual([`counter.${zone} 300 IN A 198.51.100.100`]);
    }
    // 101 CLI processes, ~0.15 s each alone (either name server), twice that beside another suite on a small machine.
  }, 180_000);

  it('records sent at once to one name, as two certificate tools would, all land, each its own change', async () => {
    const zone = 'billing.example';
    const before = await serial(zone);
    const tokens = Array.from({ length: 8 }, (_, i) => `parallel-token-${i}`);
    await Promise.all(tokens.map((t) => ok(['domain.record.edit', `plid=${zone}`, 'name=_acme-challenge.www', 'rtype=TXT', 'ttl=60', `value=${t}`, 'sok=ok', 'su=alice'])));
    expect(await answers(ALICE_IP, `_acme-challenge.www.${zone}`, 'TXT')).toEqual(tokens.map((t) => `"${t}"`).sort());
    expect(await serial(zone)).toBe(before + tokens.length);
    const keys = tokens.map((t) => `_acme-challenge.www.${zone}. TXT  ${t}`);
    await Promise.all(keys.map((k) => ok(['domain.record.delete', `plid=${zone}`, `elid=${k}`, 'sok=ok', 'su=alice'])));
    expect(await status(ALICE_IP, `_acme-challenge.www.${zone}`, 'TXT')).toBe('NXDOMAIN');
    expect((await records(zone)).filter((row) => row.name === `_acme-challenge.www.${zone}.`)).toEqual([]);
  });

  it.each([
    ['a CNAME beside other data', ['name=www', 'rtype=CNAME', 'value=elsewhere.example.net.'], 'name'],
    ['an MX pointing at an address', ['name=@', 'rtype=MX', 'priority=10', `value=${ALICE_IP}`], 'value'],
    ['a TXT with a control character', ['name=t', 'rtype=TXT', 'value=a\u0007b'], 'value'],
    ['a TTL out of range', ['name=t', 'rtype=A', `value=${ALICE_IP}`, 'ttl=604801'], 'ttl'],
    ['a name outside the zone', ['name=www.example.org.', 'rtype=A', `value=${ALICE_IP}`], 'name'],
    ['a CNAME at the apex', ['name=@', 'rtype=CNAME', 'value=elsewhere.example.net.'], 'name'],
    ['an unknown type', ['name=t', 'rtype=HINFO', 'value=x'], 'rtype'],
  ])('%s is refused at every door, naming the field, and changes nothing', async (_, fields, param) => {
    const zone = 'cli.example';
    const before = { list: await records(zone), serial: await serial(zone) };
    const cli = await dm.cli(['domain.record.edit', `plid=${zone}`, ...fields, 'sok=ok', 'su=alice'], { out: 'xml' });
    expect(cli.exitCode).not.toBe(0);
    expect(cli.stdout).toContain(`<error type="value" object="${param}"`);
    const params = Object.fromEntries(fields.map((f) => [f.slice(0, f.indexOf('=')), f.slice(f.indexOf('=') + 1)]));
    const http = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.record.edit', plid: zone, ...params, sok: 'ok', out: 'xml' });
    expect(http.body).toContain(`<error type="value" object="${param}"`);
    const handler = await dm.handler({ func: 'domain.record.edit', plid: zone, ...params, sok: 'ok' }, { user: 'alice', level: 16 });
    expect(handler.stdout).toContain(`<error type="value" object="${param}"`);
    expect(await records(zone)).toEqual(before.list);
    expect(await serial(zone)).toBe(before.serial);
  });
});

describe('a zone\'s name servers', () => {
  it('one NS replaced by another leaves the new one only, in the database and the name server; the last one is never deleted', async () => {
    const zone = 'one-ns.example';
    await ok(['domain.edit', 'dtype=master', `name=${zone}`, 'ns=ns1.ext.example.net', 'sok=ok', 'su=alice']);
    await waitFor(async () => (await status(ALICE_IP, zone)) === 'NOERROR', { timeoutMs: 5000, what: `${zone} answered` });
    await ok(['domain.record.edit', `plid=${zone}`, `elid=${zone}. NS  ns1.ext.example.net.`, 'name=@', 'rtype=NS', 'value=ns2.ext.example.net.', 'sok=ok', 'su=alice']);
    expect(await answers(ALICE_IP, zone, 'NS')).toEqual(['ns2.ext.example.net.']);
    expect((await records(zone)).filter((r) => r.rtype === 'NS').map((r) => r.value)).toEqual(['ns2.ext.example.net.']);
    const last = await dm.cli(['domain.record.delete', `plid=${zone}`, `elid=${zone}. NS  ns2.ext.example.net.`, 'sok=ok', 'su=alice'], { out: 'xml' });
    expect(last.stdout).toContain('<error type="value" object="elid"');
    expect(last.stdout).toContain('at least one name server');
    expect(await answers(ALICE_IP, zone, 'NS')).toEqual(['ns2.ext.example.net.']);
    expect((await records(zone)).filter((r) => r.rtype === 'NS')).toHaveLength(1);
  });

  it('what a zone is made with is not changed through domain.edit: said so, nothing changed; the form posted back as shown is no change', async () => {
    const zone = 'one-ns.example';
    const before = await records(zone);
    for (const [field, value] of [['email', 'other@example.org'], ['ns', 'ns9.example.org'], ['ip', BOB_IP]]) {
      const r = await dm.cli(['domain.edit', `elid=${zone}`, 'dtype=master', `${field}=${value}`, 'sok=ok', 'su=alice'], { out: 'xml' });
      expect(r.stdout, field).toContain(`<error type="value" object="${field}"`);
    }
    const shown = await form(['domain.edit', `elid=${zone}`, 'su=alice']);
    await ok(['domain.edit', `elid=${zone}`, 'dtype=master', `email=${shown.email ?? ''}`, `dnssec=${shown.dnssec ?? ''}`, 'sok=ok', 'su=alice']);
    expect(await records(zone)).toEqual(before);
  });
});

describe('a name server that does not take the change', () => {
  it('leaves the records as they were: an edit and a delete while the name server is down answer a tool error and change nothing', async () => {
    const zone = 'cli.example';
    const before = await records(zone);
    const www = before.find((row) => row.name === `www.${zone}.`)?.rkey ?? '';
    expect(www).not.toBe('');
    await dm.stopNameServer();
    try {
      for (const args of [
        ['domain.record.edit', `plid=${zone}`, 'name=down', 'rtype=A', `value=${ALICE_IP}`, 'sok=ok', 'su=alice'],
        ['domain.record.edit', `plid=${zone}`, `elid=${www}`, 'name=www', 'rtype=A', 'value=198.51.100.77', 'sok=ok', 'su=alice'],
        ['domain.record.delete', `plid=${zone}`, `elid=${www}`, 'sok=ok', 'su=alice'],
      ]) {
        const r = await dm.cli(args, { out: 'xml' });
        expect(r.stdout, args[0]).toContain('<error type="tool"');
      }
      expect(await records(zone)).toEqual(before);
    } finally {
      await dm.startNameServer();
    }
    await waitFor(async () => (await status(ALICE_IP, zone)) === 'NOERROR', { timeoutMs: 10_000, what: `${zone} answered again` });
    expect(await answers(ALICE_IP, `www.${zone}`, 'A')).toEqual([ALICE_IP]);
    expect(await status(ALICE_IP, `down.${zone}`, 'A')).toBe('NXDOMAIN');
  });
});

describe('secondaries and signing', () => {
  const axfr = async (zone: string): Promise<{ status: string; names: string[] }> => {
    const r = await dig(net.master, ALICE_IP, zone, 'AXFR', ['+time=3']);
    return { status: r.status, names: [...new Set(r.records.map((x) => `${x.name} ${x.type}`))] };
  };
  // What the master side's named logged of NOTIFY messages for the zone (it is no master of it: it says so, and counts).
  const notifies = (zone: string): number => readFileSync(world.master.logFile, 'utf8').split(`received notify for zone '${zone}'`).length - 1;

  it('a master zone is transferred only to its namespace\'s transfer list, which is told of each change (NOTIFY)', async () => {
    const zone = 'cli.example';
    await ok(['namespace.edit', 'elid=alice', 'allow_transfer=203.0.113.53', 'sok=ok']);
    expect((await axfr(zone)).status).not.toBe('NOERROR');
    await ok(['namespace.edit', 'elid=alice', `allow_transfer=${net.masterIp}`, 'sok=ok']);
    // Its records stayed through the changes of its settings: the name server's own data, not made again.
    expect(await answers(ALICE_IP, zone, 'CAA')).toEqual(['0 issue "letsencrypt.org"']);
    const whole = await axfr(zone);
    expect(whole.status).toBe('NOERROR');
    expect(whole.names).toEqual(expect.arrayContaining([`${zone}. SOA`, `${zone}. NS`, `www.${zone}. A`, `${zone}. MX`]));
    // The change of the zone's settings may have sent a NOTIFY of its own: counted once none has come for a second.
    let told = notifies(zone);
    for (let quiet = Date.now(); Date.now() - quiet < 1000; await sleep(100)) {
      if (notifies(zone) !== told) [told, quiet] = [notifies(zone), Date.now()];
    }
    await ok(['domain.record.edit', `plid=${zone}`, 'name=notified', 'rtype=A', `value=${ALICE_IP}`, 'sok=ok', 'su=alice']);
    await waitFor(async () => notifies(zone) > told, { timeoutMs: 5000, what: 'a NOTIFY of the change at the transfer address' });
    expect((await axfr(zone)).names).toContain(`notified.${zone}. A`);
    if (NAME_SERVER === 'powerdns') {
      // Only to that list (only-notify empty, as BIND's notify explicit): none to the zone's NS names' addresses.
      expect(dm.nameServerLog()).toContain(`Queued also-notification of domain '${zone}' to ${net.masterIp}:53`);
      expect(dm.nameServerLog()).not.toMatch(/Queued notification of domain|nameservers do not resolve/);
    }
  });

  it('a signed zone (dnssec=on) answers with signatures, a record added later signed as well', async () => {
    const zone = 'signed-too.example';
    await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, 'dnssec=on', 'sok=ok', 'su=alice']);
    const signed = async (name: string, type: string): Promise<boolean> => (await dig(net.master, ALICE_IP, name, type, ['+dnssec'])).records.some((r) => r.type === 'RRSIG');
    await waitFor(() => signed(zone, 'SOA'), { timeoutMs: 15_000, what: `${zone}'s SOA signed` });
    expect((await answers(ALICE_IP, zone, 'DNSKEY')).length).toBeGreaterThan(0);
    await ok(['domain.record.edit', `plid=${zone}`, 'name=later', 'rtype=TXT', 'value=added after signing', 'sok=ok', 'su=alice']);
    await waitFor(() => signed(`later.${zone}`, 'TXT'), { timeoutMs: 15_000, what: 'the new TXT signed' });
  });

  it('a zone signed later (dnssec=on given to a zone made unsigned) answers with signatures, its records as they were', async () => {
    const zone = 'billing.example';
    const before = await answers(ALICE_IP, `www.${zone}`, 'A');
    await ok(['domain.edit', 'dtype=master', `elid=${zone}`, 'dnssec=on', 'sok=ok', 'su=alice']);
    await waitFor(async () => (await dig(net.master, ALICE_IP, zone, 'SOA', ['+dnssec'])).records.some((r) => r.type === 'RRSIG'), { timeoutMs: 15_000, what: `${zone}'s SOA signed` });
    expect((await answers(ALICE_IP, zone, 'DNSKEY')).length).toBeGreaterThan(0);
    expect(await answers(ALICE_IP, `www.${zone}`, 'A')).toEqual(before);
  });
});

describe('deleting a master zone', () => {
  it('takes it out of the name server with its records (and, under BIND, its file and journal)', async () => {
    const zone = 'handler.example';
    await ok(['domain.delete', `elid=${zone}`, 'su=alice']);
    expect(await status(ALICE_IP, zone)).toBe('REFUSED');
    if (NAME_SERVER === 'bind') expect(existsSync(join(dm.root, 'var', 'named', 'slave', '_dnsmgr', `${zone}.db`))).toBe(false);
    else expect(await pdnsutilOn(dm, zone, ['list-zone', zone])).toBeUndefined();
    const again = await dm.cli(['domain.record', `plid=${zone}`, 'su=alice']);
    expect(again.exitCode).not.toBe(0);
  });
});
