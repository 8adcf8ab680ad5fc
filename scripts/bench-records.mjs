// A master zone of 10,000 records (issue 12): one page of its record list over HTTP (`dnsmgr serve` and a keep-alive
// client in a network namespace of their own, loopback only), interleaved with a request whose work does not grow with
// the records (the accounts list); and the same page through the CLI against `node -e 0`. Goal: a page ≤ 50 ms over HTTP.
//
// Run by scripts/bench.mjs (BENCH_RECORDS=0 skips it), or alone: node scripts/bench-records.mjs
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { addNamespace, deleteNamespace, deleteNamespacesSync, interleaved, median, pairedRatio, quantile, runOnce } from './bench-lib.mjs';
import { authKey, CLIENT, PORT, startServe } from './bench-lists.mjs';

const PASSWORD = 'bench-root';
const ZONE = 'big.example';

/** The zone and its records as domain.edit dtype=master and domain.record.edit leave them: rkey, name, type, ttl, data, info. */
function seed(root, records) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  const now = Math.floor(Date.now() / 1000);
  db.transaction(() => {
    const ns = db.prepare("INSERT INTO namespace (name, allow_transfer, created_at) VALUES ('owner', 'none', ?)").run(now).lastInsertRowid;
    const acc = db.prepare("INSERT INTO account (name, level, password_hash, namespace_id, created_at) VALUES ('owner', 16, 'x', ?, ?)").run(ns, now).lastInsertRowid;
    const zone = db.prepare(`INSERT INTO zone (name, rname, namespace_id, owner_id, dtype, masters, applied_masters, created_at, updated_at)
      VALUES (?, 'example.big.', ?, ?, 'master', '', '', ?, ?)`).run(ZONE, ns, acc, now, now).lastInsertRowid;
    db.prepare('INSERT INTO zone_soa (zone_id, mname, email, serial) VALUES (?, ?, ?, ?)').run(zone, `ns1.${ZONE}`, `hostmaster@${ZONE}`, now);
    const ins = db.prepare('INSERT INTO zone_record (zone_id, name, type, ttl, data, rkey, info) VALUES (?, ?, ?, ?, ?, ?, ?)');
    for (let i = 0; i < records; i++) {
      const name = `host-${String(i).padStart(5, '0')}.${ZONE}`;
      const address = `198.51.${100 + Math.floor(i / 256) % 4}.${i % 256}`;
      if (i % 4 === 3) ins.run(zone, name, 'TXT', 300, JSON.stringify({ type: 'TXT', text: `v=token-${i}` }), `${name}. TXT  v=token-${i}`, `"v=token-${i}"`);
      else ins.run(zone, name, 'A', 3600, JSON.stringify({ type: 'A', address }), `${name}. A  ${address}`, null);
    }
  })();
  db.close();
}

/** opts: { dnsmgr, records, runs, log }. Returns the rows (label, median, p90, compare, compareMedian). */
export async function benchRecords({ dnsmgr, records = 10_000, runs, log }) {
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-records-'));
  const root = join(work, 'root');
  const at = `${records.toLocaleString('en-US')} records`;
  const rows = [];
  const ns = addNamespace(`dnsmgr-bench-rec-${process.pid}`);
  try {
    runOnce([process.execPath, dnsmgr, '--root', root, 'init'], { env: { DNSMGR_ROOT_PASSWORD: PASSWORD } });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface lo\nHealthInterval 86400\n');
    seed(root, records);
    const middle = Math.floor(records / 200);
    const pages = [['p_num=1', 'p_cnt=100'], [`p_num=${middle}`, 'p_cnt=100'], [`p_num=${middle}`, 'p_cnt=100', 'p_sort=value'], [`p_num=${middle}`, 'p_cnt=100', 'p_sort=info', 'p_order=desc']];

    const BARE = { label: 'node -e 0', argv: [process.execPath, '-e', '0'] };
    for (const p of pages) {
      const argv = [process.execPath, dnsmgr, '--root', root, 'domain.record', `plid=${ZONE}`, ...p];
      const first = runOnce(argv).stdout;
      if (first.split('\n').filter((l) => l.startsWith('rkey=')).length !== 100) throw new Error(`CLI page ${p.join(' ')}: not 100 rows:\n${first.slice(0, 500)}`);
      const [base, own] = interleaved([BARE, { label: p.join(' '), argv }], { runs, warmup: 3 });
      const r = { label: `CLI \`domain.record plid=${ZONE} ${p.join(' ')}\`, ${at}`, median: median(own), p90: quantile(own, 0.9), compare: BARE.label, compareMedian: median(base), paired: pairedRatio(own, base) };
      rows.push(r);
      log(`  ${r.label.padEnd(76)} ${r.median.toFixed(1)} ms  ${(r.median / r.compareMedian).toFixed(2)}× node -e 0 (${r.compareMedian.toFixed(1)} ms)`);
    }

    const clientFile = join(work, 'client.mjs');
    writeFileSync(clientFile, CLIENT);
    const client = (job) => JSON.parse(runOnce(['ip', 'netns', 'exec', ns, process.execPath, clientFile, String(PORT), JSON.stringify(job)], { label: 'HTTP client' }).stdout);
    const server = await startServe(ns, dnsmgr, root, join(work, 'serve.log'));
    try {
      const { key } = authKey(client({ login: ['root', PASSWORD] }));
      const TRIVIAL = 'func=user&out=json';
      const queries = pages.map((p) => `func=domain.record&plid=${ZONE}&out=json&${p.join('&')}`);
      const [base, ...own] = client({ key, rounds: Math.max(runs, 50), warmup: 5, queries: [TRIVIAL, ...queries] });
      own.forEach((r, k) => {
        if (r.rows !== 100 || Number(r.p_elems) !== records) throw new Error(`HTTP ${queries[k]}: ${r.rows} rows, p_elems ${r.p_elems}`);
        const row = { label: `HTTP \`${queries[k]}\`, ${at}`, median: median(r.ms), p90: quantile(r.ms, 0.9), compare: `HTTP \`${TRIVIAL}\``, compareMedian: median(base.ms) };
        rows.push(row);
        log(`  ${row.label.padEnd(76)} ${row.median.toFixed(2)} ms (p90 ${row.p90.toFixed(2)})  against ${row.compareMedian.toFixed(2)} ms`);
      });
    } finally {
      await server.stop();
    }
    return rows;
  } finally {
    await deleteNamespace(ns);
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.on('exit', deleteNamespacesSync);
  const { buildCurrent } = await import('./bench-builds.mjs');
  const builds = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-builds-'));
  try {
    const { dnsmgr } = buildCurrent(join(builds, 'current'));
    await benchRecords({ dnsmgr, runs: Number(process.env.BENCH_RUNS ?? 30), log: (m) => console.error(m) });
  } finally {
    rmSync(builds, { recursive: true, force: true });
  }
}
