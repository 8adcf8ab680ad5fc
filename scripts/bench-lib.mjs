// What the benchmarks share: whole processes timed against a comparison run interleaved with them, network namespaces
// named dnsmgr-bench-…, named processes inside them, and the CPU and memory the kernel counted for a process.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

export const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
const GNU_TIME = '/usr/bin/time';

export function median(xs) {
  return quantile(xs, 0.5);
}

export function quantile(xs, p) {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  // The median of an even count is the mean of the middle two; other quantiles take the nearest rank.
  if (p === 0.5) return s.length % 2 === 1 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
  return s[Math.min(s.length - 1, Math.ceil(p * s.length) - 1)];
}

/**
 * The median of each round's ratio of `own` to `base` (runs of the same round; interleaved gives them in round order).
 * A slow spell of the machine lasting a round or more weighs on both runs of a round alike,
 * where the ratio of two medians takes each median from whichever rounds it falls on.
 */
export function pairedRatio(own, base) {
  if (own.length !== base.length) throw new Error(`pairedRatio: ${own.length} runs against ${base.length}`);
  return median(own.map((x, i) => x / base[i]));
}

/** Runs a whole process once; returns its wall time in ms (spawn to exit, as the caller waits for it). */
export function runOnce(argv, { env, label = argv.join(' ') } = {}) {
  const t0 = process.hrtime.bigint();
  const r = spawnSync(argv[0], argv.slice(1), { env: { ...process.env, ...env }, encoding: 'utf8', maxBuffer: 1 << 30 });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  if (r.status !== 0) throw new Error(`${label}: exit ${r.status ?? r.signal}: ${(r.stdout ?? '').slice(0, 2000)}${r.stderr ?? ''}`);
  return { ms, stdout: r.stdout };
}

/**
 * Times several commands in rounds: every round runs each once, in turn, so a slow spell of the machine hits all of
 * them alike. The first `warmup` rounds (page cache, disk) are not counted. `commands`: [{ argv: array | (round) => array, env, before }].
 * Returns one array of wall times (ms) per command.
 */
export function interleaved(commands, { runs, warmup = 3 }) {
  const samples = commands.map(() => []);
  for (let round = 0; round < runs + warmup; round++) {
    commands.forEach((c, k) => {
      c.before?.(round);
      const argv = typeof c.argv === 'function' ? c.argv(round) : c.argv;
      const { ms } = runOnce(argv, { env: c.env, label: c.label });
      if (round >= warmup) samples[k].push(ms);
    });
  }
  return samples;
}

/**
 * One process under GNU time: wall ms (measured here), user and system CPU seconds and peak RSS in KiB as the kernel
 * reported them to wait4() (ru_utime, ru_stime, ru_maxrss: the process and the children it waited for).
 */
export function runUnderTime(prefix, argv, { env } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-time-'));
  const out = join(dir, 'rusage');
  try {
    const { ms, stdout } = runOnce([...prefix, GNU_TIME, '-o', out, '-f', '%U %S %M', ...argv], { env, label: argv.join(' ') });
    const last = readFileSync(out, 'utf8').trim().split('\n').pop() ?? '';
    const [user, sys, maxRssKiB] = last.split(' ').map(Number);
    if (![user, sys, maxRssKiB].every(Number.isFinite)) throw new Error(`GNU time wrote ${JSON.stringify(last)}`);
    return { ms, cpu: user + sys, user, sys, maxRssKiB, stdout };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** utime + stime of a whole process (all its threads) from /proc/<pid>/stat, in seconds. */
export function processCpuSeconds(pid) {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  // The command name (field 2) may hold spaces and parentheses: count fields after its closing one.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // fields 14 and 15: utime, stime
}

// ---- network namespaces ------------------------------------------------------------------------------------------

const created = new Set();

/** A network namespace with its loopback up. */
export function addNamespace(name) {
  execFileSync('ip', ['netns', 'add', name]);
  created.add(name);
  execFileSync('ip', ['-n', name, 'link', 'set', 'lo', 'up']);
  return name;
}

/** `ip -n ns -batch`, one command per line. */
export function ipBatch(ns, commands) {
  execFileSync('ip', ['-n', ns, '-batch', '-'], { input: `${commands.join('\n')}\n` });
}

export function nsPids(ns) {
  const r = spawnSync('ip', ['netns', 'pids', ns], { encoding: 'utf8' });
  return r.status === 0 ? r.stdout.split('\n').map(Number).filter((p) => Number.isInteger(p) && p > 0) : [];
}

/** Every process in the namespace gets SIGTERM, SIGKILL after 5 s; then the namespace goes. */
export async function deleteNamespace(ns) {
  const signal = (sig) => { for (const pid of nsPids(ns)) { try { process.kill(pid, sig); } catch { /* gone */ } } };
  signal('SIGTERM');
  for (let i = 0; i < 100 && nsPids(ns).length > 0; i++) await sleep(50);
  signal('SIGKILL');
  for (let i = 0; i < 40 && nsPids(ns).length > 0; i++) await sleep(50);
  spawnSync('ip', ['netns', 'del', ns]);
  created.delete(ns);
}

/** For an exit the code did not plan: whatever namespaces are left are emptied and deleted. */
export function deleteNamespacesSync() {
  for (const ns of created) {
    for (const pid of nsPids(ns)) { try { process.kill(pid, 'SIGKILL'); } catch { /* gone */ } }
    spawnSync('ip', ['netns', 'del', ns]);
  }
  created.clear();
}

// ---- named -------------------------------------------------------------------------------------------------------

/**
 * `named -f -c conf` in a namespace, its output appended to `logFile`. `ip netns exec` execs named, so the child's pid
 * is named's own. Waits until `ready()` holds.
 */
export async function startNamed(ns, conf, logFile, ready, { timeoutMs = 600_000, what = 'named' } = {}) {
  const fd = openSync(logFile, 'a');
  const child = spawn('ip', ['netns', 'exec', ns, 'named', '-f', '-c', conf], { stdio: ['ignore', fd, fd] });
  closeSync(fd);
  let exited = null;
  const done = new Promise((resolve) => child.on('exit', (code, sig) => { exited = code ?? sig; resolve(); }));
  const started = Date.now();
  for (;;) {
    if (exited !== null) throw new Error(`${what} exited (${exited}) while starting; log ${logFile}:\n${tail(logFile)}`);
    if (await ready()) break;
    if (Date.now() - started > timeoutMs) {
      child.kill('SIGKILL');
      throw new Error(`${what} not ready after ${timeoutMs} ms; log ${logFile}:\n${tail(logFile)}`);
    }
    await sleep(200);
  }
  return {
    pid: child.pid,
    async stop() {
      if (exited !== null) return;
      child.kill('SIGTERM');
      const t = setTimeout(() => child.kill('SIGKILL'), 30_000);
      await done;
      clearTimeout(t);
    },
  };
}

/** Whether the log holds `text` after byte `from` (read from there on, not whole). */
export function logSays(logFile, text, from = 0) {
  if (!existsSync(logFile)) return false;
  const fd = openSync(logFile, 'r');
  try {
    const buf = Buffer.alloc(1 << 20);
    let pos = from;
    let carry = '';
    for (;;) {
      const n = readSync(fd, buf, 0, buf.length, pos);
      if (n === 0) return false;
      pos += n;
      const chunk = carry + buf.toString('latin1', 0, n);
      if (chunk.includes(text)) return true;
      carry = chunk.slice(-text.length);
    }
  } finally {
    closeSync(fd);
  }
}

export function sizeOf(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

function tail(file, lines = 20) {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

/** The view every namespace's zones are in (src/store/namespaces.ts SHARED_VIEW). */
export const SHARED_VIEW = '_dnsmgr';

/**
 * Zones of one account as `rndc addzone` leaves them: rows in dnsmgr's database recording where named has them (the
 * shared view, the namespace's ACL text as src/sync/place.ts writes it), for named to load at its next start (named
 * stopped meanwhile). named reads a view's new-zones file only while the view has no new-zones database yet, so the
 * file is written anew with every zone of the shared view and the database removed. `names` are valid zone names;
 * returns the zone directory. Many accounts: `nzf: false` for each, then writeSharedNzf once.
 */
export function seedZones(db, root, login, names, { master, at, rname = false, nzf = true }) {
  const acc = db.prepare('SELECT id, namespace_id FROM account WHERE name = ?').get(login);
  const acl = aclOf(db, acc.namespace_id);
  const zoneDir = join(root, 'var', 'named', 'slave', SHARED_VIEW);
  mkdirSync(zoneDir, { recursive: true });
  const insert = db.prepare(`INSERT INTO zone (name, rname, namespace_id, owner_id, masters, applied_masters, applied_view, applied_acl, created_at, updated_at)
    VALUES (?, ?, ?, ?, ?, ?, '${SHARED_VIEW}', ?, ?, ?)`);
  db.transaction(() => {
    for (const name of names) insert.run(name, rname ? `${name.split('.').reverse().join('.')}.` : null, acc.namespace_id, acc.id, master, master, acl.text, at, at);
  })();
  if (nzf) writeSharedNzf(db, root);
  return zoneDir;
}

/** A namespace's ACLs: the lists for the zone clause, and the text dnsmgr records (src/sync/place.ts aclText). */
function aclOf(db, namespaceId) {
  const ns = db.prepare('SELECT allow_transfer FROM namespace WHERE id = ?').get(namespaceId);
  const ips = db.prepare('SELECT addr FROM ipaddr WHERE namespace_id = ? ORDER BY addr').pluck().all(namespaceId);
  const xfer = ns.allow_transfer === '' || ns.allow_transfer === 'none' ? [] : ns.allow_transfer.split(',').map((s) => s.trim());
  const listText = (items) => (items.length === 0 ? 'none' : [...items].sort().join(','));
  const clauseList = (items) => (items.length === 0 ? 'none;' : items.map((i) => `${i};`).join(' '));
  return { text: `on ${listText(ips)}; xfer ${listText(xfer)}`, queryOn: clauseList(ips), transfer: clauseList(xfer) };
}

/** The shared view's new-zones file with every zone recorded there, its database removed (named stopped). */
export function writeSharedNzf(db, root) {
  const zoneDir = join(root, 'var', 'named', 'slave', SHARED_VIEW);
  const nzd = join(root, 'var', 'named', 'nzd');
  const acls = new Map();
  const lines = [];
  for (const z of db.prepare(`SELECT name, masters, namespace_id AS ns FROM zone WHERE applied_view = '${SHARED_VIEW}' ORDER BY id`).iterate()) {
    if (!acls.has(z.ns)) acls.set(z.ns, aclOf(db, z.ns));
    const acl = acls.get(z.ns);
    lines.push(`zone "${z.name}" { type slave; masters { ${z.masters.split(',').map((m) => `${m};`).join(' ')} }; file "${join(zoneDir, `${z.name}.db`)}"; allow-query-on { ${acl.queryOn} }; allow-transfer { ${acl.transfer} }; };`);
  }
  writeFileSync(join(nzd, `${SHARED_VIEW}.nzf`), `${lines.join('\n')}\n`);
  for (const f of [`${SHARED_VIEW}.nzd`, `${SHARED_VIEW}.nzd-lock`]) rmSync(join(nzd, f), { force: true });
}

/**
 * A zone file for each of `names` in `zoneDir`, as named leaves one after a transfer (raw format): named loads and serves
 * them at start and asks their master only 6 to 24 hours later (SOA refresh and retry a day: a loaded secondary's first
 * refresh comes between a quarter of the retry and the retry; expire four weeks from the file's time), as a secondary
 * whose zones are up to date does. Without them, every zone's master is unreachable and
 * named retries each from the start, at serial-query-rate: a third of a core on 100,000 zones, an outage, not the
 * usual state. Names are `<label>.<rest>`; one template per label length and rest, compiled by named-compilezone, is
 * copied with the label replaced (same length, so every offset in the file stays right).
 */
export function writeServedZoneFiles(zoneDir, names) {
  mkdirSync(zoneDir, { recursive: true });
  const templates = new Map();
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-zonefile-'));
  try {
    for (const name of names) {
      const dot = name.indexOf('.');
      const label = name.slice(0, dot);
      const key = `${label.length}${name.slice(dot)}`;
      let t = templates.get(key);
      if (t === undefined) {
        const stand = 'q'.repeat(label.length);
        const text = join(work, 'zone.txt');
        const raw = join(work, `${templates.size}.raw`);
        writeFileSync(text, '$TTL 3600\n@ IN SOA ns1.invalid. hostmaster.invalid. 2026120101 86400 86400 2419200 3600\n@ IN NS ns1.invalid.\n');
        execFileSync('named-compilezone', ['-q', '-F', 'raw', '-o', raw, `${stand}${name.slice(dot)}`, text]);
        const bytes = readFileSync(raw);
        const at = [];
        for (let i = bytes.indexOf(stand); i !== -1; i = bytes.indexOf(stand, i + 1)) at.push(i);
        if (at.length !== 2) throw new Error(`named-compilezone wrote the zone name ${at.length} times, not twice (SOA, NS)`);
        t = { bytes, at };
        templates.set(key, t);
      }
      for (const offset of t.at) t.bytes.write(label, offset, 'latin1');
      writeFileSync(join(zoneDir, `${name}.db`), t.bytes);
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
