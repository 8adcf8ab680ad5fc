// bench/RESULTS.md from what scripts/bench.mjs measured. A renderer: it returns the text, bench.mjs writes it.
import { CLK_TCK } from './bench-lib.mjs';

const n = (x) => x.toLocaleString('en-US');
const f1 = (x) => x.toFixed(1);
const f2 = (x) => x.toFixed(2);
const times = (x) => `${x.toFixed(2)}×`;
const mib = (kib) => (kib / 1024).toFixed(0);
/** The issue's CPU budget for one refresh: 2 s at 10,000 zones, 20 s at 100,000 (0.2 ms a zone). */
const budget = (zones) => (zones * 2) / 10_000;

export function renderResults({ machine: m, runs, floorRuns, rows, health, healthRuns, previous }) {
  const out = [
    '# dnsmgr benchmarks',
    '',
    `Written by \`npm run bench\` on ${m.date}; the whole run took ${f1(m.seconds / 60)} min. dnsmgr measured: the working tree at commit`,
    `${m.commit}${m.dirty.length ? ` with uncommitted changes to ${m.dirty.join(', ')}` : ''}, built apart (its own scripts/build.mjs) when the run started.`,
    `Machine: ${m.nproc} CPUs (${m.cpu}), Linux ${m.kernel}, Node ${m.node}, ${m.named}; load average ${f2(m.load[0])} when the run started, ${f2(m.load[1])} when it ended.`,
    '',
    'Every figure comes from whole processes, started as a caller starts them and timed to their exit. Each is quoted as a',
    'ratio against a comparison measured in the same run, interleaved with it (one run of each in turn, after warm-up runs),',
    'so both medians come from the same minutes on the same machine. "per round": the median of each round\'s ratio of the',
    'row\'s run to its comparison\'s run in the same round (scripts/bench-lib.mjs pairedRatio); a slow spell of the machine',
    'lasting a round weighs on both runs of it alike, where the ratio of two medians takes each from whichever rounds it falls on.',
    '',
    '## Requests',
    '',
    `Each row: ${runs} runs of the row and ${runs} of its comparison, interleaved, after 3 warm-up rounds; wall time, median.`,
    ...(floorRuns === undefined ? [] : [`The \`floor:\` rows (issue 9's goal 1, ≤ 1.3× a bare node start): ${floorRuns} rounds each.`]),
    '`netns:` rows run inside a network namespace with the instance\'s named (`ip netns exec`), as do their comparisons.',
    '',
    '| what | median ms | p90 ms | compared with | its median ms | ratio | per round |',
    '|---|---:|---:|---|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${f1(r.median)} | ${f1(r.p90)} | ${r.compare} | ${f1(r.compareMedian)} | ${times(r.median / r.compareMedian)} | ${r.paired === undefined ? '—' : times(r.paired)} |`),
    '',
  ];
  if (health.length > 0) out.push(...renderHealth(health, healthRuns, previous));
  return out.join('\n');
}

function renderHealth(health, healthRuns, previous) {
  const out = [
    '## Zone health refresh (issue 7: ≤ 2 s of CPU at 10,000 zones, ≤ 20 s at 100,000, memory flat)',
    '',
    `One \`dnsmgr --root R domain.health.update\` process. ${healthRuns} rounds per zone count, each running \`node -e 0\`, a refresh as`,
    'configured (automatic retransfer on: before it, the 150 zones that never loaded are made due, as they are every 15 s',
    'at first, so it makes every attempt it may for them) and a refresh with `RetransferLimit 0` (the state alone), in turn,',
    'all in the slave namespace under GNU time; medians. "first" is the single refresh right after the zones arrived, which',
    'reads their whole transfer log and creates their health rows. "attempts" counts the automatic retransfer attempts',
    '(the growth of `zone_health.retransfers`: looks at the master, and retransfers), "rndc" the `rndc retransfer` calls',
    'dnsmgr logged.',
    '',
    '| zones (not served) | refresh | dnsmgr CPU s | named CPU s | total CPU s | budget s | total / budget | wall ms | wall / `node -e 0` | dnsmgr peak RSS MiB | RSS / `node -e 0` |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const h of health) {
    const b = budget(h.zones);
    const line = (what, r, { ratios = true } = {}) => `| ${n(h.zones)} (${n(h.failing)}) | ${what} | ${f2(r.cpu)} | ${f2(r.namedCpu)} | ${f2(r.total)} | ${b} | ${times(r.total / b)} | ${r.ms.toFixed(0)} | ${ratios ? times(r.ms / h.bare.ms) : '—'} | ${mib(r.maxRssKiB)} | ${ratios ? times(r.maxRssKiB / h.bare.maxRssKiB) : '—'} |`;
    const what = (r) => `${n(r.attempts)} attempts, ${n(r.retransfers)} rndc`;
    out.push(line(`as configured (${what(h.full)})`, h.full));
    out.push(line(`RetransferLimit 0 (${what(h.stateOnly)})`, h.stateOnly));
    out.push(line(`first, 1 run (${what(h.first)})`, h.first, { ratios: false }));
  }
  out.push('', 'The comparison, `node -e 0` run the same way in the same rounds:', '');
  out.push('| zones | `node -e 0` wall ms | its CPU s | its peak RSS MiB | named CPU with no request running, s per s |', '|---|---:|---:|---:|---:|');
  for (const h of health) out.push(`| ${n(h.zones)} | ${f1(h.bare.ms)} | ${f2(h.bare.cpu)} | ${mib(h.bare.maxRssKiB)} | ${h.namedIdle.toFixed(3)} |`);
  const [small, large] = [health[0], health.at(-1)];
  out.push('');
  if (large !== small) {
    out.push(`**Memory**: dnsmgr's peak RSS in a refresh at ${n(large.zones)} zones is ${times(large.full.maxRssKiB / small.full.maxRssKiB)} that at ${n(small.zones)} `
      + `(as configured; ${times(large.stateOnly.maxRssKiB / small.stateOnly.maxRssKiB)} with RetransferLimit 0): `
      + `${mib(small.full.maxRssKiB)} → ${mib(large.full.maxRssKiB)} MiB for ${n(large.zones / small.zones)}× the zones.`);
    out.push('');
  }
  out.push('The zones, per count:', '');
  for (const h of health) {
    const statuses = Object.entries(h.statuses).sort((a, b) => b[1] - a[1]).map(([s, c]) => `${s} ${n(c)}`).join(', ');
    out.push(`- ${n(h.zones)}: ${h.transferred ? 'transferred from the master after named started' : 'the new ones loaded from zone files'} `
      + `(${f1(h.setupSeconds)} s until every zone was in and named was quiet); ${n(h.failing)} failing: ${n(h.neverLoaded)} never loaded, `
      + `${n(h.failing - h.neverLoaded)} lost; statuses after the refreshes: ${statuses}.`);
  }
  out.push('');
  const lists = health.filter((h) => h.list);
  if (lists.length > 0 && previous) {
    out.push(
      `## \`domain\` list with the health columns against ${previous.commit} (target ≤ 1.1×)`,
      '',
      `\`dnsmgr --root R domain\` (text, every zone, as root) of this build on a copy of the instance's database after the refreshes,`,
      `against the build of ${previous.commit} (\`git archive\`, its own scripts/build.mjs, this node_modules) on a copy taken back to`,
      'schema 3 (`DROP TABLE zone_health; PRAGMA user_version = 3`); both copies made with `VACUUM INTO`. Rounds of',
      '`node -e 0`, the old list and the new one, in turn, after 2 warm-up rounds; medians.',
      '',
      `| zones | rounds | \`node -e 0\` ms | ${previous.commit} ms | now ms | now / ${previous.commit} | ${previous.commit} / \`node -e 0\` | now / \`node -e 0\` |`,
      '|---|---:|---:|---:|---:|---:|---:|---:|',
      ...lists.map(({ list: l }) => `| ${n(l.zones)} | ${l.runs} | ${f1(l.bare.median)} | ${f1(l.before.median)} | ${f1(l.now.median)} | **${times(l.now.median / l.before.median)}** | ${times(l.before.median / l.bare.median)} | ${times(l.now.median / l.bare.median)} |`),
      '',
      `A row before: \`${lists[0].list.sampleBefore}\``,
      '',
      `A row now: \`${lists[0].list.sampleNow}\``,
      '',
    );
  }
  out.push(
    '### How the health figures are measured',
    '',
    '- **The world**: two network namespaces (`dnsmgr-bench-…-m`, `-s`) joined by a veth made inside the first, 198.51.100.1 and',
    '  .2. A master named serves every zone but one in twenty from one shared tiny zone file (SOA 86400/7200/3600000/3600,',
    '  NS, A, TXT). The instance is made by `dnsmgr init` (its named.conf, with the statistics channel and the zone log, is',
    '  used as written), an address and a user per zone batch (`ipaddr.edit`, `user.edit`: a namespace and a view each).',
    '- **The zones**: put in place as `rndc addzone` leaves them: rows in the database (added an hour ago, so a zone that',
    '  never loaded is a problem, not waiting) and the view\'s new-zones file, which named migrates into its new-zones',
    '  database when it starts. The first 10,000 are transferred from the master (serial-query-rate 200 paces them); the',
    '  next 90,000, in a second view, get the raw zone file named wrote for the first zone with the zone\'s label replaced',
    '  (all names have the same length, so the file is what named would have written), and named loads them at start.',
    '- **Failing zones**, one in twenty: 150 (z000007 … z002987) the master never served: their first transfer is REFUSED,',
    '  named retries them on its own backoff and the refresh makes its automatic retransfer attempts; the others were',
    '  transferred, then the master stopped serving them (its named.conf rewritten, `rndc reconfig`) and `rndc refresh`',
    '  made named ask for each, REFUSED, as it would at its next refresh; named asks again only after the SOA retry (2 h),',
    '  so it stays quiet while measured. Both kinds end `problem` with reason `notauth`.',
    '- **dnsmgr CPU and peak memory**: `ip netns exec S /usr/bin/time -f "%U %S %M" node …/addon/dnsmgr …`: user + system CPU',
    '  and the peak resident set (ru_maxrss, the kernel\'s high-water mark, VmHWM) that wait4() reports for the process,',
    '  including the children it waited for (`rndc` processes, if any; their peak is far below dnsmgr\'s). Exact, no',
    '  polling.',
    `- **named CPU**: utime + stime of named (all threads) from /proc/<pid>/stat just before and just after the dnsmgr process,`,
    `  in clock ticks of 1/${CLK_TCK} s (\`getconf CLK_TCK\`). "named CPU with no request running" is the same over 10 quiet seconds.`,
    '- **wall**: from spawning `ip netns exec …` to its exit, measured by the benchmark; `node -e 0` is run identically.',
    '',
  );
  return out;
}
