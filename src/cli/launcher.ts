// addon/dnsmgr: starts the bundle beside it (lib/dnsmgr.cjs) through V8's code cache. Every panel request is a new
// process, and compiling the ~400 KB bundle from source, then each function it runs, cost ~8 ms of each one; with the
// cache V8 takes the compiled code as it was left by an earlier process. Nothing here may import the application.
import { closeSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join } from 'node:path';
import { Script } from 'node:vm';

const bundle = join(dirname(__filename), 'lib', 'dnsmgr.cjs');
// Beside the launcher, not in lib/: install copies lib/ as it is and compares it, and the cache is each tree's own.
const cacheFile = join(dirname(__filename), 'dnsmgr.cache');
const source = readFileSync(bundle, 'utf8');
// V8 checks a cache against the source's length only: the key names the very file and the Node that wrote it.
const st = statSync(bundle);
const key = Buffer.from(`${st.size}:${st.mtimeMs}:${st.ino}:${process.version}\n`);

function readCache(): Buffer | undefined {
  try {
    const data = readFileSync(cacheFile);
    return data.subarray(0, key.length).equals(key) ? data.subarray(key.length) : undefined;
  } catch {
    return undefined;
  }
}

const cached = readCache();
const script = new Script(Module.wrap(source), { filename: bundle, ...(cached ? { cachedData: cached } : {}) });
if (cached === undefined || script.cachedDataRejected === true) {
  // Written once the request is done, with what it compiled; by whoever may write beside the bundle, else never.
  process.once('exit', () => {
    const tmp = `${cacheFile}.${process.pid}.tmp`;
    try {
      const fd = openSync(tmp, 'wx', 0o644);
      try {
        writeSync(fd, key);
        writeSync(fd, script.createCachedData());
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, cacheFile);
    } catch {
      // A read-only installation, or another process writing it now: the next request tries again.
    }
  });
}
const main = new Module(bundle);
main.filename = bundle;
const start = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: Module, filename: string, dirname: string) => void;
start.call(main.exports, main.exports, Module.createRequire(bundle), main, bundle, dirname(bundle));
