// Both name servers side by side (issue 10): BIND and PowerDNS, each behind its own dnsmgr root in the same slave
// namespace, measured in the same run — a `domain.edit` adding a zone against a bare `node -e 0` (interleaved), the
// name server's memory per namespace with no zones and per zone at 10,000 zones, and its restart time at 10,000 zones.
// Memory is PSS (proportional set size: pages shared between processes, such as PowerDNS's libraries across its
// instances, counted once in all), summed over the name server's processes.
//
// Run by scripts/bench.mjs (BENCH_BACKENDS=0 skips it), or alone: `node scripts/bench-backends.mjs [zones]` (as root:
// it makes network namespaces dnsmgr-bench-…). BENCH_RUNS (30): runs per request row.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { addNamespace, deleteNamespace, deleteNamespacesSync, interleaved, ipBatch, logSays, median, runOnce, startNamed } from './bench-lib.mjs';
import { MASTER_IP, startMaster, zoneName } from './bench-zones.mjs';

/** Namespaces made to measure memory per namespace. */
const NAMESPACES = 20;

export async function benchBackends({ dnsmgr, zones = 10_000, runs = 30, log }) {
  const tag = `${process.pid}-${randomBytes(3).toString('hex')}`;
  const M = `dnsmgr-bench-${tag}-m`;
  const S = `dnsmgr-bench-${tag}-s`;
  const work = mkdtempSync(join(tmpdir(), 'dnsmgr-bench-backends-'));
  const perBackend = zones + runs + 10;
  let master;
  const backends = [];
  try {
    addNamespace(M);
    addNamespace(S);
    ipBatch(M, [`link add veth-m type veth peer name veth-s netns ${S}`, `addr add ${MASTER_IP}/24 dev veth-m`, 'link set veth-m up']);
    ipBatch(S, ['addr add 198.51.100.2/24 dev veth-s', 'link set veth-s up']);
    execFileSync('ip', ['netns', 'exec', S, 'sysctl', '-qw', 'net.ipv4.ip_local_port_range=10240 65535', 'net.ipv4.tcp_max_tw_buckets=4096']);
    master = await startMaster(M, join(work, 'master'), 2 * perBackend, () => true);
    log(`backends: master serves ${2 * perBackend} zones`);
    const inS = (argv) => ['ip', 'netns', 'exec', S, ...argv];

    for (const [k, name] of ['bind', 'powerdns'].entries()) {
      const root = join(work, name);
      const cli = (...a) => [process.execPath, dnsmgr, '--root', root, ...a];
      runOnce(cli('init'), { env: { DNSMGR_ROOT_PASSWORD: 'bench-root' } });
      writeFileSync(join(root, 'etc', 'dnsmgr.conf'), `NetworkInterface veth-s\nNameServer ${name}\n# the other backend's ports\nPdnsPortBase ${18300 + k * 1000}\n`);
      const b = { name, root, cli, inS, named: undefined, first: k * perBackend };
      if (name === 'bind') {
        const namedLog = join(root, 'named.log');
        const rndc = inS(['rndc', '-k', join(root, 'etc', 'named', 'rndc.key'), '-s', '127.0.0.1']);
        b.rndc = rndc;
        b.namedLog = namedLog;
        b.startNamed = () => startNamed(S, join(root, 'etc', 'named', 'named.conf'), namedLog,
          async () => logSays(namedLog, 'running') && spawnSync(rndc[0], [...rndc.slice(1), 'status']).status === 0, { what: 'named' });
        b.named = await b.startNamed();
      }
      backends.push(b);
    }
    const pss = (b) => pssKiB(b.name === 'bind' ? [b.named.pid] : pdnsPids(b.root));

    // Memory per namespace: NAMESPACES accounts, each with an address of its own, no zones.
    const perNamespace = {};
    for (const [k, b] of backends.entries()) {
      const before = pss(b);
      for (let i = 0; i < NAMESPACES; i++) {
        const ip = `192.0.2.${k * 100 + i + 1}`;
        runOnce(inS(b.cli('ipaddr.edit', `name=${ip}`, 'sok=ok')));
        runOnce(inS(b.cli('user.edit', `name=u${i}`, 'passwd=bench-pw', `ip=${ip}`, 'sok=ok')));
      }
      await sleep(1000);
      perNamespace[b.name] = (pss(b) - before) / NAMESPACES;
      log(`backends: ${b.name}: ${NAMESPACES} namespaces, ${(perNamespace[b.name] / 1024).toFixed(2)} MiB each`);
    }

    // One zone added per request, against a bare node, interleaved: both backends in the same rounds.
    const bare = { label: 'node -e 0', argv: inS([process.execPath, '-e', '0']) };
    const next = Object.fromEntries(backends.map((b) => [b.name, 0]));
    const add = (b) => ({ label: `${b.name}: domain.edit adding a zone`, argv: () => inS(b.cli('domain.edit', `name=${zoneName(b.first + next[b.name]++)}`, `masterip=${MASTER_IP}`, 'sok=ok', 'su=u0')) });
    const rowsToTime = [bare, ...backends.map(add)];
    const samples = interleaved(rowsToTime, { runs });
    const requestTimes = new Map(rowsToTime.map((r, k) => [r.label, samples[k]]));

    // Memory per zone: `zones` zones imported into one namespace, all transferred.
    const perZone = {};
    const restart = {};
    for (const b of backends) {
      const list = join(work, `${b.name}.zones`);
      const from = b.first + runs + 10;
      writeFileSync(list, Array.from({ length: zones }, (_, i) => `${zoneName(from + i)} ${MASTER_IP} u1\n`).join(''));
      const before = pss(b);
      const t0 = Date.now();
      runOnce(inS(b.cli('domain.import', `file=${list}`)));
      const imported = (Date.now() - t0) / 1000;
      const last = zoneName(from + zones - 1);
      const ip = `192.0.2.${backends.indexOf(b) * 100 + 2}`;
      await waitServed(inS, ip, [zoneName(from), zoneName(from + Math.floor(zones / 2)), last], 1_200_000);
      await waitAllTransferred(b, zones, 1_200_000);
      const transferred = (Date.now() - t0) / 1000;
      await sleep(2000);
      perZone[b.name] = (pss(b) - before) / zones;
      log(`backends: ${b.name}: ${zones} zones imported in ${imported.toFixed(1)} s, transferred after ${transferred.toFixed(1)} s; ${perZone[b.name].toFixed(2)} KiB each`);

      // Restart: stopped, started, until the last zone answers again.
      const t1 = Date.now();
      if (b.name === 'bind') {
        await b.named.stop();
        b.named = await b.startNamed();
      } else {
        for (const pid of pdnsPids(b.root)) process.kill(pid, 'SIGTERM');
        while (pdnsPids(b.root).length > 0) await sleep(20);
        // What dnsmgr run does every few seconds, here done by the next namespace change (of a namespace without
        // zones, so that the request does nothing else): every missing instance started.
        runOnce(inS(b.cli('namespace.edit', 'elid=u5', 'allow_transfer=any', 'sok=ok')));
      }
      await waitServed(inS, ip, [last], 600_000);
      restart[b.name] = (Date.now() - t1) / 1000;
      log(`backends: ${b.name}: restart at ${zones} zones: ${restart[b.name].toFixed(2)} s until the last zone answers`);
    }

    const bareMs = median(requestTimes.get(bare.label));
    const rows = backends.map((b) => {
      const ms = median(requestTimes.get(`${b.name}: domain.edit adding a zone`));
      return {
        backend: b.name,
        addMs: ms,
        addRatio: ms / bareMs,
        namespaceMiB: perNamespace[b.name] / 1024,
        zoneKiB: perZone[b.name],
        restartS: restart[b.name],
      };
    });
    return { bareMs, runs, zones, namespaces: NAMESPACES, rows };
  } finally {
    for (const b of backends) {
      await b.named?.stop().catch(() => undefined);
      for (const pid of pdnsPids(b.root)) process.kill(pid, 'SIGKILL');
    }
    await master?.stop().catch(() => undefined);
    await deleteNamespace(S).catch(() => undefined);
    await deleteNamespace(M).catch(() => undefined);
    rmSync(work, { recursive: true, force: true });
  }
}

async function waitServed(inS, ip, names, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (const name of names) {
    for (;;) {
      const r = spawnSync(inS(['dig'])[0], [...inS(['dig']).slice(1), '+tries=1', '+time=1', `@${ip}`, name, 'SOA', '+short'], { encoding: 'utf8' });
      if (r.status === 0 && r.stdout.trim() !== '') break;
      if (Date.now() > deadline) throw new Error(`${name} not served on ${ip} within ${timeoutMs / 1000} s`);
      await sleep(200);
    }
  }
}

/** Until the name server has every zone's data: BIND's zone files, PowerDNS's SOA records. */
async function waitAllTransferred(b, zones, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const n = b.name === 'bind' ? countFiles(join(b.root, 'var', 'named', 'slave', '_dnsmgr')) : pdnsSoaCount(b.root);
    if (n >= zones) return;
    if (Date.now() > deadline) throw new Error(`${b.name}: ${n} of ${zones} zones transferred within ${timeoutMs / 1000} s`);
    await sleep(1000);
  }
}

function countFiles(dir) {
  return existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.db')).length : 0;
}

function pdnsSoaCount(root) {
  const dir = join(root, 'var', 'lib', 'powerdns');
  let n = 0;
  for (const f of readdirSync(dir).filter((x) => x.endsWith('.sqlite3'))) {
    const db = new Database(join(dir, f), { readonly: true });
    try {
      db.pragma('busy_timeout = 10000');
      n += db.prepare("SELECT count(*) FROM records WHERE type = 'SOA'").pluck().get();
    } finally {
      db.close();
    }
  }
  return n;
}

function pdnsPids(root) {
  const dir = `--config-dir=${join(root, 'etc', 'powerdns')}`;
  return readdirSync('/proc').filter((p) => /^\d+$/.test(p)).filter((p) => {
    try {
      return readFileSync(`/proc/${p}/cmdline`, 'utf8').split('\0').includes(dir);
    } catch {
      return false;
    }
  }).map(Number);
}

function pssKiB(pids) {
  let total = 0;
  for (const pid of pids) {
    const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    total += Number(m?.[1] ?? 0);
  }
  return total;
}

/** The section of bench/RESULTS.md: the table and how it was measured. */
export function renderBackendsSection(r) {
  return [
    '## BIND and PowerDNS side by side (issue 10)',
    '',
    'Each name server behind a dnsmgr root of its own, both in one network namespace and measured in the same run',
    `(scripts/bench-backends.mjs). The request rows are interleaved with \`node -e 0\` (${r.runs} runs each, medians);`,
    `memory is the name server's PSS summed over its processes (named; every pdns_server instance), per namespace from`,
    `${r.namespaces} accounts with an address of their own and no zones, per zone from ${r.zones.toLocaleString('en')} zones imported into one namespace`,
    'and all transferred from a local master; restart is from the name server stopped until the last zone answers again',
    '(PowerDNS: every instance started by the next dnsmgr request, as `dnsmgr run` does within seconds).',
    '',
    renderBackends(r),
    '',
  ].join('\n');
}

export function renderBackends(r) {
  const lines = [
    `| name server | \`domain.edit\` adding a zone (median of ${r.runs}) | / bare \`node -e 0\` (${r.bareMs.toFixed(1)} ms) | memory per namespace, no zones | memory per zone at ${r.zones.toLocaleString('en')} zones | restart at ${r.zones.toLocaleString('en')} zones (until the last zone answers) |`,
    '|---|---|---|---|---|---|',
    ...r.rows.map((x) => `| ${x.backend} | ${x.addMs.toFixed(1)} ms | ${x.addRatio.toFixed(2)}× | ${x.namespaceMiB.toFixed(2)} MiB | ${x.zoneKiB.toFixed(2)} KiB | ${x.restartS.toFixed(2)} s |`),
  ];
  return lines.join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(new URL(import.meta.url).pathname)) {
  process.on('SIGINT', () => { deleteNamespacesSync(); process.exit(130); });
  const zones = Number(process.argv[2] ?? 10_000);
  const r = await benchBackends({ dnsmgr: resolve('addon/dnsmgr'), zones, runs: Number(process.env.BENCH_RUNS ?? 30), log: (m) => process.stderr.write(`${m}\n`) });
  process.stdout.write(`${renderBackends(r)}\n`);
}
