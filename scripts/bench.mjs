// npm run bench: what every request pays, measured as whole processes (each panel request starts one), written to
// bench/RESULTS.md. Needs root for the part that runs a real named in its own network namespace.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';

const DNSMGR = resolve('addon/dnsmgr');
const RUNS = Number(process.env.BENCH_RUNS ?? 30);
const NS = `dnsmgr-bench-${process.pid}`;
const results = [];

function time(label, argv, { runs = RUNS, env, before } = {}) {
  const samples = [];
  for (let i = 0; i < runs + 3; i++) {
    const args = typeof argv === 'function' ? argv(i) : argv;
    before?.(i);
    const t0 = process.hrtime.bigint();
    const r = spawnSync(args[0], args.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8' });
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    if (r.status !== 0) throw new Error(`${label}: exit ${r.status}: ${r.stdout}${r.stderr}`);
    if (i >= 3) samples.push(ms); // the first runs warm the page cache
  }
  samples.sort((a, b) => a - b);
  const q = (p) => samples[Math.min(samples.length - 1, Math.floor(p * samples.length))];
  const row = { label, runs, median: q(0.5), p90: q(0.9), min: samples[0] };
  results.push(row);
  console.error(`${label.padEnd(58)} median ${row.median.toFixed(1)} ms  p90 ${row.p90.toFixed(1)} ms`);
  return row;
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

const root = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-'));
const cli = (...a) => [process.execPath, DNSMGR, '--root', root, ...a];
execFileSync(process.execPath, [DNSMGR, '--root', root, 'init'], { env: { ...process.env, DNSMGR_ROOT_PASSWORD: 'bench' } });

const bare = time('node -e 0 (bare Node.js start)', [process.execPath, '-e', '0']);
time('dnsmgr -i (describe; no database)', cli('-i'));
time('dnsmgr domain (list, empty database)', cli('domain'));
seedZones(root, 1000);
time('dnsmgr domain (list of 1,000 zones, text)', cli('domain'));
time('handler: PARAM_func=domain (1,000 zones, XML)', [process.execPath, DNSMGR], { env: { DNSMGR_ROOT: root, PARAM_func: 'domain', AUTH_USER: 'root', AUTH_LEVEL: '30' } });
unseed(root);

let named;
try {
  execFileSync('ip', ['netns', 'add', NS]);
  execFileSync('ip', ['-n', NS, 'link', 'set', 'lo', 'up']);
  writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'NetworkInterface lo\n');
  named = spawn('ip', ['netns', 'exec', NS, 'named', '-f', '-c', join(root, 'etc', 'named', 'named.conf')], { stdio: 'ignore' });
  const inNs = (...a) => ['ip', 'netns', 'exec', NS, ...cli(...a)];
  for (let i = 0; i < 100; i++) {
    const r = spawnSync('ip', ['netns', 'exec', NS, 'rndc', '-k', join(root, 'etc', 'named', 'rndc.key'), '-s', '127.0.0.1', 'status']);
    if (r.status === 0) break;
    execFileSync('sleep', ['0.1']);
  }
  for (const a of [['ipaddr.edit', 'name=192.0.2.10', 'sok=ok'], ['user.edit', 'name=bench', 'passwd=bench-pw', 'ip=192.0.2.10', 'sok=ok']]) {
    const [file, ...args] = inNs(...a);
    execFileSync(file, args);
  }
  time('ip netns exec (namespace entry, subtract from the rows below)', ['ip', 'netns', 'exec', NS, process.execPath, '-e', '0']);
  // The master (198.51.100.1) is unreachable in this namespace: named adds the zone and its transfer fails locally.
  time('domain.edit (new slave zone: validate, SQLite, rndc addzone)', (i) => inNs('domain.edit', `name=bench-${i}.example`, 'masterip=198.51.100.1', 'sok=ok', 'su=bench'));
  time('domain.edit repeated (no change: nothing sent to named)', inNs('domain.edit', 'name=bench-0.example', 'masterip=198.51.100.1', 'sok=ok', 'su=bench'));
  time('domain.delete (rndc delzone -clean)', (i) => inNs('domain.delete', `elid=bench-${i}.example`, 'su=bench'));

  // The ISPmanager hook as the panel runs it: it queues the change and starts the worker, and must return at once.
  // The slave URL is a closed port on the namespace's own loopback: the worker's attempts fail there and retry later.
  const isp = join(root, 'isp');
  mkdirSync(join(isp, 'etc'), { recursive: true });
  mkdirSync(join(isp, 'addon'), { recursive: true });
  writeFileSync(join(isp, 'etc', 'dnsmgr-ispmgr.conf'), 'SlaveUrl http://127.0.0.1:1/dnsmgr\nSlaveUser bench\nSlavePassword x\nMasterIp 198.51.100.1\nEnabled yes\n');
  symlinkSync(DNSMGR, join(isp, 'addon', 'dnsmgr-ispmgr'));
  time('ISPmanager hook: after domain.edit (queue + start worker)', (i) => ['ip', 'netns', 'exec', NS, process.execPath, join(isp, 'addon', 'dnsmgr-ispmgr')], {
    env: { DNSMGR_ROOT: isp, AUTH_USER: 'root', AUTH_LEVEL: '30', PARAM_func: 'domain.edit', PARAM_sok: 'ok', PARAM_name: 'hooked.example' },
  });
} finally {
  named?.kill('SIGTERM');
  spawnSync('bash', ['-c', `for p in $(ip netns pids ${NS}); do kill $p; done; sleep 0.3; ip netns del ${NS}`]);
  rmSync(root, { recursive: true, force: true });
}

const lines = [
  '# dnsmgr benchmarks',
  '',
  `Written by \`npm run bench\` on ${new Date().toISOString().slice(0, 10)}: Node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'CPU'}.`,
  `Each row runs a whole process ${RUNS} times (after 3 warm-up runs) and reports wall time; "over bare" subtracts the median of \`node -e 0\`.`,
  '',
  '| what | median ms | p90 ms | min ms | over bare node, median ms |',
  '|---|---:|---:|---:|---:|',
  ...results.map((r) => `| ${r.label} | ${r.median.toFixed(1)} | ${r.p90.toFixed(1)} | ${r.min.toFixed(1)} | ${r === bare ? '—' : (r.median - bare.median).toFixed(1)} |`),
  '',
];
writeFileSync(resolve('bench/RESULTS.md'), lines.join('\n'));
console.error('written bench/RESULTS.md');
