// The builds the benchmarks run, each made in a directory of its own with its own scripts/build.mjs: the working tree as
// it is when the run starts (so a rebuild of addon/ meanwhile changes nothing measured), and the commit before zone
// health (BENCH_LIST_BASE, 858fa83 by default) for the `domain` list comparison, on copies of the same database.
import { execFileSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { interleaved, median, quantile } from './bench-lib.mjs';

export const LIST_BASE = process.env.BENCH_LIST_BASE ?? '858fa83';

/** The working tree's sources, copied and built; returns the executable and what it was built from. */
export function buildCurrent(dir) {
  mkdirSync(join(dir, 'addon'), { recursive: true });
  for (const path of ['src', 'scripts/build.mjs', 'package.json', 'addon/package.json']) cpSync(resolve(path), join(dir, path), { recursive: true });
  const git = (...args) => execFileSync('git', args, { encoding: 'utf8' });
  // Porcelain lines are "XY path": the status letters may be blank, so nothing is trimmed before the path is cut out.
  const changed = git('status', '--porcelain', '--', 'src', 'scripts/build.mjs', 'package.json').split('\n').filter(Boolean).map((l) => l.slice(3));
  return { ...build(dir), commit: git('rev-parse', '--short', 'HEAD').trim(), changed };
}

/** Extracts the commit into a directory and builds it there; returns its executable. */
export function buildPrevious(dir, commit = LIST_BASE) {
  mkdirSync(dir, { recursive: true });
  execFileSync('bash', ['-c', 'git archive "$1" | tar -x -C "$2"', 'git-archive', commit, dir], { cwd: resolve('.') });
  return { ...build(dir), commit: execFileSync('git', ['rev-parse', '--short', commit], { encoding: 'utf8' }).trim() };
}

function build(dir) {
  symlinkSync(resolve('node_modules'), join(dir, 'node_modules'));
  execFileSync(process.execPath, [join(dir, 'scripts', 'build.mjs')], { cwd: dir, stdio: 'inherit' });
  return { dnsmgr: join(dir, 'addon', 'dnsmgr') };
}

/**
 * Two roots beside the instance, each with its dnsmgr.conf and a compacted copy of its database (VACUUM INTO, so both
 * read equally fresh files): one as it is, one taken back to schema 3 (zone_health dropped; the zone table keeps its
 * suspended_at column, which the old `SELECT z.*` reads past).
 */
export function listRoots(root, work) {
  const make = (name) => {
    const r = mkdtempSync(join(work, `${name}-`));
    mkdirSync(join(r, 'etc'), { recursive: true });
    mkdirSync(join(r, 'var'), { recursive: true });
    copyFileSync(join(root, 'etc', 'dnsmgr.conf'), join(r, 'etc', 'dnsmgr.conf'));
    copyFileSync(join(root, 'etc', 'dnsmgr.passwd'), join(r, 'etc', 'dnsmgr.passwd'));
    const src = new Database(join(root, 'var', 'dnsmgr.db'), { readonly: true });
    src.exec(`VACUUM INTO '${join(r, 'var', 'dnsmgr.db')}'`);
    src.close();
    return r;
  };
  const now = make('list-now');
  const before = make('list-before');
  const db = new Database(join(before, 'var', 'dnsmgr.db'));
  db.exec('DROP TABLE zone_health; PRAGMA user_version = 3; VACUUM;');
  db.close();
  return { now, before };
}

/** Rounds of `node -e 0`, the previous build's `domain` and this build's, text output, on the two copies. */
export function compareList({ dnsmgr, previous, roots, zones, runs }) {
  const list = (exe, r) => [process.execPath, exe, '--root', r, 'domain'];
  const rows = (exe, r) => execFileSync(list(exe, r)[0], list(exe, r).slice(1), { encoding: 'utf8', maxBuffer: 1 << 30 }).split('\n').filter(Boolean);
  const [was, is] = [rows(previous.dnsmgr, roots.before), rows(dnsmgr, roots.now)];
  if (was.length !== zones || is.length !== zones) throw new Error(`domain listed ${was.length} (before) and ${is.length} (now) rows, expected ${zones}`);
  const [bare, before, now] = interleaved([
    { label: 'node -e 0', argv: [process.execPath, '-e', '0'] },
    { label: `domain (${previous.commit})`, argv: list(previous.dnsmgr, roots.before) },
    { label: 'domain (now)', argv: list(dnsmgr, roots.now) },
  ], { runs, warmup: 2 });
  const stat = (xs) => ({ median: median(xs), p90: quantile(xs, 0.9) });
  return { zones, runs, bare: stat(bare), before: stat(before), now: stat(now), sampleBefore: was[0], sampleNow: is[0] };
}
