// src/system/tcp.ts: a connection made through libuv's handle behaves as one made through node:net, over IPv4 and IPv6,
// inside a test namespace: bytes written before the connection is up are sent, answers arrive whole and in order, the
// peer's close and a refused connection are told once, and a connection we close tells nothing more.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNet, nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';

let net: TestNet;
let dir: string;
let driver: string;

async function drive(env: Record<string, string> = {}): Promise<{ transport: string; handle: Record<string, string[]>; socket: Record<string, string[]> }> {
  const r = await nsExec(net.slave, process.execPath, [driver], { timeout: 60_000, env: { ...process.env, ...env } });
  return JSON.parse(String(r.stdout)) as never;
}

beforeAll(async () => {
  net = await createTestNet('tcp');
  dir = mkdtempSync(join(tmpdir(), 'dnsmgr-tcp-'));
  driver = join(dir, 'tcp-driver.cjs');
  await build({ entryPoints: [resolve('test/fakes/tcp-driver.ts')], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: driver, logLevel: 'warning' });
}, 60_000);

afterAll(async () => {
  await net?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

describe('TCP connections for named', () => {
  it('through libuv\'s handle: the same events as through node:net, over IPv4 and IPv6', async () => {
    const { transport, handle, socket } = await drive();
    expect(transport).toBe('handle');
    for (const host of ['127.0.0.1', '::1']) {
      expect(handle[`${host} exchange`], host).toEqual(['connected', 'data <hello><bye>', 'closed by peer']);
      expect(handle[`${host} server saw`], host).toEqual(['hello', 'bye', '(end)']);
      expect(handle[`${host} closed by us`], host).toEqual(['connected', 'data <hello>', 'closed by us']);
      expect(handle[`${host} server saw after our close`], host).toEqual(['hello', '(end)']);
      expect(handle[`${host} refused`], host).toEqual(['closed ECONNREFUSED']);
    }
    expect(handle).toEqual(socket);
  }, 60_000);

  it('falls back to node:net where process.binding would warn', async () => {
    const { transport, handle, socket } = await drive({ NODE_OPTIONS: '--pending-deprecation' });
    expect(transport).toBe('socket');
    expect(handle).toEqual(socket);
    expect(handle['127.0.0.1 exchange']).toEqual(['connected', 'data <hello><bye>', 'closed by peer']);
  }, 60_000);
});
