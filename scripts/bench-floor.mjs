// Issue 9, goal 1: one request at the floor. `domain.edit` adding a zone and `domain.delete` removing it, each at 0
// and at 100,000 zones (in the database and in named), timed as whole processes in the instance's namespace, each
// against a bare `node -e 0` there and against node + one `rndc status` (the floor of a request that reaches named
// through the rndc program), all three interleaved in the same rounds.
//
// The 100,000 zones are measured twice: served (loaded from their zone files, named idle until their refresh, as on a
// secondary whose masters answer), then during an outage of every master (no zone files: named retries every zone
// from its start, at serial-query-rate, and spends a share of a core on it). The rows say named's CPU in each state.
//
// Run by scripts/bench.mjs (BENCH_FLOOR=0 skips it; the 100,000 step follows BENCH_HEALTH_100K), or alone:
//   node scripts/bench-floor.mjs            (BENCH_RUNS, BENCH_HEALTH_100K as for npm run bench)
//   BENCH_FLOOR_BASE=HEAD node scripts/bench-floor.mjs   adds that commit's build, run in the same rounds (A/B)
//   BENCH_FLOOR_DNSMGR=…/addon/dnsmgr                    measures that build instead of the working tree's
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  addNamespace, deleteNamespace, deleteNamespacesSync, interleaved, logSays, median, pairedRatio, processCpuSeconds, quantile, seedZones, sizeOf, startNamed,
  writeServedZoneFiles,
} from './bench-lib.mjs';

/** The master of the zones: unreachable in the namespace, so named adds each zone and its transfer fails at once. */
const MASTER = '198.51.100.1';

export async function benchFloor({ dnsmgr, base, runs, sizes, log }) {
  const rows = [];
  for (const zones of sizes) rows.push(...await atSize({ dnsmgr, base, runs, zones, log }));
  return rows;
}

async function atSize({ dnsmgr, base, runs, zones, log }) {
  const root = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-floor-'));
  const ns = `dnsmgr-bench-floor-${process.pid}`;
  const key = join(root, 'etc', 'named', 'rndc.key');
  const conf = join(root, 'etc', 'named', 'named.conf');
  const namedLog = join(root, 'named.log');
  const rndcStatus = ['rndc', '-k', key, '-s', '127.0.0.1', 'status'];
  const rndcOk = async () => spawnSync('ip', ['netns', 'exec', ns, ...rndcStatus]).status === 0;
  const inNs = (...a) => ['ip', 'netns', 'exec', ns, process.execPath, dnsmgr, '--root', root, ...a];
  const baseInNs = (...a) => ['ip', 'netns', 'exec', ns, process.execPath, base?.dnsmgr, '--root', root, ...a];
  const rows = [];
  let named;
  try {
    execFileSync(process.execPath, [dnsmgr, '--root', root, 'init'], { env: { ...process.env, DNSMGR_ROOT_PASSWORD: 'bench' } });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface lo\n');
    addNamespace(ns);
    named = await startNamed(ns, conf, namedLog, rndcOk);
    for (const a of [['ipaddr.edit', 'name=192.0.2.10', 'sok=ok'], ['user.edit', 'name=bench', 'passwd=bench-pw', 'ip=192.0.2.10', 'sok=ok']]) {
      const [file, ...args] = inNs(...a);
      execFileSync(file, args);
    }
    const BARE = { label: 'netns: node -e 0', argv: ['ip', 'netns', 'exec', ns, process.execPath, '-e', '0'] };
    const RNDC = {
      label: 'netns: node + rndc status',
      argv: ['ip', 'netns', 'exec', ns, process.execPath, '-e', `require('node:child_process').execFileSync(${JSON.stringify(rndcStatus[0])}, ${JSON.stringify(rndcStatus.slice(1))})`],
    };
    // With a base build, its request runs in the same rounds on the same instance (its own zone names) and gets rows too.
    const measure = (label, argv, baseArgv) => {
      const BASE = base && { label: `${label} (${base.commit})`, argv: baseArgv };
      const [bare, rndc, own, old] = interleaved([BARE, RNDC, { label, argv }, ...(BASE ? [BASE] : [])], { runs, warmup: 3 });
      for (const [what, times] of [[label, own], ...(BASE ? [[BASE.label, old]] : [])]) {
        for (const [compare, b] of [[BARE, bare], [RNDC, rndc]]) {
          const r = { label: what, median: median(times), p90: quantile(times, 0.9), compare: compare.label, compareMedian: median(b), paired: pairedRatio(times, b) };
          rows.push(r);
          log(`${what.padEnd(62)} ${r.median.toFixed(1)} ms  ${(r.median / r.compareMedian).toFixed(2)}× ${compare.label} (${r.compareMedian.toFixed(1)} ms), per round ${r.paired.toFixed(2)}×`);
        }
      }
    };
    // The rows of one state of the instance; `tag` tells the zone names of each state apart.
    const measureBoth = (at, tag) => {
      measure(`floor: domain.edit adding a zone, ${at}`, (i) => inNs('domain.edit', `name=floor${tag}-${i}.example`, `masterip=${MASTER}`, 'sok=ok', 'su=bench'),
        (i) => baseInNs('domain.edit', `name=floor${tag}-b${i}.example`, `masterip=${MASTER}`, 'sok=ok', 'su=bench'));
      measure(`floor: domain.delete of one zone, ${at}`, (i) => inNs('domain.delete', `elid=floor${tag}-${i}.example`, 'su=bench'),
        (i) => baseInNs('domain.delete', `elid=floor${tag}-b${i}.example`, 'su=bench'));
    };
    // named stopped, `meanwhile` done (its files changed while it is down), named started with them.
    const restartNamed = async (what, meanwhile) => {
      await named.stop();
      meanwhile();
      const from = sizeOf(namedLog);
      named = await startNamed(ns, conf, namedLog, async () => logSays(namedLog, 'all zones loaded', from) && rndcOk(), { what });
    };
    if (zones === 0) {
      measureBoth('0 zones', '');
      return rows;
    }
    // The zones as `rndc addzone` leaves them (a row, a line of the view's new-zones file), then named restarted so it
    // has them all: dnsmgr's database and named both hold `zones` zones while the rows are measured.
    const at = `${zones.toLocaleString('en')} zones`;
    let zoneDir;
    await restartNamed(`named with ${zones} zones`, () => { zoneDir = placeZones(root, zones); });
    const outage = await namedCpu(named.pid);
    log(`  named has ${at}, every master unreachable: named ${outage.toFixed(2)} CPU s/s`);
    measureBoth(`${at}, every master unreachable (named retrying them: ${outage.toFixed(2)} CPU s/s)`, '-u');
    // Served: each zone's file in place, as after its transfer; named loads them at start and has nothing to do.
    await restartNamed(`named serving ${zones} zones`, () => writeServedZoneFiles(zoneDir, zoneNames(zones)));
    const served = await namedCpu(named.pid);
    log(`  named serves ${at}: named ${served.toFixed(2)} CPU s/s`);
    measureBoth(`${at}, served (named idle: ${served.toFixed(2)} CPU s/s)`, '-s');
    return rows;
  } finally {
    await named?.stop();
    await deleteNamespace(ns);
    rmSync(root, { recursive: true, force: true });
  }
}

/** The names of the zones placeZones puts in. */
function zoneNames(count) {
  return Array.from({ length: count }, (_, i) => `seed-${i}.example`);
}

/** `count` zones of the user bench as `rndc addzone` leaves them: rows, lines in the shared view's new-zones file. */
function placeZones(root, count) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  try {
    return seedZones(db, root, 'bench', zoneNames(count), { master: MASTER, at: Math.floor(Date.now() / 1000), rname: true });
  } finally {
    db.close();
  }
}

/** named's CPU seconds per second over a few seconds, a few seconds after it said every zone was loaded. */
async function namedCpu(pid) {
  await sleep(3000);
  const c0 = processCpuSeconds(pid);
  const t0 = Date.now();
  await sleep(5000);
  return (processCpuSeconds(pid) - c0) / ((Date.now() - t0) / 1000);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('exit', deleteNamespacesSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  const { buildCurrent, buildPrevious } = await import('./bench-builds.mjs');
  const builds = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
  process.on('exit', () => rmSync(builds, { recursive: true, force: true }));
  // BENCH_FLOOR_DNSMGR: a build made elsewhere (the shared working tree may hold others' unfinished changes).
  const dnsmgr = process.env.BENCH_FLOOR_DNSMGR || buildCurrent(join(builds, 'current')).dnsmgr;
  const base = process.env.BENCH_FLOOR_BASE ? buildPrevious(join(builds, 'base'), process.env.BENCH_FLOOR_BASE) : undefined;
  const sizes = [0, ...(process.env.BENCH_HEALTH_100K === '0' ? [] : [100_000])];
  const rows = await benchFloor({ dnsmgr, base, runs: Number(process.env.BENCH_RUNS ?? 30), sizes, log: (m) => console.error(m) });
  for (const r of rows) console.log(`| ${r.label} | ${r.median.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.compare} | ${r.compareMedian.toFixed(1)} | ${(r.median / r.compareMedian).toFixed(2)}× | ${r.paired.toFixed(2)}× |`);
}
