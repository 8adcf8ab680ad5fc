// Bundles the TypeScript sources into addon/lib/dnsmgr.cjs, started by the executable addon/dnsmgr, with no TypeScript
// at run time. Every panel request starts a process, so the bundle holds only what every request needs; libraries that
// some requests use (execa for running tools, bcryptjs for passwords, dns-packet for probing masters) are bundled apart
// beside it and loaded on first use. better-sqlite3's native addon is loaded from node_modules.
import { build } from 'esbuild';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';

const addon = new URL('../addon/', import.meta.url).pathname;
const LAZY = ['execa', 'bcryptjs', 'dns-packet'];
// Built-in modules required on first use instead of when the bundle starts: node:crypto (~1.5 ms to load) serves
// sessions, passwords and key generation, which most requests never reach; node:net (~2 ms with node:stream) only the
// requests that talk to named or serve HTTP; node:timers/promises (~0.2 ms with AbortController) the waits of a few.
const LAZY_BUILTINS = ['node:crypto', 'node:net', 'node:timers/promises'];
// import() of the lazy libraries becomes a require() with ESM interop, so their named exports come through.
// Whitespace goes (a smaller file to read and keep in memory per request); names stay, for readable stack traces.
const common = { bundle: true, platform: 'node', format: 'cjs', target: 'node20', legalComments: 'none', logLevel: 'warning', minifySyntax: true, minifyWhitespace: true, supported: { 'dynamic-import': false } };

/**
 * `import { x } from 'node:crypto'` reads the module through a proxy that requires it on the first access to one of
 * its names: importing costs nothing, using it loads it. The names are the module's as the building Node has them;
 * any other is an ordinary object's (undefined for esbuild's __esModule check), without loading anything. The proxy is the prototype
 * of the exports object, not the object itself: esbuild's import of a CommonJS module copies every own property into a
 * namespace object of its own, built on the module's prototype, which the names are then found through. One proxy per
 * module, where a getter per name (~60 for node:crypto) cost each request ~0.1 ms to define.
 */
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(b) {
    const require = createRequire(import.meta.url);
    // The getters' own require() is the real module.
    b.onResolve({ filter: new RegExp(`^(${LAZY_BUILTINS.join('|')})$`) }, (args) => (args.namespace === 'lazy-builtin' ? { path: args.path, external: true } : { path: args.path, namespace: 'lazy-builtin' }));
    b.onLoad({ filter: /.*/, namespace: 'lazy-builtin' }, (args) => ({
      loader: 'js',
      contents: `let m;\nconst load = () => (m ??= require(${JSON.stringify(args.path)}));\n` +
        `const names = new Set(${JSON.stringify(Object.keys(require(args.path)))});\n` +
        'module.exports = Object.create(new Proxy({}, {\n' +
        '  get: (_, name, receiver) => (names.has(name) ? load()[name] : Reflect.get(Object.prototype, name, receiver)),\n' +
        '  has: (_, name) => names.has(name) || name in Object.prototype,\n' +
        '}));\n',
    }));
  },
};

/**
 * Modules of libraries that export one function and do work when loaded that only a call needs: each importer gets a
 * function that loads the real module on its first call. better-sqlite3's backup (never called by dnsmgr) builds a
 * promisified fs.access when loaded, ~0.2 ms of every request.
 */
const LAZY_FUNCTION_MODULES = [{ importer: /better-sqlite3\/lib\/database\.js$/, path: './methods/backup' }];
const lazyFunctionModules = {
  name: 'lazy-function-modules',
  setup(b) {
    for (const { importer, path } of LAZY_FUNCTION_MODULES) {
      b.onResolve({ filter: new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')}$`) }, async (args) => {
        if (args.namespace === 'lazy-function' || !importer.test(args.importer)) return undefined;
        const real = await b.resolve(args.path, { resolveDir: args.resolveDir, kind: args.kind, namespace: 'lazy-function' });
        return { path: real.path, namespace: 'lazy-function' };
      });
    }
    b.onLoad({ filter: /.*/, namespace: 'lazy-function' }, (args) => ({
      loader: 'js',
      resolveDir: dirname(args.path),
      contents: `module.exports = function (...args) { return require(${JSON.stringify(args.path)}).apply(this, args); };\n`,
    }));
  },
};

/**
 * The bundle as pure ASCII: esbuild escapes non-ASCII characters in strings but not in template literals (msg`…`) or
 * comments, and one such character makes V8 hold the whole ~500 KB source as a two-byte string, slower to read, to
 * check against the code cache and to compile. A \u escape means the same in a template (no code reads .raw of one
 * holding non-ASCII text), a string, a regular expression or a comment.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[^\u0000-\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  if (ascii !== text) writeFileSync(file, ascii);
}

mkdirSync(`${addon}lib`, { recursive: true });
await Promise.all(LAZY.map((name) => build({ ...common, stdin: { contents: `module.exports = require('${name}');`, resolveDir: addon }, outfile: `${addon}lib/${name}.cjs` })));
// The Russian catalog, ~60 KB of text, is required by src/i18n/msg.ts on the first message shown in Russian.
await build({ ...common, charset: 'utf8', entryPoints: [new URL('../src/i18n/ru/index.ts', import.meta.url).pathname], outfile: `${addon}lib/i18n-ru.cjs` });

await build({
  ...common,
  entryPoints: [new URL('../src/cli/main.ts', import.meta.url).pathname],
  outfile: `${addon}lib/dnsmgr.cjs`,
  // Written as the CommonJS module function the launcher runs (Node's Module.wrap, done here once instead of by every
  // request: src/cli/launcher.ts). The file is the launcher's to start, not require()'s.
  banner: { js: '(function (exports, require, module, __filename, __dirname) {' },
  footer: { js: '\n});' },
  // better-sqlite3's JavaScript is bundled (a dozen small files resolved and compiled apart otherwise); its native part
  // is required from node_modules by src/store/db.ts.
  external: ['better-sqlite3/build/Release/better_sqlite3.node'],
  plugins: [lazyBuiltins, lazyFunctionModules, {
    name: 'lazy-libraries',
    setup(b) {
      b.onResolve({ filter: new RegExp(`^(${LAZY.join('|')})$`) }, (args) => ({ path: `./${args.path}.cjs`, external: true }));
      b.onResolve({ filter: /^\.\/ru\/index$/ }, (args) => (args.importer.endsWith('/src/i18n/msg.ts') ? { path: './i18n-ru.cjs', external: true } : undefined));
    },
  }],
});
asciiOnly(`${addon}lib/dnsmgr.cjs`);
// The executable the panel runs: a launcher that starts lib/dnsmgr.cjs through V8's code cache (src/cli/launcher.ts).
await build({ ...common, entryPoints: [new URL('../src/cli/launcher.ts', import.meta.url).pathname], outfile: `${addon}dnsmgr`, banner: { js: '#!/usr/bin/env node' } });
chmodSync(`${addon}dnsmgr`, 0o755);
