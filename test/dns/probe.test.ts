// probeMaster against a real master named, run from inside the slave namespace: the probe is bundled into a small
// runner (as the addon bundles it) and executed there with node, printing its ProbeResult as JSON.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProbeResult } from '../../src/dns/probe';
import { probeMaster } from '../../src/dns/probe';
import { diagnose } from '../../src/health/diagnose';
import { startMasterNamed } from '../helpers/named';
import type { MasterServer } from '../helpers/named';
import { createTestNet, nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';

const HOOK_TIMEOUT_MS = 30_000;
const TIMEOUT_MS = 1500;
const SERVED = { name: 'example.com', serial: 2026113001 };
const NO_TRANSFER = { name: 'example.net', serial: 7, allowTransfer: ['none'] };
const NOT_SERVED = 'example.org';
// On the veth's link, with no host behind it: ARP goes unanswered.
const NOBODY = '198.51.100.9';
// No route to it from the slave namespace: the kernel refuses to send, so no packet leaves.
const NO_ROUTE = '203.0.113.53';
// A port nothing listens on at the master: the kernel answers ICMP port unreachable.
const CLOSED_PORT = 5399;

const RUNNER = `
import { probeMaster } from './src/dns/probe';
const [zone, master, opts] = process.argv.slice(2);
probeMaster(zone, master, JSON.parse(opts)).then((r) => process.stdout.write(JSON.stringify(r)));
`;

describe('probeMaster against a real master', () => {
  let net: TestNet;
  let master: MasterServer;
  let dir: string;
  let runner: string;

  /** Runs the probe inside the slave namespace. */
  const probe = async (zone: string, address: string, opts: Record<string, unknown> = {}): Promise<ProbeResult> => {
    const result = await nsExec(
      net.slave,
      process.execPath,
      [runner, zone, address, JSON.stringify({ timeoutMs: TIMEOUT_MS, ...opts })],
      { timeout: 15_000 },
    );
    return JSON.parse(result.stdout) as ProbeResult;
  };

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dnsmgr-probe-'));
    runner = join(dir, 'probe-runner.cjs');
    await build({
      stdin: { contents: RUNNER, resolveDir: new URL('../../', import.meta.url).pathname, loader: 'ts' },
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node20',
      outfile: runner,
      logLevel: 'warning',
    });
    net = await createTestNet('probe');
    master = await startMasterNamed(net, dir, [SERVED, NO_TRANSFER]);
  }, HOOK_TIMEOUT_MS);

  afterAll(async () => {
    await master?.stop();
    await net?.destroy();
    if (dir !== undefined) await rm(dir, { recursive: true, force: true });
  }, HOOK_TIMEOUT_MS);

  it('finds a served zone transferable, with the serial and the source the OS picked', async () => {
    const r = await probe(SERVED.name, net.masterIp);
    expect(r).toEqual({
      master: net.masterIp,
      source: net.slaveIp,
      timeoutMs: TIMEOUT_MS,
      soa: { outcome: 'ok', serial: SERVED.serial, rcode: 'NOERROR', authoritative: true },
      axfr: { outcome: 'ok', rcode: 'NOERROR' },
    });
    expect(diagnose(SERVED.name, SERVED.serial, [r], 'en')[0]?.result).toBe('ok');
  });

  it('asks over IPv6 as well', async () => {
    const r = await probe(SERVED.name, net.masterIp6);
    expect(r.source).toBe(net.slaveIp6);
    expect(r.soa).toMatchObject({ outcome: 'ok', serial: SERVED.serial });
    expect(r.axfr.outcome).toBe('ok');
  });

  it('sends from the source it is given', async () => {
    const r = await probe(SERVED.name, net.masterIp, { source: net.slaveIp });
    expect(r.source).toBe(net.slaveIp);
    expect(r.soa.outcome).toBe('ok');
    expect(r.axfr.outcome).toBe('ok');
  });

  it('sees a refused transfer of a zone whose SOA the master serves', async () => {
    const r = await probe(NO_TRANSFER.name, net.masterIp);
    expect(r.soa).toMatchObject({ outcome: 'ok', serial: NO_TRANSFER.serial });
    expect(r.axfr).toEqual({ outcome: 'refused', rcode: 'REFUSED' });
    const [finding] = diagnose(NO_TRANSFER.name, NO_TRANSFER.serial, [r], 'en');
    expect(finding?.result).toBe('refused');
    expect(finding?.message).toContain(`refuses zone transfers to ${net.slaveIp}`);
  });

  it('sees a zone the master does not serve', async () => {
    const r = await probe(NOT_SERVED, net.masterIp);
    expect(r.soa).toEqual({ outcome: 'refused', rcode: 'REFUSED', authoritative: false });
    expect(['refused', 'notauth']).toContain(r.axfr.outcome);
    expect(diagnose(NOT_SERVED, null, [r], 'en')[0]?.result).toBe('notauth');
  });

  it('gives up on an address nobody answers at, and skips the transfer', async () => {
    const started = Date.now();
    const r = await probe(SERVED.name, NOBODY);
    expect(['unreachable', 'timeout']).toContain(r.soa.outcome);
    expect(r.axfr).toEqual({ outcome: 'skipped' });
    expect(r.source).toBe(net.slaveIp);
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 3000);
  });

  it('calls an address without a route unreachable at once', async () => {
    const started = Date.now();
    const r = await probe(SERVED.name, NO_ROUTE);
    expect(r.soa).toEqual({ outcome: 'unreachable', detail: 'ENETUNREACH' });
    expect(r.axfr).toEqual({ outcome: 'skipped' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS);
  });

  it('calls a closed port unreachable at once', async () => {
    const started = Date.now();
    const r = await probe(SERVED.name, net.masterIp, { port: CLOSED_PORT });
    expect(r.soa).toEqual({ outcome: 'unreachable', detail: 'ECONNREFUSED' });
    expect(r.axfr).toEqual({ outcome: 'skipped' });
    expect(Date.now() - started).toBeLessThan(TIMEOUT_MS + 1000);
  });

  it('throws for a caller mistake, never reaching the network', async () => {
    await expect(probeMaster('example.com.', net.masterIp)).rejects.toThrow(/zone must be/);
    await expect(probeMaster('exa mple.com', net.masterIp)).rejects.toThrow(/zone must be/);
    await expect(probeMaster('example.com', 'master.example.com')).rejects.toThrow(/master must be/);
    await expect(probeMaster('example.com', net.masterIp, { source: net.slaveIp6 })).rejects.toThrow(/source must be/);
    await expect(probeMaster('example.com', net.masterIp, { port: 0 })).rejects.toThrow(/port must be/);
    await expect(probeMaster('example.com', net.masterIp, { timeoutMs: 0 })).rejects.toThrow(/timeoutMs must be/);
  });
});
