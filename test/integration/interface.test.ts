// Issue 8: NetworkInterface is never guessed. init records the one it chose and says so; settings refuses an interface
// the machine lacks and moves the bound pool addresses when it changes (nothing lost when a step fails); bindip reports
// what it bound and where. Real ip in the test's own namespace, with two more links in it: dnsmgr-d1 and dnsmgr-d2.
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNSMGR, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { dig, waitFor } from '../helpers/named';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const D1 = 'dnsmgr-d1';
const D2 = 'dnsmgr-d2';
const ALICE_IP = '192.0.2.71';
const SPARE_IP = '192.0.2.72';
const ZONE = 'moved.example';
const SERIAL = 2026120101;
const FAKE_IP = resolve('test/fakes/ip-fail-add');

let world: World;
let net: TestNet;
let dm: Instance;
let conf: string;

/** The global addresses of one interface in the slave namespace, sorted. */
async function addressesOn(dev: string): Promise<string[]> {
  const out = (await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'dev', dev, 'scope', 'global'])).stdout;
  return out.split('\n').filter(Boolean).map((l) => (l.split(/\s+/)[3] ?? '').replace(/\/\d+$/, '')).sort();
}

async function servedSerial(server: string): Promise<number> {
  return waitFor(async () => {
    const a = await dig(net.master, server, ZONE, 'SOA');
    return a.status === 'NOERROR' && a.aa && a.serial !== undefined ? a.serial : undefined;
  }, { timeoutMs: 10_000, what: `${ZONE} served on ${server}` });
}

beforeAll(async () => {
  world = await startWorld('iface', [{ name: ZONE, serial: SERIAL }], `NetworkInterface ${D1}\n`);
  ({ net, dm } = world);
  // A veth pair with both ends in the namespace: two links of their own (this kernel may lack the dummy driver).
  await nsExec(net.slave, 'ip', ['link', 'add', D2, 'type', 'veth', 'peer', 'name', D1]);
  for (const d of [D1, D2]) await nsExec(net.slave, 'ip', ['link', 'set', d, 'up']);
  conf = join(dm.root, 'etc', 'dnsmgr.conf');
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  const spare = await dm.cli(['ipaddr.edit', `name=${SPARE_IP}`, 'sok=ok']);
  expect(spare.stdout, spare.stderr).toBe('OK\n');
  const added = await dm.cli(['domain.edit', 'su=alice', `name=${ZONE}`, `masterip=${net.masterIp}`, 'sok=ok']);
  expect(added.stdout, added.stderr).toBe('OK\n');
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('init records the interface it chose', () => {
  const freshInit = async (): Promise<{ out: string; conf: string }> => {
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-iface-init-'));
    const r = await nsExec(net.slave, process.execPath, [DNSMGR, '--root', root, 'init'], { env: { DNSMGR_ROOT_PASSWORD: 'pw' } });
    return { out: r.stdout, conf: readFileSync(join(root, 'etc', 'dnsmgr.conf'), 'utf8') };
  };

  it('with no default route and several interfaces it records none and says how to set one', async () => {
    const { out, conf: text } = await freshInit();
    expect(out).toContain(`NetworkInterface not recorded: no default route, and several interfaces (veth-s, ${D1}, ${D2})`);
    expect(out).toContain('dnsmgr settings NetworkInterface=<name> sok=ok');
    expect(text.split('\n').filter((l) => l.startsWith('NetworkInterface'))).toEqual([]);
  });

  it('with a default route it records that route\'s interface, under the commented example, and says so', async () => {
    await nsExec(net.slave, 'ip', ['route', 'add', 'default', 'via', net.masterIp]);
    try {
      const { out, conf: text } = await freshInit();
      expect(out).toMatch(/^recorded NetworkInterface veth-s \(the interface of the default route\) in \/.*\/etc\/dnsmgr.conf/m);
      expect(text).toContain('// NetworkInterface eth0\nNetworkInterface veth-s\n');
      expect(text.split('\n').filter((l) => l.startsWith('NetworkInterface'))).toEqual(['NetworkInterface veth-s']);
    } finally {
      await nsExec(net.slave, 'ip', ['route', 'del', 'default']);
    }
  });
});

describe('bindip reports what it bound and where', () => {
  it('answers OK, then a row per pool address in use: bound now, or present and on which interface', async () => {
    expect(await addressesOn(D1)).toEqual([ALICE_IP, SPARE_IP]);
    await nsExec(net.slave, 'ip', ['addr', 'del', `${SPARE_IP}/32`, 'dev', D1]);
    const r = await dm.cli(['bindip']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(`OK\naddr=${ALICE_IP} interface=${D1} result=present\naddr=${SPARE_IP} interface=${D1} result=bound\n`);
    expect(await addressesOn(D1)).toEqual([ALICE_IP, SPARE_IP]);
  });

  it('keeps the ok clients look for in xml and json, with the rows beside it', async () => {
    const xml = (await dm.cli(['bindip'], { out: 'xml' })).stdout;
    expect(xml).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/>'
      + `<elem><addr>${ALICE_IP}</addr><interface>${D1}</interface><result>present</result></elem>`
      + `<elem><addr>${SPARE_IP}</addr><interface>${D1}</interface><result>present</result></elem></doc>\n`);
    const json = JSON.parse((await dm.cli(['bindip'], { out: 'json' })).stdout) as { doc: { ok: unknown; elem: { addr: { $: string } }[] } };
    expect(json.doc.ok).toEqual({});
    expect(json.doc.elem.map((e) => e.addr.$)).toEqual([ALICE_IP, SPARE_IP]);
  });
});

describe('settings: NetworkInterface', () => {
  it('refuses an interface this machine does not have, naming those it has, and changes nothing', async () => {
    const before = readFileSync(conf, 'utf8');
    const r = await dm.cli(['settings', 'NetworkInterface=dnsmgr-nope', 'sok=ok']);
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toBe(`ERROR value(NetworkInterface, 'dnsmgr-nope'): Invalid value 'dnsmgr-nope' of parameter 'NetworkInterface': this server has no such interface; it has: veth-s, ${D1}, ${D2}\n`);
    expect(readFileSync(conf, 'utf8')).toBe(before);
    expect(await addressesOn(D1)).toEqual([ALICE_IP, SPARE_IP]);
  });

  it('refuses to unset it: dnsmgr would have to guess', async () => {
    const before = readFileSync(conf, 'utf8');
    const r = await dm.cli(['settings', 'NetworkInterface=', 'sok=ok']);
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toContain(`dnsmgr does not guess where to bind addresses: name one of this server's interfaces (veth-s, ${D1}, ${D2})`);
    expect(readFileSync(conf, 'utf8')).toBe(before);
  });

  it('when adding to the new interface fails halfway, takes back what it added and keeps the old setting', async () => {
    const before = readFileSync(conf, 'utf8');
    writeFileSync(conf, `${before}path ip ${FAKE_IP}\n`);
    try {
      const r = await dm.cli(['settings', `NetworkInterface=${D2}`, 'sok=ok']);
      expect(r.exitCode).toBe(8);
      expect(r.stdout).toContain('injected failure');
      expect(readFileSync(conf, 'utf8')).toBe(`${before}path ip ${FAKE_IP}\n`);
      expect(await addressesOn(D1)).toEqual([ALICE_IP, SPARE_IP]);
      expect(await addressesOn(D2)).toEqual([]);
    } finally {
      writeFileSync(conf, before);
    }
  });

  it('moves every bound pool address to the new interface, reports them, and the zones keep answering', async () => {
    const r = await dm.cli(['settings', `NetworkInterface=${D2}`, 'sok=ok']);
    expect(r.exitCode, r.stdout).toBe(0);
    expect(r.stdout).toBe(`OK\naddr=${ALICE_IP} interface=${D2} result=moved from=${D1}\naddr=${SPARE_IP} interface=${D2} result=moved from=${D1}\n`);
    expect(readFileSync(conf, 'utf8')).toBe(`NetworkInterface ${D2}\n`);
    expect(await addressesOn(D1)).toEqual([]);
    expect(await addressesOn(D2)).toEqual([ALICE_IP, SPARE_IP]);
    expect(await servedSerial(ALICE_IP)).toBe(SERIAL);
    expect((await dm.cli(['bindip'])).stdout).toBe(`OK\naddr=${ALICE_IP} interface=${D2} result=present\naddr=${SPARE_IP} interface=${D2} result=present\n`);
  });

  it('a form that sends the same interface again changes nothing', async () => {
    const r = await dm.cli(['settings', `NetworkInterface=${D2}`, 'LogLevel=3', 'sok=ok']);
    expect(r.stdout).toBe('OK\n');
    expect(readFileSync(conf, 'utf8')).toBe(`NetworkInterface ${D2}\nLogLevel 3\n`);
    expect(await addressesOn(D2)).toEqual([ALICE_IP, SPARE_IP]);
  });
});

describe('no interface, no guess', () => {
  it('an address for the pool is refused while NetworkInterface is unset, naming the interfaces there are', async () => {
    const before = readFileSync(conf, 'utf8');
    writeFileSync(conf, 'LogLevel 3\n');
    try {
      const r = await dm.cli(['ipaddr.edit', 'name=192.0.2.79', 'sok=ok']);
      expect(r.exitCode).toBe(4);
      expect(r.stdout).toContain(`not set in dnsmgr.conf, and dnsmgr does not guess where to bind addresses: set it with the settings function to one of veth-s, ${D1}, ${D2}`);
      expect(parseTextRows((await dm.cli(['ipaddr'])).stdout).map((row) => row.name)).not.toContain('192.0.2.79');
      expect(await addressesOn('veth-s')).not.toContain('192.0.2.79');
    } finally {
      writeFileSync(conf, before);
    }
  });
});
