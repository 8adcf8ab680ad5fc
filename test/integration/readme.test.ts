// The README's quick start, run as written: the standalone server that `npm start` runs, then every line of the
// example block in a second shell, from a directory of its own (so `$PWD/state` is the test's tree) whose `addon`
// is this build. All of it inside a network namespace: the pool address lands on its veth, never on the host.
import { mkdtemp, readFile, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNet, nsExec, nsSpawn } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { waitFor } from '../helpers/wait-for';

const README = resolve('README.md');

/** The shell block that follows `marker` in the README, one command per line (comments and blank lines dropped). */
function shellBlockAfter(text: string, marker: string): string[] {
  const at = text.indexOf(marker);
  if (at < 0) throw new Error(`README has no line containing ${JSON.stringify(marker)}`);
  const m = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  if (!m) throw new Error(`README has no sh block after ${JSON.stringify(marker)}`);
  return (m[1] as string).split('\n').filter((line) => line.trim() !== '' && !line.trimStart().startsWith('#'));
}

describe('README quick start', () => {
  let net: TestNet;
  let dir: string;
  let server: ReturnType<typeof nsSpawn>;
  let lines: string[];
  /** stdout of each example line, in order. */
  let outputs: string[];
  let scriptStatus: number;
  let scriptErr: string;

  beforeAll(async () => {
    net = await createTestNet('readme');
    dir = await mkdtemp(join(tmpdir(), 'dnsmgr-readme-'));
    await symlink(resolve('addon'), join(dir, 'addon'));
    // What `npm start` execs once setup is done (scripts/start.sh): the same command, the same defaults.
    server = nsSpawn(net.slave, 'bash', ['-c', `cd ${dir} && export DNSMGR_ROOT="$PWD/state" && exec ./addon/dnsmgr run --listen 127.0.0.1:1500`], {
      logFile: join(dir, 'server.log'),
    });
    await waitFor(async () => (await nsExec(net.slave, 'curl', ['-sf', 'http://127.0.0.1:1500/dnsmgr?func=domain'], { reject: false })).exitCode === 0, {
      timeoutMs: 60_000, what: 'the standalone server answering on 127.0.0.1:1500',
    });

    lines = shellBlockAfter(await readFile(README, 'utf8'), 'With the server running');
    // One shell, as a person would type them; a marker before each line splits the output per command.
    const script = ['set -e -o pipefail', `cd ${dir}`, ...lines.flatMap((line, i) => [`echo '::line ${i}'`, line])].join('\n');
    const r = await nsExec(net.slave, 'bash', ['-c', script], { reject: false, timeout: 120_000, env: { PATH: process.env.PATH } });
    scriptStatus = r.exitCode ?? -1;
    scriptErr = String(r.stderr);
    outputs = String(r.stdout).split(/^::line \d+\n/m).slice(1);
  }, 180_000);

  afterAll(async () => {
    server?.kill('SIGTERM');
    await server;
    await net?.destroy();
  });

  const outputOf = (start: string): string => {
    const i = lines.findIndex((l) => l.includes(start));
    expect(i, `README line with ${start}`).toBeGreaterThanOrEqual(0);
    return outputs[i] ?? '';
  };

  it('prints the root password once, on the first start', async () => {
    const log = await readFile(join(dir, 'server.log'), 'utf8');
    expect(log.match(/created account root with password: \S+/g)).toHaveLength(1);
  });

  it('runs every example line without an error', () => {
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(scriptErr).not.toMatch(/ERROR/);
    expect(scriptStatus, scriptErr).toBe(0);
    expect(outputs).toHaveLength(lines.length);
    for (const [i, out] of outputs.entries()) expect(out, lines[i]).not.toMatch(/^ERROR|"error"/m);
  });

  it('each line does what its comment says', async () => {
    expect(outputOf('ipaddr.edit')).toBe('OK\n');
    expect(outputOf('user.edit')).toBe('OK\n');
    expect(outputOf('domain.edit')).toBe('OK\n');
    expect(outputOf('./addon/dnsmgr domain  ')).toMatch(/^name=example\.com owner=alice dtype=slave masterip=198\.51\.100\.5 /m);
    const json = JSON.parse(outputOf('curl')) as { doc: { elem: { name: { $: string } }[] } };
    expect(json.doc.elem.map((e) => e.name.$)).toEqual(['example.com']);
    expect(outputOf('domain.delete')).toBe('OK\ndeleted=example.com\n');
    expect(outputOf('-i domain.edit')).toMatch(/^domain\.edit /);
    // OK, then what it bound and where: the pool address was bound when it entered the pool, so it is present.
    expect(outputOf('./addon/dnsmgr bindip')).toBe('OK\naddr=192.0.2.10 interface=veth-s result=present\n');
    // The pool address is on the namespace's interface, not anywhere else.
    const addrs = await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'to', '192.0.2.10']);
    expect(String(addrs.stdout)).toMatch(/veth-s/);
  });
});
