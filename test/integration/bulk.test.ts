// The bulk path (issue 9, goal 2): domain.import and domain.edit with many names, checked first, one transaction, then
// the batch towards the real named; a bulk run SIGKILLed half-way converges on the next request; two accounts'
// concurrent bulk requests never interleave ownership.
import Database from 'better-sqlite3';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { waitFor } from '../helpers/named';
import { DNSMGR, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const ALICE_IP = '192.0.2.20';
const BOB_IP = '192.0.2.21';
const IMPORT = Array.from({ length: 300 }, (_, i) => `imp${i}.example`);
const EDIT = ['edit-a.example', 'edit-b.example', 'edit-c.example'];
const KILL = Array.from({ length: 1000 }, (_, i) => `kill${i}.example`);
const SHARED = Array.from({ length: 10 }, (_, i) => `both${i}.example`);
const OWN_A = Array.from({ length: 40 }, (_, i) => `alice${i}.example`);
const OWN_B = Array.from({ length: 40 }, (_, i) => `bob${i}.example`);
const SHARED2 = Array.from({ length: 10 }, (_, i) => `both-imp${i}.example`);
const OWN_A2 = Array.from({ length: 40 }, (_, i) => `alice-imp${i}.example`);
const OWN_B2 = Array.from({ length: 40 }, (_, i) => `bob-imp${i}.example`);
/** Zones for the bulk load of a view's batch (NamedBulkLoad, 500 by default): each test its own. */
const LOAD = Array.from({ length: 600 }, (_, i) => `load${i}.example`);
const WAIT = Array.from({ length: 600 }, (_, i) => `wait${i}.example`);
const FROZEN = Array.from({ length: 600 }, (_, i) => `frozen${i}.example`);
const NOTOOL = Array.from({ length: 600 }, (_, i) => `notool${i}.example`);
const DOWN = Array.from({ length: 600 }, (_, i) => `down${i}.example`);
const serialOf = (zone: string): number => 1000 + (zone.length * 7 + zone.charCodeAt(zone.length - 9)) % 5000;

let net: TestNet;
let dm: Instance;
let world: World;

/** The zones among `zones` that the slave answers authoritatively on `ip`, with their serials: one dig for them all. */
async function servedSerials(ip: string, zones: readonly string[]): Promise<Map<string, number>> {
  const batch = join(dm.root, `dig-${Date.now()}-${Math.random().toString(36).slice(2)}`);
  writeFileSync(batch, zones.map((z) => `${z} SOA`).join('\n'));
  const r = await nsExec(net.master, 'dig', [`@${ip}`, '+norec', '+tries=1', '+time=2', '+noall', '+answer', '-f', batch], { reject: false, timeout: 120_000 });
  const out = new Map<string, number>();
  for (const line of String(r.stdout).split('\n')) {
    const f = line.split(/\s+/);
    if (f[3] === 'SOA' && f[0] !== undefined) out.set(f[0].replace(/\.$/, ''), Number(f[6]));
  }
  return out;
}

async function allServed(ip: string, zones: readonly string[]): Promise<void> {
  await waitFor(async () => {
    const got = await servedSerials(ip, zones);
    return zones.every((z) => got.get(z) === serialOf(z));
  }, { timeoutMs: 120_000, what: `${zones.length} zones served on ${ip} with the master's serial` });
}

async function listed(): Promise<Record<string, string>[]> {
  return parseTextRows((await dm.cli(['domain'])).stdout);
}

/** How many of each zone command named has received so far (its log names every control-channel command). */
function commands(): { addzone: number; reconfig: number } {
  const log = readFileSync(dm.namedLog, 'utf8');
  const count = (what: string): number => log.split(`received control channel command '${what}`).length - 1;
  return { addzone: count('addzone '), reconfig: count('reconfig') };
}

/** Runs `fn` with these lines added to dnsmgr.conf, then puts the file back as it was. */
async function withConf<T>(lines: string, fn: () => Promise<T>): Promise<T> {
  const file = join(dm.root, 'etc', 'dnsmgr.conf');
  const before = readFileSync(file, 'utf8');
  writeFileSync(file, `${before}${lines}`);
  try {
    return await fn();
  } finally {
    writeFileSync(file, before);
  }
}

/** A dnsmgr request run in the background, to be killed. */
function importInBackground(zones: readonly string[]) {
  const file = importFile(zones.map((z) => `${z} ${net.masterIp} alice`));
  return nsExec(net.slave, process.execPath, [DNSMGR, '--root', dm.root, 'domain.import', `file=${file}`], { reject: false });
}

/** After a killed bulk request: the next changing request finishes it, and named holds exactly what the list says. */
async function convergesAfterKill(zones: readonly string[]): Promise<void> {
  const prefix = (zones[0] ?? '').replace(/[0-9].*$/, '');
  expect((await dm.cli(['domain.delete', 'elid=nothing-here.example'])).stdout).toBe('OK\n');
  const rows = (await listed()).filter((z) => (z.name ?? '').startsWith(prefix));
  expect(rows).toHaveLength(zones.length);
  expect(rows.filter((z) => ['adding', 'updating', 'deleting'].includes(z.status ?? ''))).toEqual([]);
  expect((await dm.cli(['domain.sync'])).stdout, 'named holds exactly what the list says').toBe('');
  await allServed(ALICE_IP, zones);
}

function importFile(lines: string[]): string {
  const file = join(dm.root, `import-${Date.now()}-${Math.random().toString(36).slice(2)}.txt`);
  writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

beforeAll(async () => {
  const zones = [...IMPORT, ...EDIT, ...KILL, ...SHARED, ...OWN_A, ...OWN_B, ...SHARED2, ...OWN_A2, ...OWN_B2, ...LOAD, ...WAIT, ...FROZEN, ...NOTOOL, ...DOWN].map((name) => ({ name, serial: serialOf(name) }));
  world = await startWorld('bulk', zones);
  ({ net, dm } = world);
  await dm.addUser('alice', 'pw', ALICE_IP);
  await dm.addUser('bob', 'pw', BOB_IP);
  expect((await dm.cli(['bindip'])).stdout.split('\n')[0]).toBe('OK');
}, 180_000);

afterAll(async () => {
  await world?.stop();
});

describe('domain.import', () => {
  it('refuses a file with bad lines, numbering every one, and adds nothing', async () => {
    const lines = IMPORT.map((z) => `${z} ${net.masterIp} alice`);
    lines.splice(16, 0, 'bad..example 198.51.100.1');
    lines.splice(99, 0, `# a comment, skipped`, '');
    lines.splice(230, 0, 'fine.example 999.1.1.1;198.51.100.1 alice');
    const file = importFile(lines);
    const r = await dm.cli(['domain.import', `file=${file}`]);
    expect(r.exitCode).toBe(4);
    expect(r.stdout).toMatch(/^ERROR value\(file/);
    expect(r.stdout).toContain("line 17: zone name 'bad..example'");
    expect(r.stdout).toContain("line 231: master '999.1.1.1'");
    expect(r.stdout).not.toMatch(/line (?!17|231)\d+/);
    expect((await listed()).filter((z) => (z.name ?? '').startsWith('imp'))).toEqual([]);
    expect((await servedSerials(ALICE_IP, IMPORT.slice(0, 5))).size).toBe(0);

    // skip_bad=on: the good lines go in, the bad ones come back in the summary with their numbers.
    const skipped = await dm.cli(['domain.import', `file=${file}`, 'skip_bad=on']);
    expect(skipped.stdout.split('\n')[0]).toBe('OK');
    const rows = parseTextRows(skipped.stdout.split('\n').slice(1).join('\n'));
    expect(rows[0]).toEqual({ added: '300', exists: '0', skipped: '2', failed: '0' });
    expect(rows.slice(1).map((x) => `${x.line} ${x.zone} ${x.result}`)).toEqual(['17 bad..example skipped', '231 fine.example skipped']);
    const mine = (await listed()).filter((z) => (z.name ?? '').startsWith('imp'));
    expect(mine).toHaveLength(300);
    expect(mine.every((z) => z.owner === 'alice')).toBe(true);
    await allServed(ALICE_IP, IMPORT);
  }, 240_000);

  it('reads the standard input (file=-), and the same lines again are all already there', async () => {
    const r = await nsExec(net.slave, process.execPath, [DNSMGR, '--root', dm.root, 'domain.import', 'file=-', 'owner=alice'], {
      reject: false, input: IMPORT.slice(0, 20).map((z) => `${z}\t${net.masterIp}`).join('\n'),
    });
    expect(String(r.stdout).split('\n').slice(0, 2)).toEqual(['OK', 'added=0 exists=20 skipped=0 failed=0']);
    // No terminal, no progress bar.
    expect(String(r.stderr)).toBe('');
  });

  it('refuses a line naming a zone of another account, adding none of the others', async () => {
    const r = await dm.cli(['domain.import', `file=${importFile([`imp1.example ${net.masterIp} bob`, `new-one.example ${net.masterIp} bob`])}`]);
    expect(r.stdout).toMatch(/^ERROR /);
    expect(r.stdout).toContain("line 1: Domain 'imp1.example' belongs to another account");
    expect((await listed()).find((z) => z.name === 'new-one.example')).toBeUndefined();
  });
});

describe('domain.edit with several names', () => {
  it('adds them all with one masterip; a bad name among them is reported with every other and nothing is added', async () => {
    const bad = await dm.cli(['domain.edit', `name=${EDIT.join(', ')}, -bad-.example, also..bad`, `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    expect(bad.exitCode).toBe(4);
    expect(bad.stdout).toContain("'-bad-.example'");
    expect(bad.stdout).toContain("'also..bad'");
    expect((await listed()).filter((z) => EDIT.includes(z.name ?? ''))).toEqual([]);

    const r = await dm.cli(['domain.edit', `name=${EDIT.join(', ')}`, `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    expect(r.stdout).toBe(`OK\n${EDIT.map((z) => `zone=${z} result=added`).join('\n')}\n`);
    await allServed(BOB_IP, EDIT);
    expect((await servedSerials(ALICE_IP, EDIT)).size).toBe(0);

    // Again with one more: the three are already there, the new one is refused as another account's.
    const again = await dm.cli(['domain.edit', `name=${EDIT.join(', ')}, imp2.example`, `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    expect(again.stdout).toBe("ERROR exists(domain, 'imp2.example'): Domain 'imp2.example' belongs to another account\n");
    const same = await dm.cli(['domain.edit', `name=${EDIT.join(', ')}`, `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
    expect(same.stdout).toBe(`OK\n${EDIT.map((z) => `zone=${z} result=exists`).join('\n')}\n`);
  });
});

describe('a bulk request killed half-way', () => {
  it('1,000 zones sent a command each (NamedBulkLoad 0): SIGKILLed while applying, the next request converges (list == named, every zone served)', () => withConf('NamedBulkLoad 0\n', async () => {
    const file = importFile(KILL.map((z) => `${z} ${net.masterIp} alice`));
    const child = nsExec(net.slave, process.execPath, [DNSMGR, '--root', dm.root, 'domain.import', `file=${file}`], { reject: false });
    const db = new Database(join(dm.root, 'var', 'dnsmgr.db'), { readonly: true });
    try {
      const count = (where: string): number => (db.prepare(`SELECT count(*) AS n FROM zone WHERE name LIKE 'kill%' AND ${where}`).get() as { n: number }).n;
      await waitFor(async () => count('pending IS NULL') >= 100, { timeoutMs: 60_000, intervalMs: 20, what: 'a hundred zones applied' });
      child.kill('SIGKILL');
      await child;
      const pendingLeft = count('pending IS NOT NULL');
      expect(pendingLeft, 'killed before the end').toBeGreaterThan(0);
      expect(count('1')).toBe(1000);
    } finally {
      db.close();
    }
    expect((await listed()).filter((z) => (z.name ?? '').startsWith('kill') && z.status === 'adding').length).toBeGreaterThan(0);

    // Any request that changes something finishes the dead process's work first.
    expect((await dm.cli(['domain.delete', 'elid=nothing-here.example'])).stdout).toBe('OK\n');
    const rows = (await listed()).filter((z) => (z.name ?? '').startsWith('kill'));
    expect(rows).toHaveLength(1000);
    expect(rows.filter((z) => ['adding', 'updating', 'deleting'].includes(z.status ?? ''))).toEqual([]);
    expect((await dm.cli(['domain.sync'])).stdout, 'named holds exactly what the list says').toBe('');
    await allServed(ALICE_IP, KILL);
  }), 300_000);

  it('600 zones loaded in bulk, SIGKILLed while waiting for the new-zones database (another process\'s commands in flight): the next request converges', async () => {
    // The shared side of the lock, as a process sending zone commands holds it: the bulk load waits for it.
    const lock = new Database(join(dm.root, 'var', 'run', 'named-nzd.lock'), { timeout: 0 });
    lock.exec('BEGIN');
    lock.prepare('SELECT count(*) FROM sqlite_master').get();
    const before = commands();
    const nzd = join(dm.root, 'var', 'named', 'nzd', '_dnsmgr.nzd');
    const inode = statSync(nzd).ino;
    const child = importInBackground(WAIT);
    let exited = false;
    void child.then(() => { exited = true; });
    const db = new Database(join(dm.root, 'var', 'dnsmgr.db'), { readonly: true });
    try {
      const pending = (): number => (db.prepare("SELECT count(*) AS n FROM zone WHERE name LIKE 'wait%' AND pending IS NOT NULL").get() as { n: number }).n;
      await waitFor(async () => pending() === WAIT.length, { timeoutMs: 60_000, intervalMs: 20, what: 'the zones recorded, waiting for named' });
      // It waits for the lock, and leaves the new-zones database alone meanwhile.
      await sleep(1500);
      expect(exited, 'the request still waits').toBe(false);
      expect(statSync(nzd).ino, 'the new-zones database untouched').toBe(inode);
      child.kill('SIGKILL');
      await child;
      expect(pending()).toBe(WAIT.length);
    } finally {
      db.close();
      lock.exec('COMMIT');
      lock.close();
    }
    expect(commands(), 'nothing of them reached named').toEqual(before);
    await convergesAfterKill(WAIT);
    expect(commands().addzone, 'finished in bulk too').toBe(before.addzone);
  }, 300_000);

  it('600 zones loaded in bulk, SIGKILLed after writing the new-zones database while named hangs before reading it: the next request converges', async () => {
    const named = dm.named;
    if (!named) throw new Error('named is not running');
    const nzd = join(dm.root, 'var', 'named', 'nzd', '_dnsmgr.nzd');
    const held = async (): Promise<number> => String((await nsExec(net.slave, 'named-nzd2nzf', [nzd])).stdout).split('\n').filter((l) => l.startsWith('zone "frozen')).length;
    process.kill(named.pid, 'SIGSTOP');
    let child: ReturnType<typeof importInBackground> | undefined;
    try {
      child = importInBackground(FROZEN);
      await waitFor(async () => (await held()) === FROZEN.length, { timeoutMs: 60_000, intervalMs: 50, what: 'the zones written into the new-zones database' });
      child.kill('SIGKILL');
      await child;
    } finally {
      process.kill(named.pid, 'SIGCONT');
    }
    await convergesAfterKill(FROZEN);
  }, 300_000);
});

describe('a bulk load named does not read', () => {
  it('600 zones written while named is down: the request fails and leaves them pending; named loads them when it starts, and the next request converges', async () => {
    await dm.stopNamed();
    try {
      const r = await dm.cli(['domain.import', `file=${importFile(DOWN.map((z) => `${z} ${net.masterIp} alice`))}`]);
      expect(r.stdout).toMatch(/^ERROR tool\(rndc reconfig\): .*named is not answering/);
      const rows = (await listed()).filter((z) => (z.name ?? '').startsWith('down'));
      expect(rows.map((z) => z.status)).toEqual(DOWN.map(() => 'adding'));
      // A deletion asked meanwhile fails too, and is not undone either: undoing it would leave the zone to named alone.
      expect((await dm.cli(['domain.delete', 'elid=down0.example'])).exitCode).toBe(8);
    } finally {
      await dm.startNamed();
    }
    await convergesAfterKill(DOWN.slice(1));
    expect((await listed()).find((z) => z.name === 'down0.example')).toBeUndefined();
    expect((await servedSerials(ALICE_IP, ['down0.example'])).size).toBe(0);
  }, 300_000);
});

describe('a view\'s batch of at least NamedBulkLoad zones (500 by default)', () => {
  it('goes into named\'s new-zones database at once: one reconfig, no addzone; each zone served on its namespace\'s address only; changed and deleted so too', async () => {
    const before = commands();
    const r = await dm.cli(['domain.import', `file=${importFile(LOAD.map((z) => `${z} ${net.masterIp} alice`))}`]);
    expect(r.stdout.split('\n').slice(0, 2)).toEqual(['OK', `added=${LOAD.length} exists=0 skipped=0 failed=0`]);
    expect(commands()).toEqual({ addzone: before.addzone, reconfig: before.reconfig + 1 });
    await allServed(ALICE_IP, LOAD);
    expect((await servedSerials(BOB_IP, LOAD)).size).toBe(0);
    expect((await dm.cli(['domain.sync'])).stdout, 'named holds exactly what the list says').toBe('');
    // Changed in bulk too: a new allow-transfer for alice's namespace reaches every one of her zones with one reconfig.
    const changed = commands();
    expect((await dm.cli(['namespace.edit', 'elid=alice', 'allow_transfer=203.0.113.5', 'sok=ok'])).stdout).toBe('OK\n');
    expect(commands()).toEqual({ addzone: changed.addzone, reconfig: changed.reconfig + 1 });
    expect(readFileSync(dm.namedLog, 'utf8')).not.toContain("command 'modzone load");
    expect((await dm.rndc(['showzone', 'load7.example', 'IN', '_dnsmgr'])).stdout).toMatch(/allow-transfer +\{ 203\.0\.113\.5(\/32)?; \}/);
    expect((await dm.cli(['domain.sync'])).stdout).toBe('');
    // Deleted in bulk too: one reconfig, no delzone, and the zones' files gone as delzone -clean takes them.
    const zoneFile = join(dm.root, 'var', 'named', 'slave', '_dnsmgr', 'load3.example.db');
    expect(existsSync(zoneFile)).toBe(true);
    const deleted = commands();
    expect((await dm.cli(['domain.delete', `elid=${LOAD.join(', ')}`])).stdout).toBe(`OK\n${LOAD.map((z) => `deleted=${z}\n`).join('')}`);
    expect((await servedSerials(ALICE_IP, LOAD)).size).toBe(0);
    expect(commands()).toEqual({ addzone: deleted.addzone, reconfig: deleted.reconfig + 1 });
    expect(readFileSync(dm.namedLog, 'utf8')).not.toContain("command 'delzone");
    expect(existsSync(zoneFile)).toBe(false);
    expect((await dm.cli(['domain.sync'])).stdout).toBe('');
    expect((await dm.cli(['namespace.edit', 'elid=alice', 'allow_transfer=', 'sok=ok'])).stdout).toBe('OK\n');
  }, 300_000);

  it('goes a command per zone when mdb_load is not there', () => withConf('path mdb_load /nonexistent/mdb_load\n', async () => {
    const before = commands();
    const r = await dm.cli(['domain.import', `file=${importFile(NOTOOL.map((z) => `${z} ${net.masterIp} alice`))}`]);
    expect(r.stdout.split('\n')[0]).toBe('OK');
    expect(commands()).toEqual({ addzone: before.addzone + NOTOOL.length, reconfig: before.reconfig });
    await allServed(ALICE_IP, NOTOOL);
  }), 300_000);
});

describe('concurrent bulk requests of two accounts', () => {
  const own = (r: { stdout: unknown }): string => String(r.stdout);

  it('domain.edit of each account (su=): one gets the names both asked for, the other is refused whole and told which', async () => {
    const names = (mine: string[]): string => [...SHARED, ...mine].join(', ');
    const run = (who: string, mine: string[]) => dm.cli(['domain.edit', `name=${names(mine)}`, `masterip=${net.masterIp}`, 'sok=ok', `su=${who}`]);
    const [a, b] = await Promise.all([run('alice', OWN_A), run('bob', OWN_B)]);
    const zones = new Map((await listed()).map((z) => [z.name ?? '', z.owner]));
    const winner = zones.get(SHARED[0] as string);
    expect(['alice', 'bob']).toContain(winner);
    const [won, lost, wonOwn, lostOwn] = winner === 'alice' ? [a, b, OWN_A, OWN_B] : [b, a, OWN_B, OWN_A];
    expect(own(won).split('\n')[0]).toBe('OK');
    expect(lost.exitCode).toBe(4);
    for (const z of SHARED) expect(own(lost)).toContain(`Invalid value '${z}' of parameter 'name': Domain '${z}' belongs to another account`);
    for (const z of [...SHARED, ...wonOwn]) expect(zones.get(z), z).toBe(winner);
    for (const z of lostOwn) expect(zones.get(z), `${z}: nothing of the refused request`).toBeUndefined();
    const [winIp, loseIp] = winner === 'alice' ? [ALICE_IP, BOB_IP] : [BOB_IP, ALICE_IP];
    await allServed(winIp, [...SHARED, ...wonOwn]);
    expect((await servedSerials(loseIp, [...SHARED, ...wonOwn])).size).toBe(0);
  }, 240_000);

  it('domain.import for each account (owner=, skip_bad=on): each zone is its asker\'s, a name both ask for goes whole to one', async () => {
    const lines = (mine: string[]): string => [...SHARED2, ...mine].map((z) => `${z} ${net.masterIp}`).join('\n');
    const run = (who: string, mine: string[]) => nsExec(net.slave, process.execPath, [DNSMGR, '--root', dm.root, 'domain.import', 'file=-', 'skip_bad=on', `owner=${who}`], {
      reject: false, input: lines(mine),
    });
    const [a, b] = await Promise.all([run('alice', OWN_A2), run('bob', OWN_B2)]);
    const summary = (r: { stdout: unknown }): Record<string, string>[] => parseTextRows(own(r).split('\n').slice(1).join('\n'));
    expect(own(a).split('\n')[0]).toBe('OK');
    expect(own(b).split('\n')[0]).toBe('OK');
    const zones = new Map((await listed()).map((z) => [z.name ?? '', z.owner]));
    for (const z of OWN_A2) expect(zones.get(z), z).toBe('alice');
    for (const z of OWN_B2) expect(zones.get(z), z).toBe('bob');
    const winner = zones.get(SHARED2[0] as string);
    expect(['alice', 'bob']).toContain(winner);
    for (const z of SHARED2) expect(zones.get(z), z).toBe(winner);
    const [won, lost] = winner === 'alice' ? [a, b] : [b, a];
    expect(summary(won)[0]).toEqual({ added: '50', exists: '0', skipped: '0', failed: '0' });
    expect(summary(lost)[0]).toEqual({ added: '40', exists: '0', skipped: '10', failed: '0' });
    expect(summary(lost).slice(1).map((r) => r.reason)).toEqual(SHARED2.map((z) => `Domain '${z}' belongs to another account`));
    const [winIp, loseIp] = winner === 'alice' ? [ALICE_IP, BOB_IP] : [BOB_IP, ALICE_IP];
    await allServed(winIp, SHARED2);
    expect((await servedSerials(loseIp, SHARED2)).size).toBe(0);
    await allServed(ALICE_IP, OWN_A2);
    await allServed(BOB_IP, OWN_B2);
    expect((await servedSerials(ALICE_IP, OWN_B2)).size).toBe(0);
  }, 240_000);
});
