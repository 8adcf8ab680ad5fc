// Issue 2 end to end: a slave zone requested through each front door is served by a real named in its owner's view.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { NAME_SERVER, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const ALICE = { ip: '192.0.2.10', ip6: '2001:db8:10::10' };
const BOB = { ip: '192.0.2.20' };
const CAROL = { ip: '192.0.2.30' };
const BULK = Array.from({ length: 50 }, (_, i) => `bulk-${String(i).padStart(2, '0')}.example`);
const SERIALS: Record<string, number> = { 'example.com': 2026112501, 'example.net': 2026112502, 'example.org': 2026112503, 'v6.example': 7 };

let net: TestNet;
let dm: Instance;
let world: World;

/** Queries come from the master side, as a resolver elsewhere on the network would ask. */
async function soaFrom(server: string, zone: string) {
  return dig(net.master, server, zone, 'SOA');
}

async function servedSerial(server: string, zone: string, timeoutMs = 10_000): Promise<number> {
  return waitFor(async () => {
    const a = await soaFrom(server, zone);
    return a.status === 'NOERROR' && a.aa && a.serial !== undefined ? a.serial : undefined;
  }, { timeoutMs, what: `${zone} served on ${server}` });
}

async function refusedOn(server: string, zone: string): Promise<boolean> {
  const a = await soaFrom(server, zone);
  return a.status === 'REFUSED';
}

function zoneRows(stdout: string) {
  return parseTextRows(stdout).sort((a, b) => (a.name ?? '').localeCompare(b.name ?? ''));
}

beforeAll(async () => {
  world = await startWorld('found', [
    ...Object.entries(SERIALS).map(([name, serial]) => ({ name, serial })),
    ...BULK.map((name, i) => ({ name, serial: 1000 + i })),
  ]);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE.ip, ALICE.ip6);
  await dm.addUser('bob', 'bob-pw', BOB.ip);
  await dm.addUser('carol', 'carol-pw', CAROL.ip);
  const bound = await dm.cli(['bindip']);
  expect(bound.stdout.split('\n')[0], bound.stderr).toBe('OK');
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('bindip', () => {
  it('binds every namespace address to the interface, and a second run changes nothing', async () => {
    // The addresses alone: flags such as a link-local address's "tentative" change on their own.
    const show = async () => (await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'dev', net.slaveIface, 'scope', 'global'])).stdout
      .split('\n').map((l) => ` ${l.split(/\s+/)[3] ?? ''}`).sort().join('\n');
    const before = await show();
    for (const ip of [ALICE.ip, ALICE.ip6, BOB.ip, CAROL.ip]) expect(before).toContain(` ${ip}/`);
    const again = (await dm.cli(['bindip'])).stdout.split('\n').filter(Boolean);
    expect(again[0]).toBe('OK');
    expect(parseTextRows(again.slice(1).join('\n')).map((r) => r.result)).toEqual(['present', 'present', 'present', 'present']);
    expect(await show()).toBe(before);
  });
});

describe('mgrctl-style command line', () => {
  it('adds a zone to its owner\'s view only: served on her addresses, refused on the others', async () => {
    const r = await dm.cli(['domain.edit', 'name=example.com', `masterip=${net.masterIp}`, 'dtype=slave', 'sok=ok', 'su=alice']);
    expect(r.stdout.trim(), r.stderr).toBe('OK');
    expect(r.exitCode).toBe(0);
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(SERIALS['example.com']);
    expect(await servedSerial(ALICE.ip6, 'example.com')).toBe(SERIALS['example.com']);
    expect(await refusedOn(BOB.ip, 'example.com')).toBe(true);
    expect(await refusedOn(CAROL.ip, 'example.com')).toBe(true);
    const txt = await dig(net.master, ALICE.ip, 'example.com', 'TXT');
    expect(txt.answers).toContain('"master-of-example.com"');
  });

  it('lists zones with owner, type, masters and status; a user sees only her own', async () => {
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    const all = zoneRows((await dm.cli(['domain'])).stdout);
    expect(all.find((z) => z.name === 'example.com')).toEqual({
      name: 'example.com', owner: 'alice', dtype: 'slave', masterip: net.masterIp, status: 'ok', reason: '',
      serial: String(SERIALS['example.com']), updated: expect.stringMatching(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/),
    });
    expect(zoneRows((await dm.cli(['domain', 'su=bob'])).stdout).map((z) => z.name)).not.toContain('example.com');
    const xml = (await dm.cli(['domain', 'su=alice'], { out: 'xml' })).stdout;
    expect(xml).toContain('<elem><name>example.com</name><owner>alice</owner><dtype>slave</dtype>');
  });

  it('returns the form values without sok, and edits masters with elid', async () => {
    const form = await dm.cli(['domain.edit', 'elid=example.com', 'su=alice']);
    expect(form.stdout).toContain('name=example.com\n');
    expect(form.stdout).toContain(`masterip=${net.masterIp}\n`);
    const edit = await dm.cli(['domain.edit', 'elid=example.com', `masterip=${net.masterIp6}, ${net.masterIp}`, 'sok=ok', 'su=alice']);
    expect(edit.stdout.trim(), edit.stderr).toBe('OK');
    expect(await dm.heldMasters('example.com')).toEqual([net.masterIp6, net.masterIp]);
    if (NAME_SERVER === 'bind') {
      // One view for every namespace: the zone answers on alice's address only, and nobody may transfer it.
      const shown = await dm.rndc(['showzone', 'example.com', 'IN', '_dnsmgr']);
      expect(shown.stdout).toContain(`allow-query-on { ${ALICE.ip}/32;`);
    }
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(SERIALS['example.com']);
  });

  it('repeating an edit changes nothing', async () => {
    const before = { list: (await dm.cli(['domain'])).stdout, nameServer: await dm.snapshot() };
    for (let i = 0; i < 2; i++) {
      const r = await dm.cli(['domain.edit', 'elid=example.com', `masterip=${net.masterIp6} ${net.masterIp}`, 'sok=ok', 'su=alice']);
      expect(r.stdout.trim()).toBe('OK');
      const again = await dm.cli(['domain.edit', 'name=example.com', `masterip=${net.masterIp6},${net.masterIp}`, 'sok=ok', 'su=alice']);
      expect(again.stdout.trim(), 'creating the very same zone again is a no-op').toBe('OK');
    }
    const after = { list: (await dm.cli(['domain'])).stdout, nameServer: await dm.snapshot() };
    expect(after).toEqual(before);
  });

  it('refuses a zone another account already has', async () => {
    const r = await dm.cli(['domain.edit', 'name=example.com', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    expect(r.exitCode).toBe(2);
    expect(r.stdout).toMatch(/^ERROR exists\(domain, 'example.com'\)/);
    expect(await refusedOn(BOB.ip, 'example.com')).toBe(true);
  });
});

describe('COREmanager handler', () => {
  it('adds a zone as the panel calls it, answering XML on stdout', async () => {
    const r = await dm.handler({ func: 'domain.edit', name: 'example.net', dtype: 'slave', masterip: net.masterIp, sok: 'ok' }, { user: 'bob', level: 16 });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/></doc>\n');
    expect(await servedSerial(BOB.ip, 'example.net')).toBe(SERIALS['example.net']);
    expect(await refusedOn(ALICE.ip, 'example.net')).toBe(true);
  });

  it('shows a user only her zones and lets her delete only her own', async () => {
    const list = await dm.handler({ func: 'domain' }, { user: 'bob', level: 16 });
    expect(list.stdout).toContain('<name>example.net</name>');
    expect(list.stdout).not.toContain('example.com');
    const del = await dm.handler({ func: 'domain.delete', elid: 'example.com' }, { user: 'bob', level: 16 });
    expect(del.stdout).toContain('<ok/>');
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(SERIALS['example.com']);
  });

  it('rejects a caller the panel did not identify', async () => {
    const r = await dm.handler({ func: 'domain' }, { user: 'mallory', level: 16 });
    expect(r.stdout).toContain('<error type="access"');
  });
});

describe('HTTP API', () => {
  beforeAll(async () => {
    await dm.startServe();
  });

  it('logs in with func=auth and adds a zone with the session key (out=json)', async () => {
    const auth = await dm.http({ func: 'auth', username: 'carol', password: 'carol-pw', out: 'json' }, 'POST');
    const key = JSON.parse(auth.body).doc.auth.$ as string;
    expect(key).toMatch(/^[0-9a-f]{48}$/);
    const r = await dm.http({ func: 'domain.edit', name: 'example.org', dtype: 'slave', masterip: net.masterIp, sok: 'ok', auth: key, out: 'json' });
    expect(JSON.parse(r.body)).toEqual({ doc: { ok: {}, messages: {} } });
    expect(await servedSerial(CAROL.ip, 'example.org')).toBe(SERIALS['example.org']);
    expect(await refusedOn(ALICE.ip, 'example.org')).toBe(true);
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    const list = JSON.parse((await dm.http({ func: 'domain', auth: key, out: 'json' })).body);
    expect(list.doc.elem).toEqual([{
      name: { $: 'example.org' }, owner: { $: 'carol' }, dtype: { $: 'slave' }, masterip: { $: net.masterIp }, status: { $: 'ok' },
      reason: { $: '' }, serial: { $: String(SERIALS['example.org']) }, updated: { $: expect.stringMatching(/^\d{4}-/) },
    }]);
  });

  it('accepts authinfo=user:pass on every call and answers text and xml', async () => {
    const text = await dm.http({ func: 'domain', authinfo: 'carol:carol-pw', out: 'text' });
    expect(text.body).toMatch(new RegExp(`^name=example\\.org owner=carol dtype=slave masterip=${net.masterIp} status=ok reason= serial=${SERIALS['example.org']} updated=\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\n$`));
    const xml = await dm.http({ func: 'domain', authinfo: 'carol:carol-pw' });
    expect(xml.body).toContain('<doc><elem><name>example.org</name>');
  });

  it('refuses a wrong password with an auth error', async () => {
    const r = await dm.http({ func: 'domain', authinfo: 'carol:wrong', out: 'json' });
    expect(JSON.parse(r.body).doc.error.$type).toBe('auth');
  });

  it('adds a zone with an IPv6 master for the admin on behalf of a user', async () => {
    const r = await dm.http({ func: 'domain.edit', name: 'v6.example', masterip: net.masterIp6, owner: 'carol', sok: 'ok', authinfo: 'root:root-secret' });
    expect(r.body).toContain('<ok/>');
    expect(await servedSerial(CAROL.ip, 'v6.example')).toBe(SERIALS['v6.example']);
  });
});

describe('delete', () => {
  it('removes the zone from the name server and from disk; an unknown name is not an error', async () => {
    const file = join(dm.root, 'var', 'named', 'slave', '_dnsmgr', 'example.org.db');
    if (NAME_SERVER === 'bind') await waitFor(async () => existsSync(file), { timeoutMs: 10_000, what: 'zone file written by named' });
    expect(await dm.holds('example.org')).toBe(true);
    const r = await dm.cli(['domain.delete', 'elid=example.org, no-such-zone.example', 'su=carol']);
    expect(r.stdout, r.stderr).toBe('OK\ndeleted=example.org\n');
    expect(await refusedOn(CAROL.ip, 'example.org')).toBe(true);
    expect(existsSync(file)).toBe(false);
    expect(await dm.holds('example.org')).toBe(false);
    expect(zoneRows((await dm.cli(['domain'])).stdout).map((z) => z.name)).not.toContain('example.org');
  });
});

describe('many processes at once', () => {
  it('50 concurrent domain.edit processes leave exactly 50 zones served and a configuration the name server accepts', async () => {
    const results = await Promise.all(BULK.map((name) => dm.cli(['domain.edit', `name=${name}`, `masterip=${net.masterIp}`, 'sok=ok', 'su=alice'])));
    for (const r of results) expect(r.stdout.trim(), r.stderr).toBe('OK');
    const rows = zoneRows((await dm.cli(['domain', 'su=alice'])).stdout).filter((z) => z.name?.startsWith('bulk-'));
    expect(rows.map((z) => z.name)).toEqual(BULK);
    expect(rows.filter((z) => ['adding', 'updating', 'deleting'].includes(z.status ?? ''))).toEqual([]);
    for (const [i, name] of BULK.entries()) expect(await servedSerial(ALICE.ip, name)).toBe(1000 + i);
    for (const name of BULK) expect(await dm.holds(name), name).toBe(true);
    if (NAME_SERVER === 'bind') {
      const nzd = (await nsExec(net.slave, 'named-nzd2nzf', [join(dm.root, 'var', 'named', 'nzd', '_dnsmgr.nzd')])).stdout;
      expect(nzd.split('\n').filter((l) => l.includes('"bulk-')).length).toBe(50);
      const check = await nsExec(net.slave, 'named-checkconf', [join(dm.root, 'etc', 'named', 'named.conf')], { reject: false });
      expect(check.exitCode, check.stderr + check.stdout).toBe(0);
    }
  });
});

describe('name server restart', () => {
  it('serves every zone again after the name server restarts', async () => {
    await dm.stopNameServer();
    expect((await soaFrom(ALICE.ip, 'example.com')).status).toBe('TIMEOUT');
    await dm.startNameServer();
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(SERIALS['example.com']);
    expect(await servedSerial(BOB.ip, 'example.net')).toBe(SERIALS['example.net']);
    expect(await servedSerial(CAROL.ip, 'v6.example')).toBe(SERIALS['v6.example']);
    for (const [i, name] of BULK.entries()) expect(await servedSerial(ALICE.ip, name)).toBe(1000 + i);
    expect(await refusedOn(BOB.ip, 'example.com')).toBe(true);
  });
});

describe('user.delete', () => {
  it('removes the user\'s zones and namespace, and returns nothing for the view any more', async () => {
    const r = await dm.cli(['user.delete', 'elid=carol']);
    expect(r.stdout.trim(), r.stderr).toBe('OK');
    expect((await soaFrom(CAROL.ip, 'v6.example')).status).not.toBe('NOERROR');
    expect(await dm.holds('v6.example')).toBe(false);
    if (NAME_SERVER === 'bind') {
      expect(readFileSync(join(dm.root, 'etc', 'named', 'dnsmgr-views.conf'), 'utf8')).not.toContain('view "carol"');
      expect(readdirSync(join(dm.root, 'var', 'named', 'nzd'))).not.toContain('carol.nzd');
    } else {
      expect(await dm.snapshot()).not.toContain(`local-address=${CAROL.ip}`);
    }
    expect(zoneRows((await dm.cli(['domain'])).stdout).map((z) => z.owner)).not.toContain('carol');
  });
});

describe('bindip at boot', () => {
  it('restores every pool address in use after they were gone, binds no hidden one, and the zones answer again', async () => {
    const global = async () => (await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'dev', net.slaveIface, 'scope', 'global'])).stdout;
    expect((await dm.cli(['ipaddr.edit', 'name=192.0.2.99', 'status=hidden', 'sok=ok'])).stdout).toBe('OK\n');
    // As after a reboot: the namespace addresses are gone from the interface; the server's own address stays.
    for (const [ip, len] of [[ALICE.ip, 32], [ALICE.ip6, 128], [BOB.ip, 32]] as const) {
      await nsExec(net.slave, 'ip', ['addr', 'del', `${ip}/${len}`, 'dev', net.slaveIface]);
    }
    expect((await soaFrom(ALICE.ip, 'example.com')).status).toBe('TIMEOUT');
    const bound = await dm.cli(['bindip']);
    expect(bound.stdout.split('\n')[0]).toBe('OK');
    expect(parseTextRows(bound.stdout).filter((r) => r.result === 'bound').map((r) => r.addr).sort()).toEqual([ALICE.ip, BOB.ip, ALICE.ip6].sort());
    const after = await global();
    for (const ip of [ALICE.ip, ALICE.ip6, BOB.ip, net.slaveIp]) expect(after).toContain(` ${ip}/`);
    expect(after).not.toContain('192.0.2.99');
    expect(await servedSerial(ALICE.ip, 'example.com')).toBe(SERIALS['example.com']);
    expect(await servedSerial(BOB.ip, 'example.net')).toBe(SERIALS['example.net']);
  });
});
