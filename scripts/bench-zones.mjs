// The zones of the health benchmark and how they get into the instance: which ones fail and how, the master serving
// the others, the rows and new-zones file `rndc addzone` would have left, the zone files named would have written, and
// the waits until named has them all and is quiet.
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import Database from 'better-sqlite3';
import { logSays, runOnce, SHARED_VIEW, seedZones, startNamed } from './bench-lib.mjs';

export const MASTER_IP = '198.51.100.1';
const SERIAL = 2026113001;
/** One zone in twenty fails: the master does not serve it. */
const FAIL_EVERY = 20;
/** Failing zones below this number never loaded (the master never served them); the others were lost later. */
const NEVER_BELOW = 3000;

export const zoneName = (i) => `z${String(i).padStart(6, '0')}.example`;
export const failing = (i) => i % FAIL_EVERY === 7;
/** Never served (150 zones): named retries them on its own backoff, and the refresh makes its automatic retransfer attempts. */
export const neverLoaded = (i) => failing(i) && i < NEVER_BELOW;
/** Served, transferred, then no longer served: named's next refresh of them is REFUSED. */
export const lost = (i) => failing(i) && i >= NEVER_BELOW;

export function range(from, to) {
  return Array.from({ length: to - from }, (_, k) => from + k);
}

export function countOf(kind, from, to) {
  let n = 0;
  for (let i = from; i < to; i++) if (kind(i)) n++;
  return n;
}

/** `rndc <args>` for each entry, `parallel` at a time. */
export async function rndcEach(rndc, argsList, parallel) {
  let next = 0;
  const one = (args) => new Promise((resolve, reject) => {
    const child = spawn(rndc[0], [...rndc.slice(1), ...args], { stdio: 'ignore' });
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`rndc ${args.join(' ')}: exit ${code}`))));
  });
  await Promise.all(Array.from({ length: parallel }, async () => {
    while (next < argsList.length) await one(argsList[next++]);
  }));
}

/**
 * The master, serving the zones `serves(i)` of the first `count`; `serveOnly(serves)` rewrites its named.conf and
 * applies it with `rndc reconfig`, so the master never goes away meanwhile.
 */
export async function startMaster(ns, dir, count, serves) {
  mkdirSync(dir, { recursive: true });
  // No $ORIGIN: every zone reads the same file relative to its own name.
  const zoneFile = join(dir, 'zone.db');
  writeFileSync(zoneFile, [
    '$TTL 3600',
    // RIPE-203's timers: refresh a day, retry two hours, expire 1000 hours.
    `@\tIN\tSOA\tns1 hostmaster ( ${SERIAL} 86400 7200 3600000 3600 )`,
    '@\tIN\tNS\tns1',
    `ns1\tIN\tA\t${MASTER_IP}`,
    'www\tIN\tA\t203.0.113.80',
    '@\tIN\tTXT\t"bench"',
    '',
  ].join('\n'));
  const keyFile = join(dir, 'rndc.key');
  writeFileSync(keyFile, `key "bench-master" {\n\talgorithm hmac-sha256;\n\tsecret "${randomBytes(32).toString('base64')}";\n};\n`, { mode: 0o600 });
  const conf = join(dir, 'named.conf');
  const writeConf = (servesNow) => {
    const zones = [];
    for (let i = 0; i < count; i++) if (servesNow(i)) zones.push(`zone "${zoneName(i)}" { type primary; file "${zoneFile}"; };`);
    writeFileSync(conf, [
      'options {',
      `\tdirectory "${dir}";`,
      '\tpid-file none;',
      `\tsession-keyfile "${join(dir, 'session.key')}";`,
      `\tlisten-on { ${MASTER_IP}; };`,
      '\tlisten-on-v6 { none; };',
      '\trecursion no;',
      '\tallow-query { any; };',
      '\tallow-transfer { any; };',
      '\tnotify no;',
      '\tdnssec-validation no;',
      // A master of this many zones lets the slave transfer them in parallel.
      '\ttransfers-out 200;',
      '\ttcp-clients 1000;',
      '};',
      `include "${keyFile}";`,
      'controls { inet 127.0.0.1 port 953 allow { 127.0.0.1; } keys { "bench-master"; }; };',
      'logging {',
      '\tchannel to_stderr { stderr; severity notice; print-time yes; };',
      '\tcategory default { to_stderr; };',
      '};',
      ...zones,
      '',
    ].join('\n'));
  };
  writeConf(serves);
  const logFile = join(dir, 'named.log');
  const named = await startNamed(ns, conf, logFile, async () => logSays(logFile, 'all zones loaded'), { what: 'master named' });
  return {
    ...named,
    serveOnly(servesNow) {
      writeConf(servesNow);
      runOnce(['ip', 'netns', 'exec', ns, 'rndc', '-k', keyFile, '-s', '127.0.0.1', 'reconfig']);
    },
  };
}

/** The batch's zones as `rndc addzone` leaves them: rows in dnsmgr's database, lines in the shared view's new-zones file. */
export function placeZones(root, b) {
  const db = new Database(join(root, 'var', 'dnsmgr.db'));
  try {
    // Added an hour ago: a zone that has not loaded by now is a problem, not one waiting for its first transfer.
    const at = Math.floor(Date.now() / 1000) - 3600;
    const names = [];
    for (let i = b.from; i < b.to; i++) names.push(zoneName(i));
    const zoneDir = seedZones(db, root, b.login, names, { master: MASTER_IP, at });
    return { view: SHARED_VIEW, zoneDir };
  } finally {
    db.close();
  }
}

/** Waits until named has written a zone file for every zone the master serves. */
export async function waitForTransfers(dir, expected, log) {
  const started = Date.now();
  let last = 0;
  for (;;) {
    const n = readdirSync(dir).filter((f) => f.endsWith('.db')).length;
    if (n >= expected) break;
    if (Date.now() - started > 1_800_000) throw new Error(`only ${n} of ${expected} zones transferred after 30 min`);
    if (Date.now() - last > 30_000) {
      log(`  ${n} of ${expected} zones transferred`);
      last = Date.now();
    }
    await sleep(1000);
  }
  // named writes the file as the transfer ends; let the last transfers settle.
  await sleep(3000);
}

/**
 * A zone file as named wrote it after a transfer (raw format: names in wire format, no checksum), copied for other
 * zones of the batch by replacing the zone's label; every name has the same length, so every offset stays right.
 */
export function cloneZoneFiles(template, zoneDir, b) {
  const bytes = readFileSync(template.file);
  const label = Buffer.from(template.name.split('.')[0], 'latin1');
  const at = [];
  for (let i = bytes.indexOf(label); i !== -1; i = bytes.indexOf(label, i + 1)) at.push(i);
  if (at.length < 4) throw new Error(`${template.file}: the zone name appears ${at.length} times; not a raw zone file as expected`);
  for (let i = b.from; i < b.to; i++) {
    if (neverLoaded(i)) continue;
    const name = zoneName(i);
    const copy = Buffer.from(bytes);
    for (const offset of at) copy.write(name.split('.')[0], offset, 'latin1');
    writeFileSync(join(zoneDir, `${name}.db`), copy);
  }
}

/** Waits until named has no transfer running or waiting and no SOA query outstanding, twice in a row. */
export async function waitForQuiet(rndc) {
  let quiet = 0;
  for (let i = 0; i < 600 && quiet < 2; i++) {
    const out = spawnSync(rndc[0], [...rndc.slice(1), 'status'], { encoding: 'utf8' }).stdout ?? '';
    const n = (what) => Number(new RegExp(`${what}: (\\d+)`).exec(out)?.[1] ?? NaN);
    quiet = n('xfers running') === 0 && n('xfers deferred') === 0 && n('soa queries in progress') === 0 ? quiet + 1 : 0;
    await sleep(1000);
  }
}
