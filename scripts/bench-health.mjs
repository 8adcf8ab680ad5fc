// The zone-health benchmarks (issue 7, "Speed"): a health refresh at 10,000 and 100,000 real slave zones — CPU of the
// dnsmgr process plus the CPU named spent meanwhile, wall time, dnsmgr's peak memory — and the `domain` list with the
// health columns against the build of the commit before them, on the same database.
//
// The world: two network namespaces joined by a veth (198.51.100.1 master, .2 slave), a master named, and a dnsmgr
// instance made by `dnsmgr init` whose named runs in the slave namespace; the zones, and which of them fail, are
// scripts/bench-zones.mjs's.
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { compareList, listRoots } from './bench-builds.mjs';
import {
  addNamespace, deleteNamespace, ipBatch, logSays, median, processCpuSeconds, runOnce, runUnderTime, sizeOf, startNamed,
} from './bench-lib.mjs';
import {
  cloneZoneFiles, countOf, failing, lost, MASTER_IP, neverLoaded, placeZones, range, rndcEach, startMaster, waitForQuiet,
  waitForTransfers, zoneName,
} from './bench-zones.mjs';

/**
 * opts: { dnsmgr, sizes: [10000, 100000], refreshes, listRuns: (zones) => rounds, previous: { commit, dnsmgr } | undefined, log }.
 * Returns one result per size (see measureSize).
 */
export async function benchHealth(opts) {
  const { dnsmgr, sizes, log } = opts;
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const M = `dnsmgr-bench-${tag}-m`;
  const S = `dnsmgr-bench-${tag}-s`;
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-health-'));
  const root = join(work, 'slave');
  const largest = Math.max(...sizes);
  const results = [];
  let template;
  let master;
  let slave;
  try {
    addNamespace(M);
    addNamespace(S);
    // The veth is made inside the master namespace with its peer moved straight into the slave's: it never exists in
    // the host namespace.
    ipBatch(M, [`link add veth-m type veth peer name veth-s netns ${S}`, `addr add ${MASTER_IP}/24 dev veth-m`, 'link set veth-m up']);
    ipBatch(S, ['addr add 198.51.100.2/24 dev veth-s', 'link set veth-s up']);

    const masterDir = join(work, 'master');
    const t0 = Date.now();
    master = await startMaster(M, masterDir, largest, (i) => !neverLoaded(i));
    log(`master named serves ${largest - countOf(neverLoaded, 0, largest)} zones (${((Date.now() - t0) / 1000).toFixed(0)} s to load)`);

    // The instance, as an administrator makes one: init, named, an address and a user (its namespace, its view) per
    // zone batch.
    const inS = (argv) => ['ip', 'netns', 'exec', S, ...argv];
    const cli = (...a) => [process.execPath, dnsmgr, '--root', root, ...a];
    runOnce(cli('init'), { env: { DNSMGR_ROOT_PASSWORD: 'bench-root' } });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface veth-s\n');
    const namedConf = join(root, 'etc', 'named', 'named.conf');
    const namedLog = join(work, 'slave-named.log');
    const rndcKey = join(root, 'etc', 'named', 'rndc.key');
    const rndc = ['ip', 'netns', 'exec', S, 'rndc', '-k', rndcKey, '-s', '127.0.0.1'];
    const rndcOk = () => spawnSync(rndc[0], [...rndc.slice(1), 'status']).status === 0;
    const startSlave = async () => {
      const from = sizeOf(namedLog);
      return startNamed(S, namedConf, namedLog, async () => logSays(namedLog, 'all zones loaded', from) && rndcOk(), { what: 'slave named' });
    };
    slave = await startSlave();
    const batches = sizes.map((n, k) => ({ from: k === 0 ? 0 : sizes[k - 1], to: n, login: `bench${k}`, ip: `192.0.2.${10 + k}` }));
    for (const b of batches) {
      runOnce(inS(cli('ipaddr.edit', `name=${b.ip}`, 'sok=ok')));
      runOnce(inS(cli('user.edit', `name=${b.login}`, 'passwd=bench-pw', `ip=${b.ip}`, 'sok=ok')));
    }

    for (const [k, b] of batches.entries()) {
      // Stop named, put the batch in place, start it. The first batch is transferred from the master; later ones get
      // the zone file named wrote for the first zone, with the name changed, as if they had been transferred too.
      await slave.stop();
      const { view, zoneDir } = placeZones(root, b);
      if (k > 0) cloneZoneFiles(template, zoneDir, b);
      const t1 = Date.now();
      slave = await startSlave();
      await waitForTransfers(zoneDir, b.to - b.from - countOf(neverLoaded, b.from, b.to), log);
      if (k === 0) {
        template = { file: join(zoneDir, `${zoneName(b.from)}.db`), name: zoneName(b.from) };
        // Every zone is in; from now on the master serves only the zones that do not fail (the others are lost).
        master.serveOnly((i) => !failing(i));
      }
      // named asks the master for the batch's lost zones (it would at each zone's next refresh) and is REFUSED.
      await rndcEach(rndc, range(b.from, b.to).filter(lost).map((i) => ['refresh', zoneName(i), 'IN', view]), 4);
      await waitForQuiet(rndc);
      const setupSeconds = (Date.now() - t1) / 1000;
      log(`${b.to} zones in named (${b.to - b.from} added in view ${view}, ${k === 0 ? 'transferred' : 'zone files in place'}; ${setupSeconds.toFixed(0)} s)`);
      results.push(await measureSize({ ...opts, S, root, cli, namedPid: slave.pid, zones: b.to, setupSeconds, transferred: k === 0, work }));
    }
  } finally {
    await slave?.stop().catch(() => undefined);
    await master?.stop().catch(() => undefined);
    await deleteNamespace(S);
    await deleteNamespace(M);
    rmSync(work, { recursive: true, force: true });
  }
  return results;
}

/** What named does by itself with no request running: its CPU over a quiet window, per second. */
async function namedIdleRate(pid, seconds) {
  const c0 = processCpuSeconds(pid);
  const t0 = Date.now();
  await sleep(seconds * 1000);
  return (processCpuSeconds(pid) - c0) / ((Date.now() - t0) / 1000);
}

/**
 * At one zone count: the first refresh after the zones arrived, then rounds of `node -e 0`, a refresh as configured
 * (automatic retransfers on, RetransferLimit's default) and a refresh with RetransferLimit 0 (the state alone), all in
 * the slave namespace under GNU time, with named's CPU counted around each refresh. Then the `domain` list against the
 * previous build on copies of this database.
 */
async function measureSize(ctx) {
  const { S, root, cli, namedPid, zones, refreshes, log } = ctx;
  const prefix = ['ip', 'netns', 'exec', S];
  const eventLog = join(root, 'var', 'log', 'dnsmgr.log');
  const confFile = join(root, 'etc', 'dnsmgr.conf');
  const conf = readFileSync(confFile, 'utf8');
  const refresh = (retransfers = true) => {
    writeFileSync(confFile, retransfers ? conf : `${conf}RetransferLimit 0\n`);
    // The zones that never loaded are due for their next automatic retransfer attempt, as they are every 15 s at
    // first: every configured refresh makes as many attempts as it may, whatever the time between two refreshes.
    if (retransfers) makeRetransfersDue(root);
    const logFrom = sizeOf(eventLog);
    const attempts0 = retransferAttempts(root);
    const cpu0 = processCpuSeconds(namedPid);
    const r = runUnderTime(prefix, cli('domain.health.update'));
    const namedCpu = processCpuSeconds(namedPid) - cpu0;
    if (r.stdout.trim() !== 'OK') throw new Error(`domain.health.update said ${r.stdout}`);
    const logged = sizeOf(eventLog) > logFrom ? readFileSync(eventLog, 'utf8').slice(logFrom) : '';
    const sent = [...logged.matchAll(/retransferred (\d+) zone/g)].reduce((sum, m) => sum + Number(m[1]), 0);
    return { ...r, namedCpu, total: r.cpu + namedCpu, retransfers: sent, attempts: retransferAttempts(root) - attempts0 };
  };
  const show = (what, r) => log(`  ${what}: ${r.ms.toFixed(0)} ms, dnsmgr ${r.cpu.toFixed(2)} s + named ${r.namedCpu.toFixed(2)} s CPU, ${(r.maxRssKiB / 1024).toFixed(0)} MiB, ${r.attempts} attempts, ${r.retransfers} retransfers`);
  const first = refresh();
  show('first refresh', first);
  const namedIdle = await namedIdleRate(namedPid, 10);
  const bare = [];
  const full = [];
  const stateOnly = [];
  for (let i = 0; i < refreshes; i++) {
    bare.push(runUnderTime(prefix, [process.execPath, '-e', '0']));
    full.push(refresh(true));
    show(`refresh ${i + 1}/${refreshes}`, full.at(-1));
    stateOnly.push(refresh(false));
    show(`refresh ${i + 1}/${refreshes}, RetransferLimit 0`, stateOnly.at(-1));
  }
  writeFileSync(confFile, conf);
  const statuses = statusCounts(root);
  let list;
  if (ctx.previous) {
    const roots = listRoots(root, ctx.work);
    list = compareList({ dnsmgr: ctx.dnsmgr, previous: ctx.previous, roots, zones, runs: ctx.listRuns(zones) });
    log(`  domain list: ${ctx.previous.commit} ${list.before.median.toFixed(0)} ms, now ${list.now.median.toFixed(0)} ms (${(list.now.median / list.before.median).toFixed(2)}×)`);
    rmSync(roots.now, { recursive: true, force: true });
    rmSync(roots.before, { recursive: true, force: true });
  }
  const summary = (rows) => Object.fromEntries(['ms', 'cpu', 'namedCpu', 'total', 'maxRssKiB', 'retransfers', 'attempts'].map((k) => [k, median(rows.map((r) => r[k]))]));
  return {
    zones,
    failing: countOf(failing, 0, zones),
    neverLoaded: countOf(neverLoaded, 0, zones),
    setupSeconds: ctx.setupSeconds,
    transferred: ctx.transferred,
    statuses,
    namedIdle,
    runs: refreshes,
    first,
    full: { ...summary(full), maxRssKiBMax: Math.max(...full.map((r) => r.maxRssKiB)) },
    stateOnly: { ...summary(stateOnly), maxRssKiBMax: Math.max(...stateOnly.map((r) => r.maxRssKiB)) },
    bare: summary(bare),
    list,
  };
}

/** Automatic retransfer attempts so far (zone_health.retransfers counts them per zone: looks at the master, retransfers). */
function retransferAttempts(root) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'), { readonly: true });
  try {
    return db.prepare('SELECT coalesce(sum(retransfers), 0) FROM zone_health').pluck().get();
  } finally {
    db.close();
  }
}

function makeRetransfersDue(root) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  try {
    db.pragma('busy_timeout = 15000');
    db.prepare("UPDATE zone_health SET retransfer_due = strftime('%s', 'now') - 1 WHERE retransfer_due IS NOT NULL").run();
  } finally {
    db.close();
  }
}

function statusCounts(root) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'), { readonly: true });
  try {
    return Object.fromEntries(db.prepare('SELECT status || coalesce(\'/\' || reason, \'\') AS s, count(*) AS n FROM zone_health GROUP BY 1').all().map((r) => [r.s, r.n]));
  } finally {
    db.close();
  }
}

// Run alone while developing: node scripts/bench-health.mjs [sizes…]
if (import.meta.url === `file://${process.argv[1]}`) {
  const { buildCurrent, buildPrevious } = await import('./bench-builds.mjs');
  const sizes = process.argv.slice(2).map(Number);
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
  const previous = buildPrevious(join(work, 'previous'));
  const r = await benchHealth({ dnsmgr: buildCurrent(join(work, 'current')).dnsmgr, previous, sizes: sizes.length ? sizes : [10000], refreshes: 2, listRuns: () => 3, log: (m) => console.error(m) });
  rmSync(work, { recursive: true, force: true });
  console.log(JSON.stringify(r, (k, v) => (k === 'stdout' ? undefined : v), 2));
}
