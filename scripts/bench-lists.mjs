// Issue 9, goal 3: lists that stay fast. At each zone count (10,000; 100,000 behind BENCH_HEALTH_100K), on a database
// of that many zones (named is not needed for a list):
// - the CLI: one page of `domain` (the first, one in the middle, the first sorted by name descending and by status, the
//   middle one in every other order) against a bare `node -e 0` and the accounts list of the same build (what a request
//   costs that does not grow with the zones: the page's own cost is the difference), interleaved (goal: ≤ 1.2×);
// - HTTP: `dnsmgr serve` and its client inside a network namespace of their own (dnsmgr-bench-lists-…, loopback only),
//   one keep-alive connection and a session key (so bcrypt is not measured), each request timed from sending it to its
//   last byte: the same pages against the accounts list, interleaved (goal: ≤ 50 ms);
// - when the comparison build pages too (BENCH_LISTS_BASE=HEAD while a change to the list is not committed), its pages
//   as well: through the CLI in the same rounds, over HTTP on its own serve in turn;
// - the full, unpaged list: wall time and peak RSS of the CLI (text, json) and of serve answering `func=domain&out=json`
//   (VmHWM of /proc/<pid>/status before and after), this build against the build before paging (BENCH_LISTS_BASE; by
//   default the parent of the commit that added src/protocol/stream.ts, or HEAD while that is not committed), on
//   databases seeded alike (goal: memory flat, the 100,000 figure close to the 10,000 one).
//
// Run by scripts/bench.mjs (BENCH_LISTS=0 skips it), or alone (BENCH_RUNS, BENCH_HEALTH_100K as for npm run bench;
// BENCH_LISTS_PAGES: only some pages, see pages()):
//   node scripts/bench-lists.mjs
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import {
  addNamespace, deleteNamespace, deleteNamespacesSync, interleaved, median, pairedRatio, quantile, runOnce, runUnderTime,
} from './bench-lib.mjs';
import { zoneName } from './bench-zones.mjs';

/** The build before paging and streaming: BENCH_LISTS_BASE, or the parent of the commit that brought them. */
export function listsBase() {
  if (process.env.BENCH_LISTS_BASE) return process.env.BENCH_LISTS_BASE;
  const added = execFileSync('git', ['log', '--diff-filter=A', '--format=%h', '--', 'src/protocol/stream.ts'], { encoding: 'utf8' }).trim().split('\n').pop();
  return added ? `${added}~1` : 'HEAD';
}
const PASSWORD = 'bench-root';
export const PORT = 8053;
/** Accounts the zones are spread over, each with a namespace of its own. */
const ACCOUNTS = 20;

/**
 * opts: { dnsmgr, previous: { commit, dnsmgr }, sizes, runs, log }. Returns { sizes: [per zone count], previous, runs }
 * for renderLists.
 */
export async function benchLists({ dnsmgr, previous, sizes, runs, log }) {
  const out = [];
  for (const zones of sizes) out.push(await atSize({ dnsmgr, previous, zones, runs, log }));
  return { sizes: out, previous: previous.commit, runs };
}

/**
 * The pages measured at a zone count: the first, one in the middle, the first in two other orders, and the middle —
 * the deepest a page is read from either end — in every other order the list has (serial both ways). BENCH_LISTS_PAGES:
 * only the pages whose arguments contain one of these comma-separated strings (e.g. "p_sort=serial,p_sort=reason").
 */
function pages(zones) {
  const middle = Math.max(1, Math.floor(zones / 200));
  const at = middle.toLocaleString('en-US');
  const deep = (column, desc = false) => ({
    label: `page ${at} of 100, by ${column}${desc ? ' descending' : ''}`,
    args: [`p_num=${middle}`, 'p_cnt=100', `p_sort=${column}`, ...(desc ? ['p_order=desc'] : [])],
  });
  const all = [
    { label: 'page 1 of 100', args: ['p_num=1', 'p_cnt=100'] },
    { label: `page ${at} of 100 (the middle)`, args: [`p_num=${middle}`, 'p_cnt=100'] },
    { label: 'page 1 of 100, by name descending', args: ['p_num=1', 'p_cnt=100', 'p_sort=name', 'p_order=desc'] },
    { label: 'page 1 of 100, by status', args: ['p_num=1', 'p_cnt=100', 'p_sort=status'] },
    deep('status'), deep('owner'), deep('serial'), deep('serial', true), deep('dtype'), deep('masterip'), deep('reason'), deep('updated'),
  ];
  const only = (process.env.BENCH_LISTS_PAGES ?? '').split(',').filter(Boolean);
  return only.length === 0 ? all : all.filter((p) => only.some((o) => p.args.join(' ').includes(o)));
}

async function atSize({ dnsmgr, previous, zones, runs, log }) {
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-lists-'));
  // A root per build, each initialised by its build and seeded alike: a build refuses a database whose schema is newer
  // than it knows, and one it knows migrates what it opens.
  const roots = new Map([[dnsmgr, join(work, 'root')], [previous.dnsmgr, join(work, 'root-previous')]]);
  const rootOf = (exe) => roots.get(exe);
  const at = `${zones.toLocaleString('en-US')} zones`;
  try {
    const t0 = Date.now();
    for (const [exe, root] of roots) {
      runOnce([process.execPath, exe, '--root', root, 'init'], { env: { DNSMGR_ROOT_PASSWORD: PASSWORD } });
      // No named here: the long-running process's health refresh would only fail; its first one comes a second after
      // start, and the next a day later.
      writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface lo\nHealthInterval 86400\n');
      seed(root, zones);
    }
    log(`lists: ${at} in the databases (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

    // ---- CLI pages --------------------------------------------------------------------------------------------
    const cli = (exe, ...a) => [process.execPath, exe, '--root', rootOf(exe), ...a];
    const BARE = { label: 'node -e 0', argv: [process.execPath, '-e', '0'] };
    const ACCOUNTS_CLI = { label: 'user', argv: cli(dnsmgr, 'user') };
    const previousPages = pagesToo(previous, cli);
    const cliRows = [];
    for (const p of pages(zones)) {
      checkTextPage(runOnce(cli(dnsmgr, 'domain', ...p.args)).stdout, zones, p);
      const commands = [BARE, ACCOUNTS_CLI, { label: p.label, argv: cli(dnsmgr, 'domain', ...p.args) }];
      if (previousPages) commands.push({ label: `${p.label} (${previous.commit})`, argv: cli(previous.dnsmgr, 'domain', ...p.args) });
      const [base, accounts, own, before] = interleaved(commands, { runs, warmup: 3 });
      const r = {
        label: `CLI \`domain ${p.args.join(' ')}\`, ${at}`, median: median(own), p90: quantile(own, 0.9), compare: BARE.label, compareMedian: median(base), paired: pairedRatio(own, base),
        startMedian: median(accounts), ...(before ? { beforeMedian: median(before) } : {}),
      };
      cliRows.push(r);
      log(`  ${r.label.padEnd(70)} ${r.median.toFixed(1)} ms  ${(r.median / r.compareMedian).toFixed(2)}× node -e 0 (${r.compareMedian.toFixed(1)} ms), \`user\` ${r.startMedian.toFixed(1)} ms${before ? `, ${previous.commit} ${r.beforeMedian.toFixed(1)} ms` : ''}`);
    }

    // ---- the full list from the CLI, this build and the one before paging, in turn -----------------------------
    const fullRuns = zones > 50_000 ? 3 : 5;
    const cliFull = {};
    for (const format of ['text', 'json']) {
      const args = format === 'text' ? ['domain'] : ['-o', 'json', 'domain'];
      const now = [];
      const before = [];
      for (let i = 0; i < fullRuns + 1; i++) {
        const b = runUnderTime([], cli(previous.dnsmgr, ...args));
        const n = runUnderTime([], cli(dnsmgr, ...args));
        if (i === 0) {
          checkFull(n.stdout, format, zones, 'this build');
          checkFull(b.stdout, format, zones, previous.commit);
          continue; // warm-up
        }
        before.push(b);
        now.push(n);
      }
      cliFull[format] = { now: summary(now), before: summary(before) };
      log(`  CLI full list (${format}), ${at}: ${previous.commit} ${cliFull[format].before.ms.toFixed(0)} ms ${mib(cliFull[format].before.maxRssKiB)} MiB, now ${cliFull[format].now.ms.toFixed(0)} ms ${mib(cliFull[format].now.maxRssKiB)} MiB, ${(cliFull[format].now.bytes / 1e6).toFixed(1)} MB`);
    }

    // ---- HTTP ---------------------------------------------------------------------------------------------------
    const http = await overHttp({ dnsmgr, previous, rootOf, work, zones, runs, fullRuns, at, log });
    return { zones, cliRows, cliFull, ...http };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

/**
 * The zones as the database holds them: spread over ACCOUNTS accounts with a namespace each, a health row for every
 * zone (one in twenty a problem, as in the health benchmark), names in no particular insertion order.
 */
function seed(root, zones) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  const now = Math.floor(Date.now() / 1000);
  try {
    db.transaction(() => {
      const accounts = [];
      for (let k = 0; k < ACCOUNTS; k++) {
        const ns = db.prepare("INSERT INTO namespace (name, allow_transfer, created_at) VALUES (?, 'none', ?)").run(`bench${k}`, now).lastInsertRowid;
        const acc = db.prepare("INSERT INTO account (name, level, password_hash, namespace_id, created_at) VALUES (?, 16, 'x', ?, ?)").run(`bench${k}`, ns, now).lastInsertRowid;
        accounts.push({ ns, acc });
      }
      const zone = db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, masters, applied_masters, created_at, updated_at)
        VALUES (?, ?, ?, '198.51.100.1', '198.51.100.1', ?, ?)`);
      const ok = db.prepare(`INSERT INTO zone_health (zone_id, serial, loaded_at, expires_at, refresh_at, expire_span, last_ok_at, status)
        VALUES (?, 2026113001, ?, ?, ?, 3600000, ?, 'ok')`);
      const problem = db.prepare(`INSERT INTO zone_health (zone_id, serial, loaded_at, last_ok_at, failure, failed_at, status, reason, failing_since)
        VALUES (?, 2026113001, ?, ?, 'notauth', ?, 'problem', 'notauth', ?)`);
      // A stride coprime with the count: rows are inserted in an order unlike the names'.
      const stride = 7919;
      if (zones % stride === 0) throw new Error('the stride must be coprime with the zone count');
      for (let j = 0; j < zones; j++) {
        const i = (j * stride) % zones;
        const { ns, acc } = accounts[i % ACCOUNTS];
        const id = zone.run(zoneName(i), ns, acc, now - 3600, now - 3600).lastInsertRowid;
        if (i % 20 === 7) problem.run(id, now - 3600, now - 3600, now - 600, now - 600);
        else ok.run(id, now - 3600, now + 3_600_000, now + 86_400, now - 60);
      }
    })();
  } finally {
    db.close();
  }
}

/** Whether the comparison build pages the list too: its first page says where it is. */
function pagesToo(previous, cli) {
  try {
    return /^p_num=1 p_cnt=1 p_elems=\d+$/.test(runOnce(cli(previous.dnsmgr, 'domain', 'p_num=1', 'p_cnt=1')).stdout.split('\n')[0] ?? '');
  } catch {
    return false; // a build from before paging may refuse the parameters
  }
}

/** A text page: its first line says where it is, then p_cnt rows (or what is left). */
function checkTextPage(stdout, zones, p) {
  const lines = stdout.split('\n').filter(Boolean);
  const num = Number(/p_num=(\d+)/.exec(p.args.join(' '))[1]);
  const expected = Math.max(0, Math.min(100, zones - (num - 1) * 100));
  if (!new RegExp(`^p_num=${num} p_cnt=100 p_elems=${zones}$`).test(lines[0] ?? '') || lines.length !== expected + 1) {
    throw new Error(`domain ${p.args.join(' ')}: expected "p_num=${num} p_cnt=100 p_elems=${zones}" and ${expected} rows, got ${JSON.stringify(lines[0])} and ${lines.length - 1} rows`);
  }
}

function checkFull(stdout, format, zones, what) {
  const n = format === 'text' ? stdout.split('\n').filter(Boolean).length : elems(JSON.parse(stdout)).length;
  if (n !== zones) throw new Error(`domain (${format}, ${what}) listed ${n} rows, expected ${zones}`);
}

/** The rows of a `out=json` document. */
function elems(doc) {
  const e = doc?.doc?.elem;
  return Array.isArray(e) ? e : e === undefined ? [] : [e];
}

function summary(rs) {
  return {
    ms: median(rs.map((r) => r.ms)),
    maxRssKiB: median(rs.map((r) => r.maxRssKiB)),
    maxRssKiBMax: Math.max(...rs.map((r) => r.maxRssKiB)),
    bytes: Buffer.byteLength(rs[0].stdout),
  };
}

const mib = (kib) => (kib / 1024).toFixed(0);

// ---- HTTP -------------------------------------------------------------------------------------------------------

/**
 * The client, run in the namespace beside serve: one keep-alive connection, each request timed from sending it to its
 * last byte. argv: port, then a JSON job: { login: [user, pass] } → the session key; { key, rounds, warmup, queries }
 * → per query its times and the first answer's size and rows.
 */
export const CLIENT = `
import { Agent, request } from 'node:http';
const port = Number(process.argv[2]);
const job = JSON.parse(process.argv[3]);
const agent = new Agent({ keepAlive: true, maxSockets: 1 });
const get = (query) => new Promise((resolve, reject) => {
  const t0 = process.hrtime.bigint();
  const req = request({ host: '127.0.0.1', port, path: '/dnsmgr?' + query, agent }, (res) => {
    const chunks = [];
    res.on('data', (c) => chunks.push(c));
    res.on('end', () => resolve({ ms: Number(process.hrtime.bigint() - t0) / 1e6, status: res.statusCode, body: Buffer.concat(chunks) }));
    res.on('error', reject);
  });
  req.on('error', reject);
  req.end();
});
if (job.login) {
  const r = await get('func=auth&out=json&username=' + encodeURIComponent(job.login[0]) + '&password=' + encodeURIComponent(job.login[1]));
  process.stdout.write(r.body);
} else {
  const out = job.queries.map(() => ({ ms: [] }));
  for (let round = 0; round < job.warmup + job.rounds; round++) {
    for (const [k, q] of job.queries.entries()) {
      const r = await get(q + '&auth=' + job.key);
      if (r.status !== 200) throw new Error(q + ': HTTP ' + r.status + ' ' + r.body.toString().slice(0, 500));
      if (round === 0) {
        const doc = JSON.parse(r.body.toString());
        if (doc.doc?.error) throw new Error(q + ': ' + JSON.stringify(doc.doc.error));
        const e = doc.doc?.elem;
        Object.assign(out[k], { bytes: r.body.length, rows: Array.isArray(e) ? e.length : e === undefined ? 0 : 1, p_elems: doc.doc?.p_elems?.$ ?? doc.doc?.p_elems });
      }
      if (round >= job.warmup) out[k].ms.push(r.ms);
    }
  }
  process.stdout.write(JSON.stringify(out));
}
agent.destroy();
`;

async function overHttp({ dnsmgr, previous, rootOf, work, zones, runs, fullRuns, at, log }) {
  const ns = addNamespace(`dnsmgr-bench-lists-${process.pid}`);
  const clientFile = join(work, 'client.mjs');
  writeFileSync(clientFile, CLIENT);
  const client = (job) => JSON.parse(runOnce(['ip', 'netns', 'exec', ns, process.execPath, clientFile, String(PORT), JSON.stringify(job)], { label: 'HTTP client' }).stdout);
  // The comparison: a request whose work does not grow with the zones (the accounts, with their kept zone counts).
  const TRIVIAL = 'func=user&out=json';
  const FULL = 'func=domain&out=json';
  try {
    const full = {};
    let rows = [];
    let rowsBefore;
    // The build before paging first, then this one, each a fresh serve on its root: VmHWM after the accounts
    // list, then after the whole list.
    for (const [which, exe] of [['before', previous.dnsmgr], ['now', dnsmgr]]) {
      const server = await startServe(ns, exe, rootOf(exe), join(work, `serve-${which}.log`));
      try {
        const { key } = authKey(client({ login: ['root', PASSWORD] }));
        client({ key, rounds: 1, warmup: 2, queries: [TRIVIAL] });
        const hwmIdle = vmHwmKiB(server.pid);
        const [r] = client({ key, rounds: fullRuns, warmup: 0, queries: [FULL] });
        if (r.rows !== zones) throw new Error(`serve (${which}) listed ${r.rows} rows over HTTP, expected ${zones}`);
        full[which] = { ms: median(r.ms), msFirst: r.ms[0], bytes: r.bytes, hwmIdleKiB: hwmIdle, hwmKiB: vmHwmKiB(server.pid) };
        log(`  HTTP full list (json), ${at}, ${which === 'now' ? 'now' : previous.commit}: ${full[which].ms.toFixed(0)} ms, ${(r.bytes / 1e6).toFixed(1)} MB, serve VmHWM ${mib(hwmIdle)} → ${mib(full[which].hwmKiB)} MiB`);
        const pagesOf = () => httpPages({ client, key, zones, runs, at, trivial: TRIVIAL, log: (m) => log(which === 'now' ? m : `${m} (${previous.commit})`) });
        if (which === 'now') rows = pagesOf();
        else if (pagesToo(previous, (exe, ...a) => [process.execPath, exe, '--root', rootOf(exe), ...a])) rowsBefore = pagesOf();
      } finally {
        await server.stop();
      }
    }
    return { httpRows: rowsBefore ? rows.map((r, k) => ({ ...r, beforeMedian: rowsBefore[k].median })) : rows, httpFull: full };
  } finally {
    await deleteNamespace(ns);
  }
}

/** The pages over HTTP, each interleaved with the list of accounts, on the serve that answered the full list. */
function httpPages({ client, key, zones, runs, at, trivial, log }) {
  const rounds = Math.max(runs, 50);
  const queries = [trivial, ...pages(zones).map((p) => `func=domain&out=json&${p.args.join('&')}`)];
  const [base, ...own] = client({ key, rounds, warmup: 5, queries });
  return pages(zones).map((p, k) => {
    const r = own[k];
    if (r.rows !== Math.max(0, Math.min(100, zones - (Number(p.args[0].slice(6)) - 1) * 100)) || Number(r.p_elems) !== zones) {
      throw new Error(`HTTP ${queries[k + 1]}: ${r.rows} rows, p_elems ${r.p_elems}; expected a page of ${zones}`);
    }
    const row = {
      label: `HTTP \`${queries[k + 1]}\`, ${at}`,
      median: median(r.ms), p90: quantile(r.ms, 0.9), bytes: r.bytes,
      compare: 'HTTP `func=user&out=json`', compareMedian: median(base.ms),
    };
    log(`  ${row.label.padEnd(70)} ${row.median.toFixed(2)} ms (p90 ${row.p90.toFixed(2)})  against ${row.compareMedian.toFixed(2)} ms`);
    return row;
  });
}

export function authKey(doc) {
  // out=json: { doc: { auth: { $id: key, … } } } or the key as the text of auth; either way a string of the key.
  const a = doc?.doc?.auth;
  const key = typeof a === 'string' ? a : a?.$id ?? a?.$ ?? a?.key;
  if (typeof key !== 'string' || key === '') throw new Error(`func=auth answered ${JSON.stringify(doc)}`);
  return { key };
}

/** Peak resident set of a process so far, KiB (VmHWM). */
function vmHwmKiB(pid) {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  if (!m) throw new Error(`no VmHWM for ${pid}`);
  return Number(m[1]);
}

/** `dnsmgr serve` on the namespace's loopback; `ip netns exec` execs node, so the child's pid is serve's own. */
export async function startServe(ns, exe, root, logFile) {
  const fd = openSync(logFile, 'a');
  const child = spawn('ip', ['netns', 'exec', ns, process.execPath, exe, '--root', root, 'serve', '--listen', `127.0.0.1:${PORT}`], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  const done = new Promise((resolve) => child.on('exit', (code, sig) => { exited = code ?? sig; resolve(); }));
  for (let i = 0; ; i++) {
    if (exited !== null) throw new Error(`serve exited (${exited}): ${readFileSync(logFile, 'utf8')}`);
    if (readFileSync(logFile, 'utf8').includes('HTTP API on')) break;
    if (i > 300) throw new Error(`serve did not start: ${readFileSync(logFile, 'utf8')}`);
    await sleep(100);
  }
  // Its first health refresh (a second after start; it fails at once without named) is over before anything is timed.
  await sleep(1500);
  return {
    pid: child.pid,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await done;
      clearTimeout(t);
    },
  };
}

// ---- report -----------------------------------------------------------------------------------------------------

const n = (x) => x.toLocaleString('en-US');
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const times = (x) => `${x.toFixed(2)}×`;

/** The section of bench/RESULTS.md. */
export function renderLists({ sizes, previous, runs }) {
  const out = [
    '## Lists (issue 9 goal 3: one page of 100,000 zones ≤ 50 ms over HTTP and ≤ 1.2× `node -e 0` through the CLI; the full list streams, memory flat)',
    '',
    `A database of that many zones (${ACCOUNTS} accounts, a namespace each, a health row per zone, one in twenty a problem), no named: a list`,
    'reads the database alone. Listed as root (every zone). The CLI rows: `dnsmgr --root R domain …` (text), ' + `${runs} runs`,
    'interleaved with `node -e 0` after 3 warm-up rounds. The HTTP rows: `dnsmgr serve` and a Node client inside a network',
    'namespace of their own (loopback), one keep-alive connection, a session key from `func=auth` (no password hashing per',
    'request), each request timed from sending it to its last byte; the pages interleaved with `func=user` (the accounts,',
    `${ACCOUNTS + 1} rows, with their kept zone counts: work that does not grow with the zones), ${Math.max(runs, 50)} rounds after 5 warm-up rounds.`,
    'The CLI rows\' "beyond start": the page less `dnsmgr user` of the same build in the same rounds (a request that does not',
    'grow with the zones), what the page itself costs. "per round": the median of each round\'s ratio of the page to the',
    '`node -e 0` run of the same round (scripts/bench-lib.mjs pairedRatio).',
  ];
  const before = sizes.some((s) => [...s.cliRows, ...s.httpRows].some((r) => r.beforeMedian !== undefined));
  if (before) {
    out.push(`${previous} pages too: its rows "${previous} ms" are the same pages through its CLI in the same rounds, and over HTTP on its own`,
      '`serve`, in turn with this build\'s.');
  }
  out.push('',
    `| what | median ms | p90 ms | compared with | its median ms | ratio | per round | beyond start ms |${before ? ` ${previous} ms | now / ${previous} |` : ''}`,
    `|---|---:|---:|---|---:|---:|---:|---:|${before ? '---:|---:|' : ''}`);
  for (const s of sizes) {
    for (const r of [...s.cliRows, ...s.httpRows]) {
      const was = before ? (r.beforeMedian === undefined ? ' | |' : ` ${f1(r.beforeMedian)} | ${times(r.median / r.beforeMedian)} |`) : '';
      out.push(`| ${r.label} | ${f1(r.median)} | ${f1(r.p90)} | ${r.compare} | ${f1(r.compareMedian)} | ${times(r.median / r.compareMedian)} | ${r.paired === undefined ? '—' : times(r.paired)} | ${r.startMedian === undefined ? '' : f1(r.median - r.startMedian)} |${was}`);
    }
  }
  out.push(
    '',
    `The full, unpaged list: this build against ${previous} (the build before paging and streaming), on databases seeded alike (each build's own schema).`,
    'CLI: under GNU time (wall, peak RSS as wait4() reports it), the two builds in turn, medians of '
      + `${sizes.map((s) => (s.zones > 50_000 ? 3 : 5)).join(' and ')} runs after one.`,
    'HTTP `func=domain&out=json`: a fresh `serve` per build, its VmHWM (/proc/<pid>/status) after `func=user` and after the',
    'full lists; time to the last byte, median.',
    '',
    `| zones | what | ${previous} ms | now ms | now / ${previous} | size MB | ${previous} peak RSS MiB | now peak RSS MiB |`,
    '|---|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const s of sizes) {
    for (const format of ['text', 'json']) {
      const c = s.cliFull[format];
      out.push(`| ${n(s.zones)} | CLI \`domain\` (${format}) | ${c.before.ms.toFixed(0)} | ${c.now.ms.toFixed(0)} | ${times(c.now.ms / c.before.ms)} | ${f1(c.now.bytes / 1e6)} | ${mib(c.before.maxRssKiB)} | ${mib(c.now.maxRssKiB)} |`);
    }
    const h = s.httpFull;
    out.push(`| ${n(s.zones)} | HTTP \`func=domain&out=json\` (serve VmHWM: idle → after) | ${h.before.ms.toFixed(0)} | ${h.now.ms.toFixed(0)} | ${times(h.now.ms / h.before.ms)} | ${f1(h.now.bytes / 1e6)} | ${mib(h.before.hwmIdleKiB)} → ${mib(h.before.hwmKiB)} | ${mib(h.now.hwmIdleKiB)} → ${mib(h.now.hwmKiB)} |`);
  }
  const [small, large] = [sizes[0], sizes.at(-1)];
  out.push('');
  if (large !== small) {
    const grow = (a, b) => `${mib(a)} → ${mib(b)} MiB (${times(b / a)})`;
    out.push(`**Memory** from ${n(small.zones)} to ${n(large.zones)} zones, this build: CLI text ${grow(small.cliFull.text.now.maxRssKiB, large.cliFull.text.now.maxRssKiB)}, `
      + `CLI json ${grow(small.cliFull.json.now.maxRssKiB, large.cliFull.json.now.maxRssKiB)}, serve ${grow(small.httpFull.now.hwmKiB, large.httpFull.now.hwmKiB)}; `
      + `${previous}: CLI text ${grow(small.cliFull.text.before.maxRssKiB, large.cliFull.text.before.maxRssKiB)}, serve ${grow(small.httpFull.before.hwmKiB, large.httpFull.before.hwmKiB)}.`, '');
  }
  return out;
}

// Run alone while developing: node scripts/bench-lists.mjs
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { buildCurrent, buildPrevious } = await import('./bench-builds.mjs');
  process.on('exit', deleteNamespacesSync);
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => process.exit(130));
  const builds = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
  try {
    const dnsmgr = buildCurrent(join(builds, 'current')).dnsmgr;
    const previous = buildPrevious(join(builds, 'previous'), listsBase());
    const sizes = [10_000, ...(process.env.BENCH_HEALTH_100K === '0' ? [] : [100_000])];
    const r = await benchLists({ dnsmgr, previous, sizes, runs: Number(process.env.BENCH_RUNS ?? 30), log: (m) => console.error(m) });
    console.log(renderLists(r).join('\n'));
  } finally {
    rmSync(builds, { recursive: true, force: true });
  }
}
