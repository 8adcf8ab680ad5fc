// addon/dnsmgr leaves as soon as its request is done (src/cli/main.ts), but not before it has read the page's document
// the panel writes to a handler's standard input: a handler that left earlier would leave the panel writing into a
// closed pipe.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const exe = resolve('addon', 'dnsmgr');
// No installation here: the handler answers with its error document, which is all this needs.
const root = mkdtempSync(join(tmpdir(), 'dnsmgr-leaving-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('leaving', () => {
  it('a handler reads the whole document the panel writes slowly before it leaves', async () => {
    const child = spawn(process.execPath, [exe], {
      env: { ...process.env, DNSMGR_ROOT: root, PARAM_func: 'domain', AUTH_USER: 'root', AUTH_LEVEL: '30' },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => { out += c.toString(); });
    const writeFailures: string[] = [];
    child.stdin.on('error', (e: NodeJS.ErrnoException) => writeFailures.push(e.code ?? e.message));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    let leftEarly = false;
    void exited.then(() => { leftEarly = true; });

    child.stdin.write('<?xml version="1.0" encoding="UTF-8"?>\n<doc>');
    // The answer is written at once; the process waits for the rest of the document (silence shorter than 200 ms).
    for (let i = 0; i < 100 && !out.includes('</doc>'); i++) await sleep(10);
    expect(out).toContain('<error');
    await sleep(120);
    expect(leftEarly).toBe(false);
    child.stdin.end('<elem>x</elem></doc>\n');
    expect(await exited).toBe(3); // the installation is missing: a `missed` error, said in the document
    expect(writeFailures).toEqual([]);
  });

  it('a command-line request leaves with its exit status', async () => {
    const child = spawn(process.execPath, [exe, '--root', root, 'domain'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const code = await new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    expect(code).not.toBe(0);
    expect(code).not.toBe(null);
  });
});
