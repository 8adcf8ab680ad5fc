// Bundles the TypeScript sources into addon/lib/dnsmgr.cjs, started by the executable addon/dnsmgr, with no TypeScript
// at run time. Every panel request starts a process, so the bundle holds only what every request needs; libraries that
// some requests use (execa for running tools, bcryptjs for passwords, dns-packet for probing masters) are bundled apart
// beside it and loaded on first use. better-sqlite3's native addon is loaded from node_modules.
import { build } from 'esbuild';
import { chmodSync, mkdirSync } from 'node:fs';

const addon = new URL('../addon/', import.meta.url).pathname;
const LAZY = ['execa', 'bcryptjs', 'dns-packet'];
// import() of the lazy libraries becomes a require() with ESM interop, so their named exports come through.
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', legalComments: 'none', logLevel: 'warning', minifySyntax: true, supported: { 'dynamic-import': false } };

mkdirSync(`${addon}lib`, { recursive: true });
await Promise.all(LAZY.map((name) => build({ ...common, stdin: { contents: `module.exports = require('${name}');`, resolveDir: addon }, outfile: `${addon}lib/${name}.cjs` })));
// The Russian catalog, ~60 KB of text, is required by src/i18n/msg.ts on the first message shown in Russian.
await build({ ...common, charset: 'utf8', entryPoints: [new URL('../src/i18n/ru/index.ts', import.meta.url).pathname], outfile: `${addon}lib/i18n-ru.cjs` });

await build({
  ...common,
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: `${addon}lib/dnsmgr.cjs`,
  // better-sqlite3's JavaScript is bundled (a dozen small files resolved and compiled apart otherwise); its native part
  // is required from node_modules by src/store/db.ts.
  external: ['better-sqlite3/build/Release/better_sqlite3.node'],
  plugins: [{
    name: 'lazy-libraries',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${LAZY.join('|')})$`) }, (args) => ({ path: `./${args.path}.cjs`, external: true }));
      b.onResolve({ filter: /^\.\/ru\/index$/ }, (args) => (args.importer.endsWith('/src/i18n/msg.ts') ? { path: './i18n-ru.cjs', external: true } : undefined));
    },
  }],
});
// The executable the panel runs: a launcher that starts lib/dnsmgr.cjs through V8's code cache (src/cli/launcher.ts).
await build({ ...common, entryPoints: [new URL('../src/cli/launcher.ts', import.meta.url).pathname], outfile: `${addon}dnsmgr`, banner: { js: '#!/usr/bin/env node' } });
chmodSync(`${addon}dnsmgr`, 0o755);
