// The integration harness itself, against real named, dig and ip: if this fails, every other integration test will.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dig, startMasterNamed, startNamed, waitFor } from '../helpers/named';
import type { MasterServer } from '../helpers/named';
import { createTestNet, listNamespaces, nsExec, nsPids } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';

const HOOK_TIMEOUT_MS = 30_000;

describe('integration harness', () => {
  let net: TestNet;
  let master: MasterServer;
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dnsmgr-harness-'));
    net = await createTestNet('harness');
    master = await startMasterNamed(net, dir, [
      { name: 'example.com', serial: 2024010101 },
      { name: 'example.net', serial: 7, records: ['mail\tIN\tA\t203.0.113.25'] },
    ]);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await master?.stop();
    await net?.destroy();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, HOOK_TIMEOUT_MS);

  it('gives each side its own namespace with the veth addresses', async () => {
    const namespaces = await listNamespaces();
    expect(namespaces).toContain(net.master);
    expect(namespaces).toContain(net.slave);
    const slaveAddrs = await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'dev', net.slaveIface]);
    expect(slaveAddrs.stdout).toContain('198.51.100.2/24');
    expect(slaveAddrs.stdout).toContain('2001:db8:100::2/64');
    const hostLinks = await nsExec(net.master, 'ip', ['-o', 'link', 'show']);
    expect(hostLinks.stdout).toContain('veth-m');
  });

  it('runs named from a config outside /etc/bind and logs to the log file', async () => {
    expect(master.confFile.startsWith(tmpdir())).toBe(true);
    expect(await readFile(master.logFile, 'utf8')).toMatch(/all zones loaded[\s\S]*running/);
  });

  it('fails fast with the log tail when named rejects its config', async () => {
    const conf = join(dir, 'broken.conf');
    await writeFile(conf, 'options { no-such-option yes; };\n');
    const logFile = join(dir, 'broken.log');
    const started = Date.now();
    await expect(startNamed(net.slave, conf, { logFile, ready: async () => false, timeoutMs: 8000 })).rejects.toThrow(
      /named exited with 1 while starting[\s\S]*no-such-option/,
    );
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('stops named and reports the log tail when it is not ready in time', async () => {
    const conf = join(dir, 'never-ready.conf');
    await writeFile(
      conf,
      `options { directory "${dir}"; pid-file none; session-keyfile none; listen-on { 127.0.0.1; }; ` +
        'listen-on-v6 { none; }; recursion no; };\n',
    );
    await expect(
      startNamed(net.slave, conf, { logFile: join(dir, 'never-ready.log'), ready: async () => false, timeoutMs: 500 }),
    ).rejects.toThrow(/not ready after 500 ms; log tail/);
    expect(await nsPids(net.slave)).toEqual([]);
  });

  it('answers SOA over the veth from the slave namespace, IPv4 and IPv6, authoritatively', async () => {
    const v4 = await dig(net.slave, net.masterIp, 'example.com', 'SOA');
    expect(v4).toMatchObject({ status: 'NOERROR', aa: true, serial: 2024010101 });
    expect(v4.answers[0]).toMatch(/^ns1\.example\.com\. hostmaster\.example\.com\. 2024010101 /);

    const v6 = await dig(net.slave, net.masterIp6, 'example.net', 'SOA');
    expect(v6).toMatchObject({ status: 'NOERROR', aa: true, serial: 7 });
  });

  it('serves the standard records and the extra ones', async () => {
    expect((await dig(net.slave, net.masterIp, 'www.example.com', 'A')).answers).toEqual(['203.0.113.80']);
    expect((await dig(net.slave, net.masterIp, 'example.com', 'TXT')).answers).toEqual(['"master-of-example.com"']);
    expect((await dig(net.slave, net.masterIp, 'mail.example.net', 'A')).answers).toEqual(['203.0.113.25']);
  });

  it('reports REFUSED for a zone it does not serve and TIMEOUT when nobody answers', async () => {
    expect((await dig(net.slave, net.masterIp, 'example.org', 'SOA')).status).toBe('REFUSED');
    // No named on the slave side yet: the port is closed (ICMP port unreachable) …
    const closed = await dig(net.master, net.slaveIp, 'example.com', 'SOA');
    expect(closed).toMatchObject({ status: 'TIMEOUT', aa: false, answers: [] });
    expect(closed.error).toMatch(/connection refused/);
    // … and an address on the link that no one holds never answers (one 1 s try).
    const silent = await dig(net.slave, '198.51.100.3', 'example.com', 'SOA');
    expect(silent).toMatchObject({ status: 'TIMEOUT', aa: false });
    expect(silent.error).toMatch(/timed out|unreachable/);
  });

  it('changes the served serial with setSerial', async () => {
    await master.setSerial('example.com', 2024010102);
    expect(await dig(net.slave, net.masterIp, 'example.com', 'SOA')).toMatchObject({ serial: 2024010102, aa: true });
    // twice in quick succession: the mtime of the rewritten file must not fool named's reload check
    await master.setSerial('example.net', 8);
    await master.setSerial('example.net', 9);
    expect((await dig(net.slave, net.masterIp6, 'example.net', 'SOA')).serial).toBe(9);
  });

  it('transfers the whole zone to the slave namespace (AXFR)', async () => {
    const axfr = await dig(net.slave, net.masterIp, 'example.net', 'AXFR');
    expect(axfr).toMatchObject({ status: 'NOERROR', aa: true, serial: 9 });
    const records = axfr.records.map((r) => `${r.name} ${r.type} ${r.rdata}`);
    // SOA first and last; the order in between is the server's business.
    expect(records[0]).toMatch(/^example\.net\. SOA /);
    expect(records.at(-1)).toEqual(records[0]);
    expect(records.slice(1, -1).sort()).toEqual([
      'example.net. NS ns1.example.net.',
      'example.net. TXT "master-of-example.net"',
      'mail.example.net. A 203.0.113.25',
      'ns1.example.net. A 198.51.100.1',
      'www.example.net. A 203.0.113.80',
    ]);

    const v6 = await dig(net.slave, net.masterIp6, 'example.com', 'AXFR');
    expect(v6).toMatchObject({ status: 'NOERROR', serial: 2024010102 });
    expect(v6.records).toHaveLength(6);

    const notServed = await dig(net.slave, net.masterIp, 'example.org', 'AXFR');
    expect(notServed).toMatchObject({ status: 'NOTAUTH', aa: false, records: [] });
    expect(notServed.error).toMatch(/Transfer failed/);
  });

  it('adds and removes zones at runtime', async () => {
    await master.addZone({ name: 'example.org', serial: 1 });
    expect((await dig(net.slave, net.masterIp, 'example.org', 'SOA')).serial).toBe(1);
    await master.removeZone('example.org');
    expect((await dig(net.slave, net.masterIp, 'example.org', 'SOA')).status).toBe('REFUSED');
  });

  it('waitFor returns the first truthy value and names what it waited for on timeout', async () => {
    let n = 0;
    await expect(waitFor(async () => (++n >= 3 ? n : undefined), { timeoutMs: 2000, intervalMs: 10, what: 'n' }))
      .resolves.toBe(3);
    await expect(waitFor(async () => false, { timeoutMs: 150, intervalMs: 50, what: 'the impossible' }))
      .rejects.toThrow(/Timed out after \d+ ms .*the impossible/);
  });

  it('leaves nothing behind after destroy', async () => {
    const { master: m, slave: s } = net;
    expect(await nsPids(m)).toContain(master.named.pid);
    await net.destroy();
    expect(await master.named.exited).not.toBeUndefined();
    const namespaces = await listNamespaces();
    expect(namespaces).not.toContain(m);
    expect(namespaces).not.toContain(s);
    await net.destroy(); // idempotent
  });
});
