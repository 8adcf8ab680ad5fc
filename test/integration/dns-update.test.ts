// DNS UPDATE with TSIG, as dnsmgr will change master zones (issue 12): against a real named serving a zone that allows
// updates with one key, from inside the test network. Each change is applied at once, the serial advances by itself,
// and what named keeps (zone file and journal) is a zone named-checkzone accepts; a wrong key changes nothing.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultRecords, renderZoneFile } from '../../src/dns/zone-file';
import type { IpAddress } from '../../src/model/address';
import type { ZoneName } from '../../src/model/zone-name';
import { dig, startNamed } from '../helpers/named';
import type { NamedProcess } from '../helpers/named';
import { createTestNet, nsExec, nsSpawn } from '../helpers/netns';
import { waitFor } from '../helpers/wait-for';
import type { TestNet } from '../helpers/netns';

const ZONE = 'example.com' as ZoneName;
const KEY = { name: 'dnsmgr-update', secret: randomBytes(32).toString('base64') };
let net: TestNet;
let named: NamedProcess | undefined;
let dir: string;
let driver: string;

/** The zone read back with AXFR: its records' TTLs and keys, null when named does not hold it, or the error. */
async function readBack(zone: string = ZONE, key = KEY): Promise<string[] | null | string> {
  const job = { target: { server: net.masterIp, key }, zone, batches: [], read: true };
  const r = await nsExec(net.master, process.execPath, [driver, JSON.stringify(job)], { timeout: 60_000 });
  return JSON.parse(String(r.stdout)) as string[] | null | string;
}

async function update(batches: unknown[][], key = KEY): Promise<string[]> {
  const job = { target: { server: net.masterIp, key }, zone: ZONE, batches };
  const r = await nsExec(net.master, process.execPath, [driver, JSON.stringify(job)], { timeout: 60_000 });
  return JSON.parse(String(r.stdout)) as string[];
}

const answers = async (name: string, type: string): Promise<string[]> => (await dig(net.master, net.masterIp, name, type)).answers.sort();
const serial = async (): Promise<number> => Number((await answers(ZONE, 'SOA'))[0]?.split(/\s+/)[2]);

beforeAll(async () => {
  net = await createTestNet('dnsupd');
  dir = mkdtempSync(join(tmpdir(), 'dnsmgr-dnsupd-'));
  driver = join(dir, 'update-driver.cjs');
  await build({ entryPoints: [resolve('test/fakes/update-driver.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: driver, logLevel: 'warning' });
  const soa = { mname: 'ns1.example.net', email: 'hostmaster@example.com', serial: 100 };
  writeFileSync(join(dir, 'example.com.zone'), renderZoneFile(ZONE, soa, defaultRecords(ZONE, { nameServers: ['ns1.example.net'], ip: '198.51.100.1' as IpAddress, subdomains: ['www'] })));
  writeFileSync(join(dir, 'named.conf'), `options {
	directory "${dir}";
	pid-file "${dir}/named.pid";
	listen-on { ${net.masterIp}; };
	listen-on-v6 { none; };
	recursion no;
	notify no;
};
key "${KEY.name}" { algorithm hmac-sha256; secret "${KEY.secret}"; };
zone "${ZONE}" { type primary; file "${dir}/example.com.zone"; allow-update { key "${KEY.name}"; }; allow-transfer { key "${KEY.name}"; }; };
`);
  named = await startNamed(net.master, join(dir, 'named.conf'), {
    logFile: join(dir, 'named.log'),
    ready: async () => (await dig(net.master, net.masterIp, ZONE, 'SOA')).status === 'NOERROR',
  });
}, 60_000);

afterAll(async () => {
  await named?.stop();
  await net?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('DNS UPDATE with the zone\'s key', () => {
  it('adds a TXT record as a certificate tool asks, answered at once, the serial advanced; deletes it again', async () => {
    const before = await serial();
    expect(await update([[{ op: 'add', input: { name: '_acme-challenge', rtype: 'txt', ttl: '60', value: 'tok-123' } }]])).toEqual(['ok']);
    expect(await answers(`_acme-challenge.${ZONE}`, 'TXT')).toEqual(['"tok-123"']);
    expect(await serial()).toBeGreaterThan(before);
    expect(await update([[{ op: 'delete', input: { name: '_acme-challenge', rtype: 'txt', value: 'tok-123' } }]])).toEqual(['ok']);
    expect(await answers(`_acme-challenge.${ZONE}`, 'TXT')).toEqual([]);
  });

  it('carries every record type, all of one UPDATE applied together', async () => {
    const adds = [
      { name: 'v6', rtype: 'AAAA', value: '2001:db8::1:0:0:10' },
      { name: 'alias', rtype: 'CNAME', value: 'www' },
      { name: '@', rtype: 'MX', priority: '20', value: 'mx2.example.net.' },
      { name: 'sub', rtype: 'NS', value: 'ns.example.org.' },
      { name: '_sip._tcp', rtype: 'SRV', priority: '10', weight: '5', port: '5060', srvdomain: 'sip.example.org.' },
      { name: '10', rtype: 'PTR', value: 'host.example.org.' },
      { name: '@', rtype: 'CAA', value: '0 issue "letsencrypt.org"' },
      { name: 'long', rtype: 'TXT', value: `${'k'.repeat(300)} "quoted"` },
    ].map((input) => ({ op: 'add', input }));
    expect(await update([adds])).toEqual(['ok']);
    expect(await answers(`v6.${ZONE}`, 'AAAA')).toEqual(['2001:db8::1:0:0:10']);
    expect(await answers(`alias.${ZONE}`, 'CNAME')).toEqual([`www.${ZONE}.`]);
    expect(await answers(ZONE, 'MX')).toEqual([`10 mail.${ZONE}.`, '20 mx2.example.net.']);
    expect((await dig(net.master, net.masterIp, `sub.${ZONE}`, 'NS', ['+norecurse', '+authority'])).records.map((r) => r.rdata)).toContain('ns.example.org.');
    expect(await answers(`_sip._tcp.${ZONE}`, 'SRV')).toEqual(['10 5 5060 sip.example.org.']);
    expect(await answers(`10.${ZONE}`, 'PTR')).toEqual(['host.example.org.']);
    expect(await answers(ZONE, 'CAA')).toEqual(['0 issue "letsencrypt.org"']);
    expect((await answers(`long.${ZONE}`, 'TXT'))[0]).toBe(`"${'k'.repeat(255)}" "${'k'.repeat(45)} \\"quoted\\""`);
  });

  it('removes a whole name and type at once', async () => {
    expect(await update([[{ op: 'delete-rrset', name: `${ZONE}`, type: 'MX' }]])).toEqual(['ok']);
    expect(await answers(ZONE, 'MX')).toEqual([]);
  });

  it('100 edits in turn leave a serial that advanced by each, and a zone named-checkzone accepts with its journal', async () => {
    const before = await serial();
    const batches = Array.from({ length: 100 }, (_, i) => [{ op: 'add', input: { name: `h${i}`, rtype: 'A', value: `192.0.2.${i + 1}` } }]);
    expect(await update(batches)).toEqual(Array(100).fill('ok'));
    expect(await serial()).toBe(before + 100);
    const check = await nsExec(net.master, 'named-checkzone', ['-j', ZONE, join(dir, 'example.com.zone')], { reject: false });
    expect(String(check.stdout), String(check.stderr)).toMatch(/loaded serial \d+\nOK/);
  });
});

describe('DNS UPDATE unanswered', () => {
  it('gives up on a server that takes the connection and never answers, after the time it was given', async () => {
    // A listener that accepts and says nothing, in the master namespace beside named.
    const log = join(dir, 'silent.log');
    const silent = nsSpawn(net.master, process.execPath, ['-e', `require('net').createServer(() => {}).listen(9053, '${net.masterIp}', () => console.log('up'))`], { logFile: log });
    try {
      await waitFor(async () => (await readFile(log, 'utf8').catch(() => '')).includes('up'), { timeoutMs: 10_000, what: 'silent listener' });
      const job = { target: { server: net.masterIp, port: 9053, key: KEY, timeoutMs: 400 }, zone: ZONE, batches: [[{ op: 'add', input: { name: 'mute', rtype: 'A', value: '192.0.2.201' } }]] };
      const started = Date.now();
      const r = await nsExec(net.master, process.execPath, [driver, JSON.stringify(job)], { timeout: 60_000 });
      expect(JSON.parse(String(r.stdout))).toEqual([expect.stringMatching(/no answer within 400 ms$/)]);
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      silent.kill('SIGTERM');
      await silent;
    }
  });
});

describe('DNS UPDATE refused', () => {
  it('with a wrong key: NOTAUTH, nothing changed', async () => {
    const before = await serial();
    const wrong = { name: KEY.name, secret: randomBytes(32).toString('base64') };
    expect(await update([[{ op: 'add', input: { name: 'bad', rtype: 'A', value: '192.0.2.200' } }]], wrong)).toEqual([expect.stringContaining('refused: NOTAUTH')]);
    expect(await answers(`bad.${ZONE}`, 'A')).toEqual([]);
    expect(await serial()).toBe(before);
  });
});

describe('the zone read back (AXFR with the same key)', () => {
  it('gives every record as the model has it, the SOA left out, what an UPDATE changed included', async () => {
    expect(await update([[{ op: 'add', input: { name: 'back', rtype: 'TXT', ttl: '120', value: `"${'t'.repeat(255)}" "rest"` } }]])).toEqual(['ok']);
    const records = await readBack();
    expect(Array.isArray(records)).toBe(true);
    expect(records).toContain(`120 back.${ZONE}. TXT  ${'t'.repeat(255)}rest`);
    expect(records).toContain(`3600 ${ZONE}. NS  ns1.example.net.`);
    expect(records).toContain(`3600 www.${ZONE}. A  198.51.100.1`);
    expect(records).toContain(`3600 _sip._tcp.${ZONE}. SRV  10 5 5060 sip.example.org.`);
    expect(records).toContain(`3600 ${ZONE}. CAA  0 issue "letsencrypt.org"`);
    expect((records as string[]).some((r) => / SOA /.test(r))).toBe(false);
  });

  it('of a zone named does not hold: none (undefined); with a wrong key: an error naming the refusal', async () => {
    expect(await readBack('not-here.example')).toBeNull();
    expect(await readBack(ZONE, { name: KEY.name, secret: randomBytes(32).toString('base64') })).toMatch(/refused: NOTAUTH \(TSIG error 16\)/);
  });
});
