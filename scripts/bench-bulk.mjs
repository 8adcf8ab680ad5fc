// The bulk path (issue 9, goals 2 and 6): zones per second into named through one `domain.import`, against the same
// zones added one `domain.edit` request each, measured in the same run; then how long named takes to transfer them all
// from a local master. Run by scripts/bench.mjs (BENCH_BULK=0 skips it; the 100,000 step follows BENCH_HEALTH_100K), or
// alone: `node scripts/bench-bulk.mjs [10000 [100000]]` (as root: it makes network namespaces dnsmgr-bench-…).
// Each import logs where its time went: its own CPU, each named's CPU, and the rate named received commands at, per
// tenth of the import. To look closer: BENCH_BULK_PROF=DIR (the import under node --cpu-prof), BENCH_BULK_NO_TRANSFER=1
// (zones whose master never answers: named's cost of the commands alone), BENCH_BULK_WAIT=0 (no waiting for the
// transfers), BENCH_BULK_SLAVE_OPTIONS='transfers-in 50; …' (the slave named's options replaced).
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { addNamespace, deleteNamespace, deleteNamespacesSync, ipBatch, logSays, median, runOnce, sizeOf, startNamed } from './bench-lib.mjs';
import { MASTER_IP, startMaster, zoneName } from './bench-zones.mjs';

/** The slave's kernel settings for transfers at bulk rate (README; etc/dnsmgr-sysctl.conf, written by install). */
const SYSCTLS = ['net.ipv4.ip_local_port_range=10240 65535', 'net.ipv4.tcp_max_tw_buckets=4096'];

/** Single requests timed for the comparison (each a whole process, as the panel runs them). */
const SINGLE_RUNS = 40;

/**
 * Returns request rows for bench/RESULTS.md: per size, the milliseconds per zone of one `domain.import` against one
 * `domain.edit` per zone, and the seconds until named has transferred every zone.
 */
export async function benchBulk({ dnsmgr, sizes, log }) {
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const M = `dnsmgr-bench-${tag}-m`;
  const S = `dnsmgr-bench-${tag}-s`;
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-bulk-'));
  const root = join(work, 'slave');
  const total = sizes.reduce((a, b) => a + b, 0) + SINGLE_RUNS + 3;
  const rows = [];
  let master;
  let slave;
  try {
    addNamespace(M);
    addNamespace(S);
    ipBatch(M, [`link add veth-m type veth peer name veth-s netns ${S}`, `addr add ${MASTER_IP}/24 dev veth-m`, 'link set veth-m up']);
    ipBatch(S, ['addr add 198.51.100.2/24 dev veth-s', 'link set veth-s up']);
    // The slave opens a TCP connection per transfer; each closed one keeps its port for a minute (TIME_WAIT), and with
    // tens of thousands of them the kernel's search for a free port takes most of named's CPU (transfers fall to
    // 40–300/s). The settings the README advises, in this namespace only.
    execFileSync('ip', ['netns', 'exec', S, 'sysctl', '-qw', ...SYSCTLS]);
    const t0 = Date.now();
    master = await startMaster(M, join(work, 'master'), total, () => true);
    log(`bulk: master named serves ${total} zones (${((Date.now() - t0) / 1000).toFixed(0)} s to load)`);

    const inS = (argv) => ['ip', 'netns', 'exec', S, ...argv];
    const cli = (...a) => [process.execPath, dnsmgr, '--root', root, ...a];
    runOnce(cli('init'), { env: { DNSMGR_ROOT_PASSWORD: 'bench-root' } });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface veth-s\n');
    // BENCH_BULK_SLAVE_OPTIONS='serial-query-rate 100; transfers-in 50;': the slave named's options, replaced as
    // written by init, to measure what pacing the transfers does to the rate zones go in at.
    const optionsWanted = (process.env.BENCH_BULK_SLAVE_OPTIONS ?? '').split(';').map((o) => o.trim()).filter(Boolean);
    if (optionsWanted.length > 0) {
      const confFile = join(root, 'etc', 'named', 'named.conf');
      let conf = readFileSync(confFile, 'utf8');
      for (const o of optionsWanted) {
        const name = o.split(/\s+/)[0];
        const line = new RegExp(`^\\t${name} [^;]*;$`, 'm');
        conf = line.test(conf) ? conf.replace(line, `\t${o};`) : conf.replace(/^options \{$/m, `options {\n\t${o};`);
      }
      writeFileSync(confFile, conf);
      log(`bulk: slave named options: ${optionsWanted.join('; ')}`);
    }
    const namedLog = join(work, 'slave-named.log');
    const rndc = ['ip', 'netns', 'exec', S, 'rndc', '-k', join(root, 'etc', 'named', 'rndc.key'), '-s', '127.0.0.1'];
    slave = await startNamed(S, join(root, 'etc', 'named', 'named.conf'), namedLog,
      async () => logSays(namedLog, 'running') && spawnSync(rndc[0], [...rndc.slice(1), 'status']).status === 0, { what: 'slave named' });
    runOnce(inS(cli('ipaddr.edit', 'name=192.0.2.10', 'sok=ok')));
    runOnce(inS(cli('user.edit', 'name=bench', 'passwd=bench-pw', 'ip=192.0.2.10', 'sok=ok')));

    // The comparison: one zone per request, as a panel or a script adds them today.
    let next = 0;
    const singles = [];
    for (let k = 0; k < SINGLE_RUNS + 3; k++) {
      const t = process.hrtime.bigint();
      const r = spawnSync(...split(inS(cli('domain.edit', `name=${zoneName(next++)}`, `masterip=${MASTER_IP}`, 'sok=ok', 'su=bench'))), { encoding: 'utf8' });
      if (r.stdout !== 'OK\n') throw new Error(`domain.edit: ${r.stdout}${r.stderr}`);
      if (k >= 3) singles.push(Number(process.hrtime.bigint() - t) / 1e6);
    }
    const single = median(singles);
    // The user's view directory, as named writes the transferred zones into it.
    const zoneDir = join(root, 'var', 'named', 'slave', readdirSync(join(root, 'var', 'named', 'slave'))[0]);
    log(`bulk: domain.edit, one zone per request: ${single.toFixed(1)} ms per zone (${(1000 / single).toFixed(1)} zones/s)`);

    // BENCH_BULK_NO_TRANSFER=1: the imported zones name a master nobody answers for, so named transfers nothing while
    // they are added (named's own cost of the commands, apart from the transfers it runs meanwhile).
    const importMaster = process.env.BENCH_BULK_NO_TRANSFER === '1' ? '192.0.2.99' : MASTER_IP;
    for (const size of sizes) {
      const file = join(work, `import-${size}.txt`);
      const from = next;
      writeFileSync(file, `${Array.from({ length: size }, () => `${zoneName(next++)} ${importMaster} bench`).join('\n')}\n`);
      const before = readdirSync(zoneDir).filter((f) => f.endsWith('.db')).length;
      const logFrom = sizeOf(namedLog);
      const cpuFrom = { slave: cpuTicks(slave.pid), master: cpuTicks(master.pid) };
      const t = Date.now();
      const r = spawnSync(...split(inS(timed([process.execPath, ...profiled(), dnsmgr, '--root', root, 'domain.import', `file=${file}`]))), { encoding: 'utf8', maxBuffer: 1 << 28 });
      const ms = Date.now() - t;
      // Where the time went: the import process's CPU (GNU time, last stderr line), each named's CPU over the import,
      // and the rate named received commands at, per tenth of the import (its log's 'received control channel command').
      const own = r.stderr.trim().split('\n').pop() ?? '';
      const ticks = (k) => (cpuTicks(k === 'slave' ? slave.pid : master.pid) - cpuFrom[k]) / 100;
      log(`bulk:   CPU s over ${(ms / 1000).toFixed(1)} s: import process ${own}, slave named ${ticks('slave').toFixed(1)}, master named ${ticks('master').toFixed(1)}`);
      log(`bulk:   commands/s per tenth of the import: ${commandRates(namedLog, logFrom).join(' ')}`);
      const summary = r.stdout.split('\n').slice(0, 2).join(' ');
      if (!summary.startsWith(`OK added=${size} `)) throw new Error(`domain.import of ${size} (zones ${zoneName(from)}…): ${r.stdout.slice(0, 500)}${r.stderr.slice(0, 500)}`);
      const perZone = ms / size;
      log(`bulk: domain.import of ${size} zones: ${(ms / 1000).toFixed(1)} s, ${(size / (ms / 1000)).toFixed(0)} zones/s (${(single / perZone).toFixed(0)}× one request per zone)`);
      rows.push({
        label: `domain.import of ${size.toLocaleString('en')} zones: ms per zone (${(size / (ms / 1000)).toFixed(0)} zones/s into named)`,
        median: perZone, p90: perZone, compare: 'domain.edit, one zone per request', compareMedian: single,
      });
      if (importMaster !== MASTER_IP || process.env.BENCH_BULK_WAIT === '0') continue;
      // Goal 6: every zone transferred (named writes each zone's file when its transfer ends).
      const transferred = await waitForFiles(zoneDir, before + size, log, size > 50_000 ? 1_200_000 : 300_000);
      const all = (Date.now() - t) / 1000;
      log(`bulk: ${transferred ? 'all' : 'NOT all'} ${size} zones transferred ${all.toFixed(0)} s after the import started (${logCount(namedLog, logFrom, 'deferred due to quota')} transfers deferred by quota)`);
      rows.push({
        label: `${size.toLocaleString('en')} zones imported and transferred from a local master (slave's ${SYSCTLS.join(', ')}): ms until the last zone was in${transferred ? '' : ' (NOT all transferred)'}`,
        median: all * 1000, p90: all * 1000, compare: 'goal: 100,000 zones in 10 min (600 s)', compareMedian: 600_000 * (size / 100_000),
      });
    }
  } finally {
    await slave?.stop().catch(() => undefined);
    await master?.stop().catch(() => undefined);
    await deleteNamespace(S);
    await deleteNamespace(M);
    rmSync(work, { recursive: true, force: true });
  }
  return rows;
}

/** BENCH_BULK_PROF=DIR: the import runs under node --cpu-prof, its profile written in DIR. */
function profiled() {
  const dir = process.env.BENCH_BULK_PROF;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}

function timed(argv) {
  return ['/usr/bin/time', '-f', 'user %U sys %S', ...argv];
}

/** utime + stime of a process, all threads, in clock ticks (1/100 s). */
function cpuTicks(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'latin1');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return 0;
  }
}

/** Commands named logged receiving after byte `from`, per second, in ten equal stretches from the first to the last. */
function commandRates(file, from) {
  const r = spawnSync('bash', ['-c', 'tail -c +"$2" "$1" | grep -- "received control channel command .\\(addzone\\|modzone\\|delzone\\)"', 'rates', file, String(from + 1)], { encoding: 'utf8', maxBuffer: 1 << 28 });
  const times = r.stdout.split('\n').filter(Boolean).map((l) => {
    const m = /^(\d+-\w+-\d+ [\d:.]+)/.exec(l);
    return m ? Date.parse(m[1].replace(/^(\d+)-(\w+)-(\d+)/, '$2 $1 $3') + 'Z') : NaN;
  }).filter((n) => !Number.isNaN(n));
  if (times.length < 10) return [`${times.length} commands`];
  const first = times[0];
  const span = times[times.length - 1] - first;
  const counts = new Array(10).fill(0);
  for (const x of times) counts[Math.min(9, Math.floor(((x - first) / Math.max(span, 1)) * 10))]++;
  return counts.map((c) => (c / Math.max(span / 10000, 0.001)).toFixed(0));
}

function split(argv) {
  return [argv[0], argv.slice(1)];
}

async function waitForFiles(dir, expected, log, timeoutMs) {
  const started = Date.now();
  let last = started;
  for (;;) {
    const n = readdirSync(dir).filter((f) => f.endsWith('.db')).length;
    if (n >= expected) return true;
    if (Date.now() - started > timeoutMs) return false;
    if (Date.now() - last > 30_000) {
      log(`bulk:   ${n} of ${expected} zone files written`);
      last = Date.now();
    }
    await sleep(250);
  }
}

function logCount(file, from, text) {
  const r = spawnSync('bash', ['-c', 'tail -c +"$2" "$1" | grep -c -- "$3"', 'count', file, String(from + 1), text], { encoding: 'utf8' });
  return Number(r.stdout.trim() || 0);
}

// Alone: builds the working tree apart (addon/ may be rebuilt meanwhile) and prints the rows.
if (import.meta.url === `file://${process.argv[1]}`) {
  const { buildCurrent } = await import('./bench-builds.mjs');
  process.on('exit', deleteNamespacesSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  const builds = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
  try {
    const { dnsmgr } = buildCurrent(join(builds, 'current'));
    const sizes = process.argv.slice(2).map(Number).filter((n) => n > 0);
    const rows = await benchBulk({ dnsmgr, sizes: sizes.length > 0 ? sizes : [10_000], log: (m) => console.error(m) });
    for (const r of rows) console.log(`${r.label}: ${r.median.toFixed(2)} vs ${r.compare} ${r.compareMedian.toFixed(2)} (${(r.median / r.compareMedian).toFixed(3)}×)`);
  } finally {
    rmSync(builds, { recursive: true, force: true });
    execFileSync('true');
  }
}
