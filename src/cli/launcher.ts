// addon/dnsmgr: starts the bundle beside it (lib/dnsmgr.cjs) through V8's code cache. Every panel request is a new
// process, and compiling the ~350 KB bundle from source, then each function it runs, cost ~8 ms of each one; with the
// cache V8 takes the compiled code as it was left by an earlier process. Nothing here may import the application.
import { isAscii } from 'node:buffer';
import { closeSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(dirname(__filename), 'lib', 'dnsmgr.cjs');
// Beside the launcher, not in lib/: install copies lib/ as it is and compares it, and the cache is each tree's own.
const cacheFile = join(dirname(__filename), 'dnsmgr.cache');
const bytes = readFileSync(bundle);
// The build leaves the bundle pure ASCII (scripts/build.mjs): taken as such, it skips UTF-8 decoding (~0.2 ms).
const source = isAscii(bytes) ? bytes.toString('latin1') : bytes.toString('utf8');
// V8 checks a cache against the source's length only: the key names the very file and the Node that wrote it.
const st = statSync(bundle);
const key = `${st.size}:${st.mtimeMs}:${st.ino}:${process.version}`;
/** Caches made by so many kinds of requests cover what requests run; more are not added. */
const MAX_COVERED = 200;

/**
 * The cache file: the key, a line naming what the cache covers (the kinds of requests whose runs compiled into it),
 * then V8's data. A function that did not run before the cache was written is compiled by every request that runs it
 * (~3 ms of domain.edit when the cache came from another request), so the first run of each new kind writes the cache
 * again, with everything this process had compiled: what it read from the cache and what it compiled itself. What
 * runs rarely (init, install, serve…) names no kind and writes nothing (src/cli/main.ts, `running`).
 */
interface Cache {
  covered: string[];
  data: Buffer;
}

function readCache(): Cache | undefined {
  try {
    const file = readFileSync(cacheFile);
    const keyEnd = file.indexOf(10);
    const coveredEnd = file.indexOf(10, keyEnd + 1);
    if (keyEnd < 0 || coveredEnd < 0 || file.toString('latin1', 0, keyEnd) !== key) return undefined;
    return { covered: file.toString('latin1', keyEnd + 1, coveredEnd).split(' ').filter((w) => w !== ''), data: file.subarray(coveredEnd + 1) };
  } catch {
    return undefined;
  }
}

const cached = readCache();
const script = new Script(Module.wrap(source), { filename: bundle, ...(cached ? { cachedData: cached.data } : {}) });
const usable = cached !== undefined && script.cachedDataRejected !== true;
const main = new Module(bundle);

// Written once the request is done, with what it compiled; by whoever may write beside the bundle, else never.
process.once('exit', () => {
  const ran = whatRan(main.exports);
  if (ran === undefined || (usable && (cached.covered.includes(ran) || cached.covered.length >= MAX_COVERED))) return;
  const covered = [...(usable ? cached.covered : []), ran];
  const tmp = `${cacheFile}.${process.pid}.tmp`;
  try {
    const fd = openSync(tmp, 'wx', 0o644);
    try {
      writeSync(fd, `${key}\n${covered.join(' ')}\n`, null, 'latin1');
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
const start = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
start.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, dirname(bundle));

/** The bundle says what it ran (src/cli/main.ts, `running`): one word, as the cache's list holds it. */
function whatRan(exports: unknown): string | undefined {
  const what = (exports as { running?: { what?: unknown } } | undefined)?.running?.what;
  return typeof what === 'string' && /^[\w.+-]{1,64}$/.test(what) ? what : undefined;
}
