// The native control channel against the real named: the answers rndc gets, named's result codes, many commands on
// one connection, and the errors a caller sees when named is down or the key is wrong.
import { build } from 'esbuild';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createInstance } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { createTestNet, nsExec, nsSpawn } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { startMasterNamed } from '../helpers/named';
import { waitFor } from '../helpers/wait-for';
import type { MasterServer } from '../helpers/named';

type Outcome = { text: string } | { error: { name: string; result?: number; message: string } };

let net: TestNet;
let master: MasterServer;
let dm: Instance;
let driver: string;
/** The view every namespace's zones are in. */
const VIEW = '_dnsmgr';

/** Runs sessions of commands through the native client inside the slave namespace. */
async function sessions(list: string[][][], target: Record<string, unknown> = {}): Promise<Outcome[][]> {
  const job = { target: { keyFile: join(dm.root, 'etc', 'named', 'rndc.key'), server: '127.0.0.1', port: 953, timeoutMs: 5000, ...target }, sessions: list };
  const r = await nsExec(net.slave, process.execPath, [driver, JSON.stringify(job)], { reject: false });
  if (r.exitCode !== 0) throw new Error(`control driver failed: ${String(r.stderr)}`);
  return JSON.parse(String(r.stdout)) as Outcome[][];
}

function zoneClause(name: string): string {
  return `{ type slave; masters { ${net.masterIp}; }; file "${join(dm.root, 'var', 'named', 'slave', VIEW, `${name}.db`)}"; };`;
}

beforeAll(async () => {
  const dir = await mkdtemp(join(tmpdir(), 'dnsmgr-ctl-'));
  driver = join(dir, 'control-driver.cjs');
  await build({ entryPoints: [resolve('test/fakes/control-driver.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: driver, logLevel: 'warning' });
  net = await createTestNet('ctl');
  master = await startMasterNamed(net, await mkdtemp(join(tmpdir(), 'dnsmgr-master-')), [{ name: 'one.example', serial: 7 }]);
  dm = await createInstance(net);
  await dm.startNamed();
  await dm.addUser('alice', 'pw', '192.0.2.10');
}, 120_000);

afterAll(async () => {
  await dm?.stop();
  await master?.stop();
  await net?.destroy();
});

describe('the native control channel', () => {
  it('answers as rndc does: status text, and a zone added, shown and deleted', async () => {
    const [one] = await sessions([[['status'], ['addzone', 'one.example', 'IN', VIEW, zoneClause('one.example')],
      ['showzone', 'one.example', 'IN', VIEW], ['delzone', '-clean', 'one.example', 'IN', VIEW]]]);
    const status = (await dm.rndc(['status'])).stdout;
    expect(one![0]).toHaveProperty('text');
    expect((one![0] as { text: string }).text.split('\n')[0]).toBe(status.split('\n')[0]);
    expect(one![0]).toMatchObject({ text: expect.stringMatching(/server is up and running/) });
    expect(one![1]).toEqual({ text: '' });
    expect(one![2]).toMatchObject({ text: expect.stringMatching(/^zone "one\.example" \{ type slave; file ".*"; masters \{ 198\.51\.100\.1; \}; \};$/) });
    expect(one![3]).toMatchObject({ text: expect.stringMatching(/one\.example/) });
    expect((await dm.rndc(['showzone', 'one.example', 'IN', VIEW])).exitCode).toBe(1);
  });

  it("gives named's result code for a zone that exists and one that does not, and the session goes on", async () => {
    const [s] = await sessions([[['addzone', 'two.example', 'IN', VIEW, zoneClause('two.example')],
      ['addzone', 'two.example', 'IN', VIEW, zoneClause('two.example')],
      ['delzone', 'nothere.example', 'IN', VIEW],
      ['delzone', '-clean', 'two.example', 'IN', VIEW]]]);
    expect(s![0]).toEqual({ text: '' });
    expect(s![1]).toMatchObject({ error: { name: 'ControlCommandError', result: 18, message: expect.stringMatching(/^rndc addzone two\.example IN failed: already exists/) } });
    expect(s![2]).toMatchObject({ error: { name: 'ControlCommandError', result: 23, message: expect.stringMatching(/^rndc delzone nothere\.example IN failed: not found/) } });
    expect(s![3]).toHaveProperty('text');
  });

  it('carries a hundred commands on one connection', async () => {
    const names = Array.from({ length: 50 }, (_, i) => `bulk${i}.example`);
    const [s] = await sessions([[...names.map((n) => ['addzone', n, 'IN', VIEW, zoneClause(n)]), ...names.map((n) => ['delzone', '-clean', n, 'IN', VIEW])]]);
    expect(s!.every((o) => 'text' in o)).toBe(true);
    expect(s).toHaveLength(100);
  });

  it('gives up on a server that takes the connection and never answers, after the time it was given', async () => {
    // A listener that accepts and says nothing, in the slave namespace beside named.
    const dir = await mkdtemp(join(tmpdir(), 'dnsmgr-ctl-silent-'));
    const silent = nsSpawn(net.slave, process.execPath, ['-e', "require('net').createServer(() => {}).listen(9953, '127.0.0.1', () => console.log('up'))"], { logFile: join(dir, 'silent.log') });
    try {
      await waitFor(async () => (await readFile(join(dir, 'silent.log'), 'utf8').catch(() => '')).includes('up'), { timeoutMs: 10_000, what: 'silent listener' });
      const started = Date.now();
      const [mute] = await sessions([[['status']]], { port: 9953, timeoutMs: 400 });
      const took = Date.now() - started;
      expect(mute![0]).toMatchObject({ error: { name: 'ToolError', message: 'rndc timed out after 400 ms' } });
      // The driver's own start included; never the 5 s of the other sessions, nor a hang.
      expect(took).toBeGreaterThanOrEqual(400);
      expect(took).toBeLessThan(4000);
    } finally {
      silent.kill('SIGTERM');
      await silent;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('says named is not answering when nothing listens, and names a key named does not accept', async () => {
    const [down] = await sessions([[['status']]], { port: 9 });
    expect(down![0]).toMatchObject({ error: { name: 'ToolError', message: expect.stringMatching(/^rndc failed: connect failed: 127\.0\.0\.1#9: connection refused; named is not answering on 127\.0\.0\.1 port 9: it is not running, or is being restarted$/) } });
    const wrongKey = join(dm.root, 'wrong.key');
    await writeFile(wrongKey, 'key "dnsmgr-rndc" {\n\talgorithm hmac-sha256;\n\tsecret "c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=";\n};\n');
    const [bad] = await sessions([[['status']]], { keyFile: wrongKey });
    expect(bad![0]).toMatchObject({ error: { name: 'ToolError', message: expect.stringContaining(`named closed the control connection without answering: the key in ${wrongKey}`) } });
    const [missing] = await sessions([[['status']]], { keyFile: join(dm.root, 'no.key') });
    expect(missing![0]).toMatchObject({ error: { message: expect.stringContaining('cannot read the rndc key') } });
  });
});
