// Issue 4: a domain created on the hosting panel (ISPmanager) gets its slave copy through the after-event hook,
// driven exactly as the panel runs it (environment, document on stdin), against a real dnsmgr serve and named.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { DNSMGR, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const PANEL_IP = '192.0.2.10';
const ZONES = ['shop.example', 'blog.example', 'down-1.example', 'down-2.example', 'down-3.example', 'www-made.example', 'stale.example', 'other-panel.example', 'moved.example', 'taken.example'];
const PANEL_DOC = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/><tparams><func>domain.edit</func></tparams></doc>\n';

let net: TestNet;
let slave: Instance;
let world: World;
let isp: string;
let hookExe: string;

/** The panel's view of its DNS domains, as its mgrctl lists them (a stand-in: there is no real ISPmanager here). */
function setPanelDomains(domains: string[]): void {
  writeFileSync(join(isp, 'domains.json'), JSON.stringify({ doc: { elem: domains.map((d) => ({ name: { $: d } })) } }));
}

async function hook(params: Record<string, string>, stdin = PANEL_DOC) {
  const env: Record<string, string> = { DNSMGR_ROOT: isp, AUTH_USER: 'root', AUTH_LEVEL: '30', HANDLER_STAGE: 'after' };
  for (const [k, v] of Object.entries(params)) env[`PARAM_${k}`] = v;
  const r = await nsExec(net.master, process.execPath, [hookExe], { env, input: stdin, reject: false, exact: true });
  return { exitCode: r.exitCode, stdout: String(r.stdout) };
}

async function servedOnSlave(zone: string): Promise<boolean> {
  const a = await dig(net.master, PANEL_IP, zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
}

async function refusedOnSlave(zone: string): Promise<boolean> {
  return (await dig(net.master, PANEL_IP, zone, 'SOA')).status === 'REFUSED';
}

async function queue() {
  const r = await nsExec(net.master, process.execPath, [hookExe], { env: { DNSMGR_ROOT: isp, AUTH_USER: 'root', AUTH_LEVEL: '30', PARAM_func: 'dnsslave.queue' }, reject: false });
  return String(r.stdout);
}

beforeAll(async () => {
  world = await startWorld('isphook', ZONES.map((name, i) => ({ name, serial: 500 + i })));
  ({ net, dm: slave } = world);
  await slave.addUser('panel1', 'panel1-pw', PANEL_IP);
  await slave.startServe(1500, net.slaveIp);

  // The hosting server's panel tree: the plugin's executable under its ISPmanager name, its settings, its mgrctl.
  isp = await mkdtemp(join(tmpdir(), 'dnsmgr-isp-'));
  mkdirSync(join(isp, 'addon'), { recursive: true });
  mkdirSync(join(isp, 'etc'), { recursive: true });
  mkdirSync(join(isp, 'sbin'), { recursive: true });
  hookExe = join(isp, 'addon', 'dnsmgr-ispmgr');
  symlinkSync(DNSMGR, hookExe);
  writeFileSync(join(isp, 'sbin', 'mgrctl'), `#!/bin/sh\n# stand-in for ISPmanager's mgrctl: lists the panel's DNS domains\ncat '${join(isp, 'domains.json')}'\n`);
  chmodSync(join(isp, 'sbin', 'mgrctl'), 0o755);
  setPanelDomains([]);
  const settings = await nsExec(net.master, process.execPath, [hookExe], {
    env: {
      DNSMGR_ROOT: isp, AUTH_USER: 'root', AUTH_LEVEL: '30', PARAM_func: 'dnsslave.settings', PARAM_sok: 'ok',
      PARAM_url: `http://${net.slaveIp}:1500/dnsmgr`, PARAM_username: 'panel1', PARAM_password: 'panel1-pw', PARAM_masterip: net.masterIp, PARAM_enabled: 'on',
    },
  });
  expect(String(settings.stdout)).toContain('<ok/>');
  writeFileSync(join(isp, 'etc', 'dnsmgr-ispmgr.conf'), `RetryBase 1\n`, { flag: 'a' });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('after domain.edit on the panel', () => {
  it('prints the panel\'s document back unchanged, and the zone is soon served by the slave in the panel\'s namespace', async () => {
    const r = await hook({ func: 'domain.edit', name: 'shop.example', sok: 'ok' });
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toBe(PANEL_DOC);
    await waitFor(() => servedOnSlave('shop.example'), { timeoutMs: 15_000, what: 'shop.example on the slave' });
    const rows = parseTextRows((await slave.cli(['domain'])).stdout);
    expect(rows.find((z) => z.name === 'shop.example')).toMatchObject({ owner: 'panel1', masterip: net.masterIp });
  });

  it('ignores the form being opened (no sok), an edit of an existing domain, another stage, and a failed operation', async () => {
    for (const params of [{ func: 'domain.edit', name: 'blog.example' }, { func: 'domain.edit', elid: 'blog.example', name: 'blog.example', sok: 'ok' }] as Record<string, string>[]) {
      expect((await hook(params)).stdout).toBe(PANEL_DOC);
    }
    const failed = '<?xml version="1.0" encoding="UTF-8"?>\n<doc><error type="exists" object="domain"><msg>x</msg></error></doc>\n';
    expect((await hook({ func: 'domain.edit', name: 'blog.example', sok: 'ok' }, failed)).stdout).toBe(failed);
    expect(await queue()).not.toContain('blog.example');
    expect(await refusedOnSlave('blog.example')).toBe(true);
  });

  it('passes garbage through untouched and never fails the panel', async () => {
    const r = await hook({ func: 'domain.edit', name: 'a"b.example', sok: 'ok' }, 'not even xml');
    expect(r).toEqual({ exitCode: 0, stdout: 'not even xml' });
  });
});

describe('with the slave unreachable', () => {
  it('queues durably and delivers every change once the slave is back', async () => {
    await slave.stopServe();
    for (const zone of ['down-1.example', 'down-2.example', 'down-3.example']) {
      const r = await hook({ func: 'domain.edit', name: zone, sok: 'ok' });
      expect(r.stdout).toBe(PANEL_DOC);
    }
    await waitFor(async () => /unreachable/.test(await queue()), { timeoutMs: 10_000, what: 'a failed attempt recorded in the queue' });
    const listed = await queue();
    for (const zone of ['down-1.example', 'down-2.example', 'down-3.example']) expect(listed).toContain(`<zone>${zone}</zone>`);
    await slave.startServe(1500, net.slaveIp);
    for (const zone of ['down-1.example', 'down-2.example', 'down-3.example']) {
      await waitFor(() => servedOnSlave(zone), { timeoutMs: 30_000, what: `${zone} delivered after the slave came back` });
    }
    await waitFor(async () => !(await queue()).includes('<elem>'), { timeoutMs: 10_000, what: 'the queue emptied' });
  });
});

describe('after domain.delete on the panel', () => {
  it('removes the zone from the slave', async () => {
    expect((await hook({ func: 'domain.delete', elid: 'down-1.example, down-2.example' })).stdout).toBe(PANEL_DOC);
    await waitFor(async () => (await refusedOnSlave('down-1.example')) && refusedOnSlave('down-2.example'), { timeoutMs: 15_000, what: 'zones removed from the slave' });
    expect(await servedOnSlave('down-3.example')).toBe(true);
  });
});

describe('WWW domains', () => {
  it('a WWW domain that made a DNS domain gets its slave; one that did not, nothing', async () => {
    setPanelDomains(['shop.example', 'down-3.example', 'www-made.example']);
    await hook({ func: 'webdomain.edit', name: 'www-made.example', sok: 'ok' });
    await hook({ func: 'webdomain.edit', name: 'blog.example', sok: 'ok' });
    await waitFor(() => servedOnSlave('www-made.example'), { timeoutMs: 15_000, what: 'www-made.example on the slave' });
    await waitFor(async () => !(await queue()).includes('<elem>'), { timeoutMs: 10_000, what: 'the queue emptied' });
    expect(await refusedOnSlave('blog.example')).toBe(true);
  });
});

describe('synchronize', () => {
  it('pushes every panel domain and removes only the zones this panel made that it no longer has', async () => {
    // stale.example: made by this panel earlier; other-panel.example: the same slave account, served from another master.
    await hook({ func: 'domain.edit', name: 'stale.example', sok: 'ok' });
    await waitFor(() => servedOnSlave('stale.example'), { timeoutMs: 15_000, what: 'stale.example on the slave' });
    expect((await slave.cli(['domain.edit', 'name=other-panel.example', `masterip=${net.masterIp6}`, 'sok=ok', 'su=panel1'])).stdout).toBe('OK\n');
    setPanelDomains(['shop.example', 'blog.example', 'down-3.example', 'www-made.example']);
    const r = await nsExec(net.master, process.execPath, [hookExe], {
      env: {
        DNSMGR_ROOT: isp, AUTH_USER: 'root', AUTH_LEVEL: '30', PARAM_func: 'dnsslave.settings', PARAM_sok: 'ok', PARAM_sync: 'on',
        PARAM_url: `http://${net.slaveIp}:1500/dnsmgr`, PARAM_username: 'panel1', PARAM_masterip: net.masterIp, PARAM_enabled: 'on',
      },
    });
    expect(String(r.stdout)).toContain('<ok/>');
    await waitFor(() => servedOnSlave('blog.example'), { timeoutMs: 15_000, what: 'blog.example pushed by the synchronization' });
    await waitFor(() => refusedOnSlave('stale.example'), { timeoutMs: 15_000, what: 'stale.example removed' });
    const names = parseTextRows((await slave.cli(['domain'])).stdout).map((z) => z.name).sort();
    expect(names).toEqual(['blog.example', 'down-3.example', 'other-panel.example', 'shop.example', 'www-made.example']);
  });
});

describe('a domain the slave already has', () => {
  it('of this account, with other masters (the panel\'s address changed): edited to the panel\'s; of another account: untouched, the refusal kept in the queue', async () => {
    expect((await slave.cli(['domain.edit', 'name=moved.example', `masterip=${net.masterIp6}`, 'sok=ok', 'su=panel1'])).stdout).toBe('OK\n');
    await slave.addUser('other', 'other-pw', '192.0.2.11');
    expect((await slave.cli(['domain.edit', 'name=taken.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=other'])).stdout).toBe('OK\n');
    await hook({ func: 'domain.edit', name: 'moved.example', sok: 'ok' });
    await hook({ func: 'domain.edit', name: 'taken.example', sok: 'ok' });
    const row = async (zone: string) => parseTextRows((await slave.cli(['domain'])).stdout).find((z) => z.name === zone);
    await waitFor(async () => (await row('moved.example'))?.masterip === net.masterIp, { timeoutMs: 15_000, what: 'moved.example given the panel\'s address' });
    expect(await row('moved.example')).toMatchObject({ owner: 'panel1' });
    await waitFor(async () => /<zone>taken\.example<\/zone>[\s\S]*<error>./.test(await queue()), { timeoutMs: 15_000, what: 'the refusal recorded' });
    expect(await queue()).not.toContain('moved.example');
    expect(await row('taken.example')).toMatchObject({ owner: 'other', masterip: net.masterIp });
  });
});
