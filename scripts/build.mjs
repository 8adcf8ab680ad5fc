// Bundles the TypeScript sources into one executable, addon/dnsmgr.
// One file and no TypeScript at run time: every panel request starts a process, so module resolution is kept minimal.
import { build } from 'esbuild';
import { chmodSync } from 'node:fs';

const outfile = new URL('../addon/dnsmgr', import.meta.url).pathname;
await build({
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile,
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Native addon: resolved from node_modules next to the project at run time.
  external: ['better-sqlite3'],
  banner: { js: '#!/usr/bin/env node' },
  legalComments: 'none',
  logLevel: 'warning',
});
chmodSync(outfile, 0o755);
