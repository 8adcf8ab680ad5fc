// npm run bench: what every request pays, measured as whole processes (each panel request starts one), and what the
// zone-health refresh costs at 10,000 and 100,000 zones; written to bench/RESULTS.md. Needs root: it runs real named
// processes in network namespaces of their own (dnsmgr-bench-…, documentation addresses only).
//
// Every figure is a ratio against a comparison measured in the same run: each row runs interleaved with its comparison
// (one run of each in turn), and the medians are compared.
//
// BENCH_RUNS (30): runs per request row. BENCH_GOAL_RUNS (60): runs per row of issue 9's goals 1 and 3 (the floor, and
// the CLI pages of the domain list), whose margins are a few percent of a bare node start. BENCH_HEALTH=0: skip the
// health part. BENCH_HEALTH_100K=0: only 10,000 zones (health and bulk). BENCH_BULK=0: skip the bulk path
// (scripts/bench-bulk.mjs).
// BENCH_HEALTH_RUNS (5): refreshes per zone count. BENCH_LIST_BASE (858fa83): the commit whose `domain` list is compared.
// BENCH_FLOOR=0: skip the rows of one request at 0 and 100,000 zones (scripts/bench-floor.mjs).
// BENCH_LISTS=0: skip the list paging rows (scripts/bench-lists.mjs; BENCH_LISTS_BASE: the build before paging).
// BENCH_BACKENDS=0: skip the rows of BIND beside PowerDNS (scripts/bench-backends.mjs: a zone added, memory, restart).
// BENCH_RECORDS=0: skip the record list rows (scripts/bench-records.mjs: pages of a master zone of 10,000 records).
// BENCH_NAMESPACES=0: skip the namespace rows (scripts/bench-namespaces.mjs: accounts, allow-transfer, named's memory, the naive rewrite).
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, release, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import {
  addNamespace, deleteNamespace, deleteNamespacesSync, interleaved, median, pairedRatio, quantile,
} from './bench-lib.mjs';
import { benchHealth } from './bench-health.mjs';
import { benchFloor } from './bench-floor.mjs';
import { benchNamespaces, renderNamespaces } from './bench-namespaces.mjs';
import { benchBulk } from './bench-bulk.mjs';
import { benchBackends, renderBackendsSection } from './bench-backends.mjs';
import { buildCurrent, buildPrevious, LIST_BASE } from './bench-builds.mjs';
import { renderResults } from './bench-report.mjs';
import { benchLists, listsBase, renderLists } from './bench-lists.mjs';
import { benchRecords } from './bench-records.mjs';

const started = Date.now();
const loadAtStart = loadavg()[0];
// The working tree as it is now, built apart: addon/ may be rebuilt while the benchmark runs.
const builds = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
process.on('exit', () => rmSync(builds, { recursive: true, force: true }));
const current = buildCurrent(join(builds, 'current'));
const DNSMGR = current.dnsmgr;
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
// More rounds where a goal is within a few percent of its line: a median of 30 runs on a shared machine moved by ±3%
// between batches (five batches of 30 rounds of `user` against `node -e 0`: 1.108-1.178×).
const GOAL_RUNS = Number(process.env.BENCH_GOAL_RUNS ?? 60);
const HEALTH = process.env.BENCH_HEALTH !== '0';
const SIZES = [10_000, ...(process.env.BENCH_HEALTH_100K === '0' ? [] : [100_000])];
const HEALTH_RUNS = Number(process.env.BENCH_HEALTH_RUNS ?? 5);
const NS = `dnsmgr-bench-${process.pid}`;
const log = (m) => console.error(m);

process.on('exit', deleteNamespacesSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));

const rows = [];
const BARE = { label: 'node -e 0', argv: [process.execPath, '-e', '0'] };

/** One request row: `runs` rounds of its comparison and itself, in turn, after 3 warm-up rounds. */
function row(label, argv, compare, { env, before } = {}) {
  const [base, own] = interleaved([compare, { label, argv, env, before }], { runs: RUNS, warmup: 3 });
  const r = { label, median: median(own), p90: quantile(own, 0.9), compare: compare.label, compareMedian: median(base), paired: pairedRatio(own, base) };
  rows.push(r);
  log(`${label.padEnd(62)} ${r.median.toFixed(1)} ms  ${(r.median / r.compareMedian).toFixed(2)}× ${compare.label} (${r.compareMedian.toFixed(1)} ms)`);
}

function seedZones(root, count) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  const now = Math.floor(Date.now() / 1000);
  db.transaction(() => {
    const ns = db.prepare("INSERT INTO namespace (name, allow_transfer, created_at) VALUES ('seed', 'none', ?)").run(now).lastInsertRowid;
    const acc = db.prepare("INSERT INTO account (name, level, password_hash, namespace_id, created_at) VALUES ('seed', 16, 'x', ?, ?)").run(ns, now).lastInsertRowid;
    db.prepare("INSERT INTO ipaddr (addr, family, status, assignee_id, namespace_id, created_at) VALUES ('203.0.113.250', 4, 'assigned', ?, ?, ?)").run(acc, ns, now);
    const ins = db.prepare("INSERT INTO zone (name, namespace_id, owner_id, masters, applied_masters, created_at, updated_at) VALUES (?, ?, ?, '198.51.100.1', '198.51.100.1', ?, ?)");
    for (let i = 0; i < count; i++) ins.run(`seed-${i}.example`, ns, acc, now, now);
  })();
  db.close();
}

function unseed(root) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  db.exec("DELETE FROM zone; DELETE FROM ipaddr; DELETE FROM account WHERE name = 'seed'; DELETE FROM namespace WHERE name = 'seed';");
  db.close();
}

// ---- requests ----------------------------------------------------------------------------------------------------

const root = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-'));
const cli = (...a) => [process.execPath, DNSMGR, '--root', root, ...a];
execFileSync(process.execPath, [DNSMGR, '--root', root, 'init'], { env: { ...process.env, DNSMGR_ROOT_PASSWORD: 'bench' } });

row('dnsmgr -i (describe; no database)', cli('-i'), BARE);
row('dnsmgr domain (list, empty database)', cli('domain'), BARE);
seedZones(root, 1000);
row('dnsmgr domain (list of 1,000 zones, text)', cli('domain'), BARE);
row('handler: PARAM_func=domain (1,000 zones, XML)', [process.execPath, DNSMGR], BARE, { env: { DNSMGR_ROOT: root, PARAM_func: 'domain', AUTH_USER: 'root', AUTH_LEVEL: '30' } });
unseed(root);

let named;
try {
  addNamespace(NS);
  writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface lo\n');
  named = spawn('ip', ['netns', 'exec', NS, 'named', '-f', '-c', join(root, 'etc', 'named', 'named.conf')], { stdio: 'ignore' });
  const rndcStatus = ['rndc', '-k', join(root, 'etc', 'named', 'rndc.key'), '-s', '127.0.0.1', 'status'];
  for (let i = 0; i < 100; i++) {
    if (spawnSync('ip', ['netns', 'exec', NS, ...rndcStatus]).status === 0) break;
    execFileSync('sleep', ['0.1']);
  }
  const inNs = (...a) => ['ip', 'netns', 'exec', NS, ...cli(...a)];
  for (const a of [['ipaddr.edit', 'name=192.0.2.10', 'sok=ok'], ['user.edit', 'name=bench', 'passwd=bench-pw', 'ip=192.0.2.10', 'sok=ok']]) {
    const [file, ...args] = inNs(...a);
    execFileSync(file, args);
  }
  // The comparisons inside the namespace: entering it and starting Node, and that plus one rndc call to named.
  const NS_BARE = { label: 'netns: node -e 0', argv: ['ip', 'netns', 'exec', NS, process.execPath, '-e', '0'] };
  const NS_RNDC = {
    label: 'netns: node + rndc status',
    argv: ['ip', 'netns', 'exec', NS, process.execPath, '-e', `require('node:child_process').execFileSync(${JSON.stringify(rndcStatus[0])}, ${JSON.stringify(rndcStatus.slice(1))})`],
  };
  row('netns: node -e 0 (namespace entry)', NS_BARE.argv, BARE);
  // The master (198.51.100.1) is unreachable in this namespace: named adds the zone and its transfer fails locally.
  row('domain.edit (new slave zone: validate, SQLite, rndc addzone)', (i) => inNs('domain.edit', `name=bench-${i}.example`, 'masterip=198.51.100.1', 'sok=ok', 'su=bench'), NS_RNDC);
  row('domain.edit repeated (no change: nothing sent to named)', inNs('domain.edit', 'name=bench-0.example', 'masterip=198.51.100.1', 'sok=ok', 'su=bench'), NS_BARE);
  row('domain.delete (rndc delzone -clean)', (i) => inNs('domain.delete', `elid=bench-${i}.example`, 'su=bench'), NS_RNDC);

  // A master zone's records as a certificate tool changes them: each one DNS UPDATE to named over the loopback.
  {
    const [file, ...args] = inNs('domain.edit', 'dtype=master', 'name=mz.example', 'ns=ns1.example.net', 'sok=ok', 'su=bench');
    execFileSync(file, args);
  }
  row('domain.record.edit (a TXT record: validate, SQLite, DNS UPDATE)', (i) => inNs('domain.record.edit', 'plid=mz.example', `name=_acme-${i}`, 'rtype=txt', 'ttl=60', `value=tok-${i}`, 'sok=ok', 'su=bench'), NS_BARE);
  row('domain.record.delete (by its key: one DNS UPDATE)', (i) => inNs('domain.record.delete', 'plid=mz.example', `elid=_acme-${i}.mz.example. TXT  tok-${i}`, 'sok=ok', 'su=bench'), NS_BARE);

  // The ISPmanager hook as the panel runs it: it queues the change and starts the worker, and must return at once.
  // The slave URL is a closed port on the namespace's own loopback: the worker's attempts fail there and retry later.
  const isp = join(root, 'isp');
  mkdirSync(join(isp, 'etc'), { recursive: true });
  mkdirSync(join(isp, 'addon'), { recursive: true });
  writeFileSync(join(isp, 'etc', 'dnsmgr-ispmgr.conf'), 'SlaveUrl http://127.0.0.1:1/dnsmgr\nSlaveUser bench\nSlavePassword x\nMasterIp 198.51.100.1\nEnabled yes\n');
  symlinkSync(DNSMGR, join(isp, 'addon', 'dnsmgr-ispmgr'));
  row('ISPmanager hook: after domain.edit (queue + start worker)', ['ip', 'netns', 'exec', NS, process.execPath, join(isp, 'addon', 'dnsmgr-ispmgr')], NS_BARE, {
    env: { DNSMGR_ROOT: isp, AUTH_USER: 'root', AUTH_LEVEL: '30', PARAM_func: 'domain.edit', PARAM_sok: 'ok', PARAM_name: 'hooked.example' },
  });
} finally {
  named?.kill('SIGTERM');
  await deleteNamespace(NS);
  rmSync(root, { recursive: true, force: true });
}

// ---- the floor ---------------------------------------------------------------------------------------------------

// One domain.edit adding a zone and one domain.delete, at 0 (and 100,000) zones, against node -e 0 and against node +
// one rndc status, in the instance's namespace (scripts/bench-floor.mjs). BENCH_FLOOR=0 skips them.
if (process.env.BENCH_FLOOR !== '0') rows.push(...await benchFloor({ dnsmgr: DNSMGR, runs: GOAL_RUNS, sizes: [0, ...(SIZES.includes(100_000) ? [100_000] : [])], log }));

// ---- a master zone's records ---------------------------------------------------------------------------------------

// Pages of the record list of a zone of 10,000 records, through the CLI against node -e 0 and over HTTP against the
// accounts list (scripts/bench-records.mjs); the rows go with the request rows.
if (process.env.BENCH_RECORDS !== '0') rows.push(...await benchRecords({ dnsmgr: DNSMGR, runs: RUNS, log }));

// ---- bulk path ---------------------------------------------------------------------------------------------------

// domain.import of 10,000 (and 100,000) zones into named, against one domain.edit request per zone, and the time until
// every zone is transferred; the rows go with the request rows.
if (process.env.BENCH_BULK !== '0') rows.push(...await benchBulk({ dnsmgr: DNSMGR, sizes: SIZES, log }));

// ---- namespaces --------------------------------------------------------------------------------------------------

// Accounts with namespaces of their own at 10,000 (and 100,000) zones: add, delete, allow-transfer, a zone, named's
// memory, against node -e 0 and the naive include rewrite + reconfig (scripts/bench-namespaces.mjs).
const NS_RUNS = Math.min(RUNS, 15);
const namespaces = process.env.BENCH_NAMESPACES === '0' ? [] : await benchNamespaces({ dnsmgr: DNSMGR, runs: NS_RUNS, sizes: SIZES, log });

// ---- the two name servers ---------------------------------------------------------------------------------------

// BIND and PowerDNS behind their own roots in the same namespace: a zone added per request, memory per namespace and
// per zone at 10,000 zones, restart time (scripts/bench-backends.mjs).
const backends = process.env.BENCH_BACKENDS === '0' ? undefined : await benchBackends({ dnsmgr: DNSMGR, zones: 10_000, runs: RUNS, log });

// ---- zone health -------------------------------------------------------------------------------------------------

let health = [];
let previous;
if (HEALTH) {
  log(`building ${LIST_BASE} for the domain list comparison`);
  previous = buildPrevious(join(builds, 'previous'));
  health = await benchHealth({
    dnsmgr: DNSMGR, previous, sizes: SIZES, refreshes: HEALTH_RUNS, log,
    listRuns: (zones) => (zones > 50_000 ? 7 : 15),
  });
}

// ---- lists -------------------------------------------------------------------------------------------------------

// Pages of the domain list through the CLI and over HTTP, and the full list's time and memory against the build before
// paging, on databases of 10,000 (and 100,000) zones.
let lists;
if (process.env.BENCH_LISTS !== '0') {
  const base = listsBase();
  log(`building ${base} for the list paging comparison`);
  lists = await benchLists({ dnsmgr: DNSMGR, previous: buildPrevious(join(builds, 'lists-base'), base), sizes: SIZES, runs: GOAL_RUNS, log });
}

// ---- report ------------------------------------------------------------------------------------------------------

const sh = (cmd, args) => spawnSync(cmd, args, { encoding: 'utf8' }).stdout?.trim() ?? '';
const machine = {
  date: new Date().toISOString().slice(0, 10),
  commit: current.commit,
  dirty: current.changed,
  nproc: availableParallelism(),
  cpu: cpus()[0]?.model ?? 'unknown CPU',
  kernel: release(),
  node: process.version,
  named: sh('named', ['-v']).replace(/\s*<id:[^>]*>$/, ''),
  load: [loadAtStart, loadavg()[0]],
  seconds: (Date.now() - started) / 1000,
};
const listsSection = lists ? `\n${renderLists(lists).join('\n')}` : '';
const namespacesSection = namespaces.length > 0 ? `\n${renderNamespaces(namespaces, NS_RUNS).join('\n')}` : '';
const backendsSection = backends ? `\n${renderBackendsSection(backends)}` : '';
writeFileSync(resolve('bench/RESULTS.md'), renderResults({ machine, runs: RUNS, floorRuns: process.env.BENCH_FLOOR === '0' ? undefined : GOAL_RUNS, rows, health, healthRuns: HEALTH_RUNS, previous }) + namespacesSection + backendsSection + listsSection);
log(`written bench/RESULTS.md (${(machine.seconds / 60).toFixed(1)} min)`);
