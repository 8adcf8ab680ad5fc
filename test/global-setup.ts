// The integration tests run addon/dnsmgr as the panel would: build it once, from the sources under test.
import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Every temporary tree the tests make (tmpdir(): instances' roots, masters' trees, scratch files) goes under one
 * directory of this run, TMPDIR for the test processes and what they start, removed when the run ends: a test that
 * stops before its own cleanup leaves nothing behind in /tmp. Searchable by named running as bind (0755), and a short
 * name: PowerDNS's control sockets live under an instance's root, within a socket path's 107 bytes.
 */
export default function setup(): (() => void) | undefined {
  // Run once per project (bind, powerdns) in the same process: the first makes the directory, and removes it.
  if (process.env.DNSMGR_TEST_TMP !== undefined) return undefined;
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
  const run = mkdtempSync(join(tmpdir(), 'dnsmgr-t-'));
  chmodSync(run, 0o755);
  process.env.DNSMGR_TEST_TMP = run;
  process.env.TMPDIR = run;
  return () => rmSync(run, { recursive: true, force: true });
}
