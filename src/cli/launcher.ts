// addon/dnsmgr: starts the bundle beside it (lib/dnsmgr.cjs) through V8's code cache. Every panel request is a new
// process, and compiling the ~500 KB bundle from source, then each function it runs, cost ~8 ms of each one; with the
// cache V8 takes the compiled code as it was left by an earlier process. Nothing here may import the application.
//
// Memory first touched costs here (~0.75 ms per MB on the machines measured: a page fault per 4 KB page), and a request
// reads about a megabyte before it starts. So the bundle comes already wrapped as a CommonJS module function (the build
// writes it so: Module.wrap here made a second copy of the whole source when V8 flattened it, ~1 ms), and the code cache
// is read into the same buffer the bundle was read into, no longer needed once the source is a string.
import { isAscii } from 'node:buffer';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readSync, renameSync, writeSync } from 'node:fs';
import type NodeModule from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

// The module loader's class, as this module's own constructor: require('node:module') would load lib/module.js and what
// it brings (~0.3 ms), which running a file does not otherwise need.
const Module = module.constructor as typeof NodeModule;
const bundle = join(dirname(__filename), 'lib', 'dnsmgr.cjs');
// Beside the launcher, not in lib/: install copies lib/ as it is and compares it, and the caches are each tree's own.
const cacheDir = join(dirname(__filename), 'dnsmgr-cache');
const fd = openSync(bundle, 'r');
const st = fstatSync(fd);
const bytes = readWhole(fd, st.size);
closeSync(fd);
// The build leaves the bundle pure ASCII (scripts/build.mjs): taken as such, it skips UTF-8 decoding (~0.2 ms).
const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
// V8 checks a cache against the source's length only: the key names the very file and the Node that wrote it.
const key = `${st.size}:${st.mtimeMs}:${st.ino}:${process.version}`;
/** Kinds of requests given a cache of their own; more are not added. */
const MAX_KINDS = 200;

/**
 * A cache per kind of request (src/cli/main.ts, `running`: the function, +sok when a form is submitted), holding the
 * code that kind compiled: V8 reads the whole of a cache, and one for every kind (as it was) took each request ~0.5 ms
 * longer to read with four kinds in it, more with each kind added. A function a request did not run when the cache was
 * written is compiled by each later one that runs it. The file's name is guessed from the command line or PARAM_*
 * before the bundle runs; the bundle says whether the kind is one to keep (the rare ones, init, install, serve…, are
 * not). A wrong guess costs speed, never correctness: any cache of this bundle is a valid one.
 *
 * The first run of a kind writes its cache as provisional, and the next run of it that succeeds writes it again, for
 * good: a first run is often not the usual one (a request that failed, the first one after an upgrade migrating the
 * database or writing the passwd file whole), and a cache of its path would leave every later request compiling the
 * usual one. ~1.5 ms a request for domain.edit.
 */
const kind = requestKind(process.argv, process.env);
const cacheFile = join(cacheDir, kind);
const PROVISIONAL = ' provisional';

function readCache(): { data: Buffer; provisional: boolean } | undefined {
  try {
    const file = readCacheFile(cacheFile);
    const keyEnd = file.indexOf(10);
    const header = keyEnd < 0 ? '' : file.toString('latin1', 0, keyEnd);
    if (header !== key && header !== `${key}${PROVISIONAL}`) return undefined;
    return { data: file.subarray(keyEnd + 1), provisional: header !== key };
  } catch {
    return undefined;
  }
}

const cached = readCache();
// The source as the build wrote it: (function (exports, require, module, __filename, __dirname) { … });
const script = new Script(source, { filename: bundle, ...(cached ? { cachedData: cached.data } : {}) });
const usable = cached !== undefined && script.cachedDataRejected !== true;
const main = new Module(bundle);

// Written once the request is done, with what it compiled; by whoever may write beside the bundle, else never.
process.once('exit', (code) => {
  // Only under the name the bundle gives what it ran: a request guessed wrong leaves no cache another would read.
  if (whatRan(main.exports) !== kind) return;
  // None usable: written provisional. A provisional one: written for good by a run that succeeded.
  const final = usable && cached.provisional && code === 0;
  if (usable && !final) return;
  try {
    mkdirSync(cacheDir, { recursive: true, mode: 0o755 });
    const kinds = readdirSync(cacheDir);
    if (!kinds.includes(kind) && kinds.length >= MAX_KINDS) return;
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, `${key}${final ? '' : PROVISIONAL}\n`, null, 'latin1');
      writeSync(fd, script.createCachedData());
    } finally {
      closeSync(fd);
    }
    renameSync(tmp, cacheFile);
  } catch {
    // A read-only installation, or another process writing it now: the next request tries again.
  }
});

main.filename = bundle;
const start = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeModule, filename: string, dirname: string) => void;
start.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, dirname(bundle));

/** The first `size` bytes of an open file (fewer if it is shorter), into `into` when they fit there. */
function readWhole(file: number, size: number, into?: Buffer): Buffer {
  const buf = into !== undefined && size <= into.length ? into : Buffer.allocUnsafeSlow(size);
  let at = 0;
  while (at < size) {
    const n = readSync(file, buf, at, size - at, at);
    if (n === 0) break;
    at += n;
  }
  return buf.subarray(0, at);
}

/** The code cache, read into the bundle's buffer: the source is a string of its own by now. */
function readCacheFile(file: string): Buffer {
  const f = openSync(file, 'r');
  try {
    return readWhole(f, fstatSync(f).size, bytes);
  } finally {
    closeSync(f);
  }
}

/** The bundle says what it ran (src/cli/main.ts, `running`), or nothing for a kind not worth a cache. */
function whatRan(exports: unknown): string | undefined {
  const what = (exports as { running?: { what?: unknown } } | undefined)?.running?.what;
  return typeof what === 'string' ? what : undefined;
}

/**
 * The kind of request as src/cli/main.ts will name it, from what src/cli/args.ts reads: options, then the function
 * and its key=value parameters; without a function, the panel's PARAM_func and PARAM_sok (as dnsmgr-ispmgr, the
 * plugin's <panel>.<func>). A name of letters, digits and . _ + -, else "other".
 */
function requestKind(argv: readonly string[], env: NodeJS.ProcessEnv): string {
  const words = argv.slice(2);
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i] as string;
    if (w === '--root' || w === '-o' || w === '-m' || w === '--listen') i++;
    else if (w === '-i') return 'describe';
    else if (!w.startsWith('-') && !w.startsWith('lang=')) break;
  }
  let what: string | undefined;
  let sok: string | undefined;
  if (i < words.length) {
    what = words[i];
    sok = words.slice(i + 1).find((w) => w.startsWith('sok='))?.slice('sok='.length);
  } else if (/^dnsmgr-[a-z]+$/.test(basename(argv[1] ?? ''))) {
    // A panel's plugin (panels/registry): its functions and events, as main.ts names them.
    what = env.PARAM_func === undefined ? undefined : `${basename(argv[1] ?? '').slice('dnsmgr-'.length)}.${env.PARAM_func}`;
  } else {
    what = env.PARAM_func;
    sok = env.PARAM_sok;
  }
  const name = sok === undefined || sok === '' ? what : `${what}+sok`;
  return name !== undefined && /^[\w.+-]{1,64}$/.test(name) && !name.startsWith('.') ? name : 'other';
}
