// Standard output to a slow reader: writeOut waits for it, whatever made the pipe non-blocking, instead of holding the
// rest in memory. A child bundles output.ts, makes its stdout non-blocking (touching process.stdout does), writes 48 MiB
// in 64 KiB pieces to a reader that starts late, and says its peak RSS.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { buildSync } from 'esbuild';

const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-output-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MIB = 48;

function child(): string {
  const bundle = join(dir, 'output.cjs');
  buildSync({ entryPoints: [join(__dirname, '../../src/cli/output.ts')], bundle: true, platform: 'node', format: 'cjs', outfile: bundle, logLevel: 'silent' });
  const script = join(dir, 'writer.cjs');
  writeFileSync(script, `
    const { writeOut } = require(${JSON.stringify(bundle)});
    process.stdout; // makes a pipe non-blocking
    const piece = 'x'.repeat(65536);
    for (let i = 0; i < ${MIB * 16}; i++) writeOut(piece);
    process.stderr.write(String(process.resourceUsage().maxRSS));
  `);
  return script;
}

describe('writeOut', () => {
  const script = child();
  const baseline = Number(execFileSync(process.execPath, ['-e', `require(${JSON.stringify(join(dir, 'output.cjs'))}); process.stdout.write(String(process.resourceUsage().maxRSS))`], { encoding: 'utf8' }));

  it('waits for a full pipe: every byte arrives, memory stays where it was', () => {
    let peak = '';
    const out = execFileSync('sh', ['-c', `"${process.execPath}" "${script}" 2>"${dir}/rss" | (sleep 1; wc -c)`], { encoding: 'utf8' });
    peak = execFileSync('cat', [join(dir, 'rss')], { encoding: 'utf8' });
    expect(Number(out.trim())).toBe(MIB * 1024 * 1024);
    expect(Number(peak) - baseline).toBeLessThan(16 * 1024);
  });

  it('waits for a full socket (a parent\'s stdio pipe) too', async () => {
    const c = spawn(process.execPath, [script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let bytes = 0;
    let peak = '';
    c.stderr.on('data', (d: Buffer) => { peak += d.toString(); });
    c.stdout.pause();
    await new Promise((r) => setTimeout(r, 1000));
    c.stdout.on('data', (d: Buffer) => { bytes += d.length; });
    c.stdout.resume();
    const code = await new Promise((r) => c.on('close', r));
    expect(code).toBe(0);
    expect(bytes).toBe(MIB * 1024 * 1024);
    expect(Number(peak) - baseline).toBeLessThan(16 * 1024);
  });
});
