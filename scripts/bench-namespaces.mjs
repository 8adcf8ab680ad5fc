// Issue 9, goals 4, 5 and 7: namespaces at a provider's scale. One instance with `zones` zones spread over `zones / 50`
// accounts, each with a namespace of its own on its own pool address (bound on the loopback of the instance's network
// namespace, 127.2.0.0/16), all in named. Measured, interleaved in the same rounds, as whole processes in that network
// namespace:
//   - adding an account with a namespace of its own (user.edit ip=…), and deleting it (user.delete);
//   - changing one namespace's allow-transfer (namespace.edit; its 50 zones get the new list);
//   - one domain.edit adding a zone (a change of the kind goal 7 counts);
//   - against a bare `node -e 0` there, and against the naive way (rewrite one include with every zone, then
//     `rndc reconfig`), done by a node process on a second named holding the same number of zones in that include.
//   - a page of 10 of each list that grows with the accounts (user, namespace, ipaddr);
// And named's memory with all those namespaces and zones (VmRSS), against the goal of 8 GB for 2,000 and 100,000.
// Both nameds serve their zones from zone files (scripts/bench-lib.mjs writeServedZoneFiles): loaded at start, no
// refresh due while the rows run, as on a secondary whose masters answer.
//
// Run by scripts/bench.mjs (BENCH_NAMESPACES=0 skips it; the 100,000 step follows BENCH_HEALTH_100K), or alone:
//   node scripts/bench-namespaces.mjs
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import {
  addNamespace, deleteNamespace, deleteNamespacesSync, interleaved, ipBatch, logSays, median, pairedRatio, quantile, seedZones, sizeOf, startNamed, writeServedZoneFiles,
  writeSharedNzf,
} from './bench-lib.mjs';

/** Unreachable from the namespace: a zone added by a row fails its transfer at once (no transfer load). */
const MASTER = '198.51.100.1';
const ZONES_PER_NAMESPACE = 50;
/** Pool addresses for the accounts the rows add, one per round. */
const spareAddress = (round) => `203.0.113.${10 + round}`;

export async function benchNamespaces({ dnsmgr, runs, sizes, log }) {
  const rows = [];
  for (const zones of sizes) rows.push(...await atSize({ dnsmgr, runs, zones, log }));
  return rows;
}

async function atSize({ dnsmgr, runs, zones, log }) {
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-ns-'));
  const root = join(work, 'dnsmgr');
  const ns = `dnsmgr-bench-ns-${process.pid}`;
  const naiveNs = `dnsmgr-bench-nv-${process.pid}`;
  const key = join(root, 'etc', 'named', 'rndc.key');
  const conf = join(root, 'etc', 'named', 'named.conf');
  const namedLog = join(root, 'named.log');
  const rndcOk = () => spawnSync('ip', ['netns', 'exec', ns, 'rndc', '-k', key, '-s', '127.0.0.1', 'status']).status === 0;
  const inNs = (...a) => ['ip', 'netns', 'exec', ns, process.execPath, dnsmgr, '--root', root, ...a];
  const run = (...a) => { const [file, ...args] = inNs(...a); return execFileSync(file, args, { encoding: 'utf8' }); };
  const accounts = Math.max(1, Math.floor(zones / ZONES_PER_NAMESPACE));
  const rows = [];
  let named;
  let naive;
  try {
    execFileSync(process.execPath, [dnsmgr, '--root', root, 'init'], { env: { ...process.env, DNSMGR_ROOT_PASSWORD: 'bench' } });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface lo\n');
    addNamespace(ns);
    named = await startNamed(ns, conf, namedLog, async () => rndcOk());
    // The accounts the rows add take these addresses: in the pool (and listened on) before anything is measured.
    for (let round = 0; round < runs + 3; round++) run('ipaddr.edit', `name=${spareAddress(round)}`, 'sok=ok');
    run('ipaddr.edit', `name=${loopback(0)}`, 'sok=ok');
    run('user.edit', 'name=a0', 'passwd=bench-pw', `ip=${loopback(0)}`, 'sok=ok');
    await named.stop();
    const t0 = Date.now();
    seed(root, accounts, zones);
    // a0's address was bound by ipaddr.edit.
    ipBatch(ns, Array.from({ length: accounts - 1 }, (_, i) => `addr add ${loopback(i + 1)}/32 dev lo`));
    const from = sizeOf(namedLog);
    named = await startNamed(ns, conf, namedLog, async () => logSays(namedLog, 'all zones loaded', from) && rndcOk(), { what: `named with ${zones} zones` });
    // One more pool address: dnsmgr writes the listen-on list with every address of the pool (one reconfig).
    run('ipaddr.edit', 'name=203.0.113.250', 'sok=ok');
    log(`  ${accounts.toLocaleString('en')} namespaces, ${zones.toLocaleString('en')} zones in named (${((Date.now() - t0) / 1000).toFixed(0)} s)`);
    const rssMiB = vmRssKiB(named.pid) / 1024;
    const at = `${accounts.toLocaleString('en')} namespaces, ${zones.toLocaleString('en')} zones`;
    rows.push({ label: `named RSS, MiB, ${at}`, median: rssMiB, p90: rssMiB, compare: 'goal: 8 GB for 2,000 namespaces and 100,000 zones', compareMedian: 8 * 1024 });
    rows.push({ label: `named RSS per namespace, MiB (all of it / ${accounts.toLocaleString('en')}), ${at}`, median: rssMiB / accounts, p90: rssMiB / accounts, compare: 'goal: 2 MB per namespace', compareMedian: 2 });
    log(`  named RSS ${rssMiB.toFixed(0)} MiB (${(rssMiB / accounts).toFixed(2)} MiB per namespace)`);

    naive = await startNaive(work, naiveNs, zones, log);
    const BARE = { label: 'netns: node -e 0', argv: ['ip', 'netns', 'exec', ns, process.execPath, '-e', '0'] };
    const NAIVE = { label: `naive: include of ${zones.toLocaleString('en')} zones rewritten + rndc reconfig`, argv: naive.argv };
    const mine = [
      { label: `user.edit: an account with a namespace of its own, ${at}`, argv: (i) => inNs('user.edit', `name=nsb${i}`, 'passwd=bench-pw', `ip=${spareAddress(i)}`, 'sok=ok') },
      { label: `user.delete of that account and its namespace, ${at}`, argv: (i) => inNs('user.delete', `elid=nsb${i}`) },
      { label: `namespace.edit allow_transfer (${ZONES_PER_NAMESPACE} zones), ${at}`, argv: (i) => inNs('namespace.edit', 'elid=a0', `allow_transfer=${i % 2 === 0 ? 'any' : '198.51.100.0/24'}`, 'sok=ok') },
      { label: `domain.edit adding a zone, ${at}`, argv: (i) => inNs('domain.edit', `name=nsb-${i}.example`, `masterip=${MASTER}`, 'sok=ok', 'su=a0') },
      // A page of each list that grows with the accounts, from the middle of it (issue 9, goal 3).
      ...[['user', accounts], ['namespace', accounts], ['ipaddr', accounts]].map(([func, rows]) => ({
        label: `${func} list, a page of 10 (p_num=${middlePage(rows)}), ${at}`,
        argv: () => inNs(func, 'p_cnt=10', `p_num=${middlePage(rows)}`),
        list: true,
      })),
    ];
    // named writes its log through a buffer: what the setup made it do is in the file a moment later.
    await sleep(2000);
    const reconfigsBefore = reconfigs(namedLog);
    const [bare, naiveMs, ...own] = interleaved([BARE, NAIVE, ...mine], { runs, warmup: 3 });
    await sleep(2000);
    const reconfigsDuring = reconfigs(namedLog) - reconfigsBefore;
    mine.forEach((m, k) => {
      // A list is compared with bare node only: the naive way is a change.
      for (const [compare, base] of m.list ? [[BARE, bare]] : [[BARE, bare], [NAIVE, naiveMs]]) {
        const r = { label: m.label, median: median(own[k]), p90: quantile(own[k], 0.9), compare: compare.label, compareMedian: median(base), paired: pairedRatio(own[k], base) };
        rows.push(r);
        log(`${m.label.padEnd(70)} ${r.median.toFixed(1)} ms  ${(r.median / r.compareMedian).toFixed(3)}× ${compare.label} (${r.compareMedian.toFixed(1)} ms)`);
      }
    });
    const changes = (runs + 3) * mine.filter((m) => !m.list).length;
    rows.push({ label: `rndc reconfig sent to named during those ${changes} changes`, median: reconfigsDuring, p90: reconfigsDuring, compare: 'changes', compareMedian: changes });
    log(`  reconfigs during the rows: ${reconfigsDuring}`);
    return rows;
  } finally {
    await named?.stop();
    await naive?.stop();
    await deleteNamespace(ns);
    await deleteNamespace(naiveNs);
    if (process.env.BENCH_KEEP) console.error(`kept ${work}`); else rmSync(work, { recursive: true, force: true });
  }
}

/** The page of 10 rows in the middle of a list of `rows`. */
function middlePage(rows) {
  return Math.max(1, Math.ceil(rows / 20));
}

/** The i-th account's address, in the instance's network namespace only. */
function loopback(i) {
  return `127.2.${Math.floor(i / 250)}.${(i % 250) + 1}`;
}

/**
 * Accounts a1… (a0 was made by user.edit) as user.edit leaves them, each with a namespace of its own on its address,
 * and `zones` zones spread over them (ZONES_PER_NAMESPACE each), as rndc addzone leaves them.
 */
function seed(root, accounts, zones) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  try {
    const t = Math.floor(Date.now() / 1000);
    const hash = db.prepare("SELECT password_hash FROM account WHERE name = 'a0'").pluck().get();
    db.transaction(() => {
      for (let i = 1; i < accounts; i++) {
        const id = Number(db.prepare('INSERT INTO account (name, level, password_hash, created_at) VALUES (?, 16, ?, ?)').run(`a${i}`, hash, t).lastInsertRowid);
        const nsId = Number(db.prepare("INSERT INTO namespace (name, owner_id, allow_transfer, created_at) VALUES (?, ?, 'none', ?)").run(`a${i}`, id, t).lastInsertRowid);
        db.prepare('UPDATE account SET namespace_id = ? WHERE id = ?').run(nsId, id);
        db.prepare("INSERT INTO ipaddr (addr, family, status, assignee_id, namespace_id, created_at) VALUES (?, 4, 'assigned', ?, ?, ?)").run(loopback(i), id, nsId, t);
      }
    })();
    let zoneDir;
    for (let i = 0; i < accounts; i++) {
      const names = [];
      for (let k = i * ZONES_PER_NAMESPACE; k < Math.min(zones, (i + 1) * ZONES_PER_NAMESPACE); k++) names.push(`seed-${k}.example`);
      zoneDir = seedZones(db, root, `a${i}`, names, { master: MASTER, at: t, rname: true, nzf: false });
    }
    writeSharedNzf(db, root);
    writeServedZoneFiles(zoneDir, Array.from({ length: zones }, (_, k) => `seed-${k}.example`));
  } finally {
    db.close();
  }
}

/**
 * The naive way, as peers do it: a named whose zones are all in one include; a change rewrites the include with every
 * zone (from a list, as a tool keeping them elsewhere would) and runs `rndc reconfig`, which returns once named has
 * read the configuration again.
 */
async function startNaive(work, ns, zones, log) {
  const dir = join(work, 'naive');
  mkdirSync(join(dir, 'zones'), { recursive: true });
  const key = join(dir, 'rndc.key');
  writeFileSync(key, readFileSync(join(work, 'dnsmgr', 'etc', 'named', 'rndc.key')));
  const include = join(dir, 'zones.conf');
  const names = Array.from({ length: zones }, (_, k) => `seed-${k}.example`);
  writeFileSync(join(dir, 'names.txt'), `${names.join('\n')}\n`);
  const clause = (name) => `zone "${name}" { type slave; masters { ${MASTER}; }; file "${join(dir, 'zones', `${name}.db`)}"; };`;
  writeFileSync(include, `${names.map(clause).join('\n')}\n`);
  writeServedZoneFiles(join(dir, 'zones'), names);
  const keyName = /key\s+"([^"]+)"/.exec(readFileSync(key, 'utf8'))[1];
  const conf = join(dir, 'named.conf');
  writeFileSync(conf, `include "${key}";
controls { inet 127.0.0.1 port 953 allow { 127.0.0.1; } keys { "${keyName}"; }; };
options { directory "${dir}"; pid-file "${dir}/named.pid"; listen-on { 127.0.0.1; }; listen-on-v6 { none; }; recursion no; notify no; };
logging { category default { default_stderr; }; };
include "${include}";
`);
  const change = join(dir, 'change.cjs');
  writeFileSync(change, `const fs = require('node:fs'); const { execFileSync } = require('node:child_process');
const names = fs.readFileSync(${JSON.stringify(join(dir, 'names.txt'))}, 'utf8').split('\\n').filter(Boolean);
names.push('naive-' + process.argv[2] + '.example');
const clause = (n) => 'zone "' + n + '" { type slave; masters { ${MASTER}; }; file "' + ${JSON.stringify(join(dir, 'zones'))} + '/' + n + '.db"; };';
fs.writeFileSync(${JSON.stringify(`${include}.tmp`)}, names.map(clause).join('\\n') + '\\n');
fs.renameSync(${JSON.stringify(`${include}.tmp`)}, ${JSON.stringify(include)});
execFileSync('rndc', ['-k', ${JSON.stringify(key)}, '-s', '127.0.0.1', 'reconfig']);
`);
  addNamespace(ns);
  const logFile = join(dir, 'named.log');
  const named = await startNamed(ns, conf, logFile, async () => logSays(logFile, 'all zones loaded')
    && spawnSync('ip', ['netns', 'exec', ns, 'rndc', '-k', key, '-s', '127.0.0.1', 'status']).status === 0, { what: `naive named with ${zones} zones` });
  log(`  naive named has ${zones.toLocaleString('en')} zones in one include`);
  return { argv: (i) => ['ip', 'netns', 'exec', ns, process.execPath, change, String(i)], stop: () => named.stop() };
}

function vmRssKiB(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) : NaN;
}

function reconfigs(logFile) {
  return readFileSync(logFile, 'utf8').split("received control channel command 'reconfig'").length - 1;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('exit', deleteNamespacesSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  const { buildCurrent } = await import('./bench-builds.mjs');
  const builds = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
  process.on('exit', () => rmSync(builds, { recursive: true, force: true }));
  const { dnsmgr } = buildCurrent(join(builds, 'current'));
  const sizes = (process.env.BENCH_NS_SIZES ?? `10000${process.env.BENCH_HEALTH_100K === '0' ? '' : ',100000'}`).split(',').map(Number);
  const runs = Number(process.env.BENCH_RUNS ?? 15);
  const rows = await benchNamespaces({ dnsmgr, runs, sizes, log: (m) => console.error(m) });
  console.log(renderNamespaces(rows, runs).join('\n'));
}

/** The section of bench/RESULTS.md for these rows. */
export function renderNamespaces(rows, runs) {
  return [
    '## Namespaces at scale (issue 9, goals 4, 5 and 7)',
    '',
    `One instance per size: \`zones / ${ZONES_PER_NAMESPACE}\` accounts, each with a namespace of its own on its own pool address, ${ZONES_PER_NAMESPACE} zones each,`,
    'all in named (one shared view; each zone answers on its namespace\'s address only). Measured in that network namespace,',
    `interleaved in the same rounds (${runs} after 3 warm-up rounds; medians): adding an account with a namespace of its own`,
    '(user.edit ip=…, a bcrypt hash included), deleting it, changing a namespace\'s allow-transfer (its zones get the new list',
    'by modzone, no reconfig), one domain.edit adding a zone, a page of 10 from the middle of the user, namespace and ipaddr',
    'lists (SQLite reads the page); against `node -e 0` there and against the naive way, a node',
    'process rewriting one include with every zone and running `rndc reconfig` on a second named holding as many zones.',
    '"per round": the median of each round\'s ratio of the row\'s run to its comparison\'s in that round.',
    'Both nameds serve every zone from its zone file (as after its transfer; no refresh due while the rows run: named idle).',
    'named RSS is VmRSS of the instance\'s named once every zone is loaded.',
    '',
    '| what | median | p90 | compared with | its median | ratio | per round |',
    '|---|---:|---:|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.median.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.compare} | ${r.compareMedian.toFixed(1)} | ${(r.median / r.compareMedian).toFixed(3)}× | ${r.paired === undefined ? '—' : `${r.paired.toFixed(3)}×`} |`),
    '',
  ];
}
