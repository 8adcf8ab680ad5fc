// Issue 7: dnsmgr knows what named really serves. Masters that refuse the transfer, do not serve the zone, do not
// answer at all, or start serving later; problem domains, the diagnosis, retransfer, the dead-zone policy, monitoring.
import { appendFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NAME_SERVER, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { dig, waitFor } from '../helpers/named';
import type { MasterServer } from '../helpers/named';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const ALICE = '192.0.2.10';
const BOB = '192.0.2.20';
/** On the master's link, but no host has it: nothing ever answers there. */
const DEAD_MASTER = '198.51.100.9';

let world: World;
let net: TestNet;
let dm: Instance;
let master: MasterServer;

type Row = Record<string, string>;

async function rows(func: string, extra: string[] = []): Promise<Row[]> {
  const r = await dm.cli([func, ...extra]);
  expect(r.exitCode, r.stdout + r.stderr).toBe(0);
  return parseTextRows(r.stdout);
}

async function zoneRow(name: string): Promise<Row | undefined> {
  return (await rows('domain')).find((z) => z.name === name);
}

/** The reason column says the stored keyword in words (in English here: the installation's DefaultLang). */
const REASON_WORDS: Record<string, string> = {
  '': '', refused: 'Master refuses the transfer', notauth: 'Master does not serve the zone', timeout: 'No answer from the master',
  unreachable: 'Master unreachable',
};

/** Waits until the domain list shows the zone with this status (and reason); the serve loop refreshes every 2 s. */
// 40 s: under a full run's load a PowerDNS instance once took longer than 20 s to try (and log) a refused transfer.
async function statusOf(name: string, status: string, reasons: string[] = [''], timeoutMs = 40_000): Promise<Row> {
  return waitFor(async () => {
    const z = await zoneRow(name);
    return z && z.status === status && reasons.map((r) => REASON_WORDS[r]).includes(z.reason ?? '') ? z : undefined;
  }, { timeoutMs, intervalMs: 500, what: `${name} listed as ${status} (${reasons.join('|')})` });
}

async function servedSerial(zone: string, timeoutMs = 10_000): Promise<number> {
  return waitFor(async () => {
    const a = await dig(net.master, ALICE, zone, 'SOA');
    return a.status === 'NOERROR' && a.aa ? a.serial : undefined;
  }, { timeoutMs, what: `${zone} served on ${ALICE}` });
}

function addZone(name: string, masterIp: string): Promise<void> {
  return dm.cli(['domain.edit', `name=${name}`, `masterip=${masterIp}`, 'sok=ok', 'su=alice']).then((r) => {
    expect(r.stdout, r.stderr).toBe('OK\n');
  });
}

function db(): Database.Database {
  return new Database(join(dm.root, 'var', 'dnsmgr.db'));
}

/** Pretends a zone has been failing for `days`: the dead-zone policy counts from failing_since. */
function failingFor(zone: string, days: number): void {
  const d = db();
  try {
    d.prepare(`UPDATE zone_health SET failing_since = ? WHERE zone_id = (SELECT id FROM zone WHERE name = ?)`)
      .run(Math.floor(Date.now() / 1000) - days * 86_400, zone);
  } finally {
    d.close();
  }
}

/** The suspended zone's master is due to be asked again now. */
function hourPassed(zone: string): void {
  const d = db();
  try {
    d.prepare('UPDATE zone_health SET retransfer_due = 0 WHERE zone_id = (SELECT id FROM zone WHERE name = ?)').run(zone);
  } finally {
    d.close();
  }
}

beforeAll(async () => {
  world = await startWorld('health', [
    { name: 'good.example', serial: 101 },
    { name: 'good2.example', serial: 201 },
    { name: 'refused.example', serial: 301, allowTransfer: [] },
  ], 'NetworkInterface veth-s\nOption AllowIpV6\nHealthInterval 2\n');
  ({ net, dm, master } = world);
  await dm.addUser('alice', 'alice-pw', ALICE);
  await dm.addUser('bob', 'bob-pw', BOB);
  expect((await dm.cli(['bindip'])).stdout.split('\n')[0]).toBe('OK');
  await dm.startServe(1500);
  for (const z of ['good.example', 'good2.example', 'refused.example', 'notserved.example', 'later.example']) await addZone(z, net.masterIp);
  await addZone('dead.example', DEAD_MASTER);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('the real state of every zone', () => {
  it('a zone its master serves is ok, with the serial named loaded and when', async () => {
    const z = await statusOf('good.example', 'ok');
    expect(z.serial).toBe('101');
    expect(z.updated).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
    expect(await servedSerial('good.example')).toBe(101);
  });

  it('(a) a master that refuses the transfer: problem, refused', async () => {
    const z = await statusOf('refused.example', 'problem', ['refused']);
    expect(z.serial).toBe('');
  });

  it('(b) a master that does not serve the zone: problem, notauth', async () => {
    await statusOf('notserved.example', 'problem', ['notauth']);
  });

  it('(c) a master where nothing answers: problem, timeout or unreachable', async () => {
    // named gives up on the SOA query after its retries (about 30 s), then tries a transfer.
    await statusOf('dead.example', 'problem', ['timeout', 'unreachable'], 60_000);
  }, 70_000);

  it('domain.problem lists each with its reason and since when, to its owner and the admin, not to others', async () => {
    const admin = await rows('domain.problem');
    const byName = new Map(admin.map((r) => [r.name, r]));
    expect(byName.get('refused.example')?.reason).toBe('Master refuses the transfer');
    expect(byName.get('notserved.example')?.reason).toBe('Master does not serve the zone');
    expect(['No answer from the master', 'Master unreachable']).toContain(byName.get('dead.example')?.reason);
    // In the request's language; the status stays the keyword clients test.
    const ru = new Map((await rows('domain.problem', ['lang=ru'])).map((r) => [r.name, r]));
    expect(ru.get('refused.example')).toMatchObject({ status: 'problem', reason: 'Первичный сервер отказывает в передаче' });
    expect((await rows('domain', ['lang=ru'])).find((r) => r.name === 'notserved.example')?.reason).toBe('Первичный сервер не обслуживает зону');
    expect(byName.has('good.example')).toBe(false);
    for (const r of admin) {
      expect(r.since).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d$/);
      expect(r.long).toBe('no');
      expect(r.owner).toBe('alice');
    }
    const sinces = admin.map((r) => r.since ?? '');
    expect([...sinces].sort().reverse()).toEqual(sinces);
    expect((await rows('domain.problem', ['su=alice'])).map((r) => r.name).sort()).toEqual(admin.map((r) => r.name).sort());
    expect(await rows('domain.problem', ['su=bob'])).toEqual([]);
  });

  it('marks a zone failing for longer than ProblemThreshold as long-failing', async () => {
    failingFor('refused.example', 1.5);
    const r = (await rows('domain.problem')).find((z) => z.name === 'refused.example');
    expect(r?.long).toBe('yes');
    expect((await rows('domain.problem')).find((z) => z.name === 'notserved.example')?.long).toBe('no');
  });
});

describe('domain.check: what the master must change, in words', () => {
  const check = async (zone: string, lang = 'en'): Promise<Row> => {
    const r = await rows('domain.check', [`elid=${zone}`, `lang=${lang}`]);
    expect(r).toHaveLength(1);
    return r[0] as Row;
  };

  it('a refused transfer names the address to allow', async () => {
    const r = await check('refused.example');
    expect(r.result).toBe('refused');
    expect(r.source).toBe(net.slaveIp);
    expect(r.message).toContain(`refuses zone transfers to ${net.slaveIp}`);
    expect(r.message).toContain('allow-transfer');
    const ru = await check('refused.example', 'ru');
    expect(ru.message).toContain(net.slaveIp);
    expect(ru.message).toMatch(/[а-я]/);
  });

  it('a master that does not serve the zone, one that does not answer, and one that is fine', async () => {
    expect((await check('notserved.example')).message).toContain('does not serve notserved.example');
    const dead = await check('dead.example');
    expect(['timeout', 'unreachable']).toContain(dead.result);
    expect(dead.message).toContain(DEAD_MASTER);
    const good = await check('good.example');
    expect(good.result).toBe('ok');
    expect(good.serial).toBe('101');
  });

  it('a master with a newer serial: a retransfer is due', async () => {
    await master.setSerial('good2.example', 202);
    await statusOf('good2.example', 'ok');
    const r = await check('good2.example');
    expect(r.result).toBe('behind');
    expect(r.message).toContain('202');
  });
});

describe('retransfer and refresh', () => {
  it('domain.retransfer takes several zones at once', async () => {
    await master.setSerial('good.example', 102);
    await master.setSerial('good2.example', 203);
    const r = await dm.cli(['domain.retransfer', 'elid=good.example, good2.example', 'su=alice']);
    expect(r.stdout, r.stderr).toBe('OK\n');
    expect(await waitFor(async () => ((await dig(net.master, ALICE, 'good.example')).serial === 102 ? true : undefined), { timeoutMs: 10_000, what: 'good.example 102' })).toBe(true);
    expect(await waitFor(async () => ((await dig(net.master, ALICE, 'good2.example')).serial === 203 ? true : undefined), { timeoutMs: 10_000, what: 'good2.example 203' })).toBe(true);
  });

  it('domain.refresh asks the master and transfers what changed', async () => {
    await master.setSerial('good.example', 103);
    expect((await dm.cli(['domain.refresh', 'elid=good.example'])).stdout).toBe('OK\n');
    expect(await waitFor(async () => ((await dig(net.master, ALICE, 'good.example')).serial === 103 ? true : undefined), { timeoutMs: 10_000, what: 'good.example 103' })).toBe(true);
  });

  it("another account's zone is answered as a name that does not exist, and nothing is sent to named", async () => {
    const sent = (): number => dm.retransfersOf('good.example');
    const before = sent();
    expect(before).toBeGreaterThan(0);
    const r = await dm.cli(['domain.retransfer', 'elid=good.example', 'su=bob']);
    expect(r.stdout).toBe('OK\n');
    expect((await dm.cli(['domain.retransfer', 'elid=good.example', 'su=alice'])).stdout).toBe('OK\n');
    // Alice's own request is logged by named: bob's, sent before it, would have been too.
    await waitFor(async () => (sent() === before + 1 ? true : undefined), { timeoutMs: 5000, what: "named logs alice's retransfer" });
  });
});

describe('repair', () => {
  it('a zone named lost behind dnsmgr\'s back is added back by the next refresh, and logged', async () => {
    await statusOf('good2.example', 'ok');
    await dm.dropZone('good2.example');
    // PowerDNS may answer from what it held a moment longer under load (seen once in a full run on a busy machine).
    await waitFor(async () => ((await dig(net.master, ALICE, 'good2.example')).status === 'REFUSED' ? true : undefined),
      { timeoutMs: 5000, what: 'the name server refuses good2.example once it is dropped' });
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    expect(await servedSerial('good2.example')).toBe(203);
    await statusOf('good2.example', 'ok');
    expect(readFileSync(join(dm.root, 'var', 'log', 'dnsmgr.log'), 'utf8')).toMatch(/health: added back 1 zone\(s\) the name server had lost: good2\.example/);
  });
});

describe('automatic retransfer', () => {
  it('(d) a zone whose master starts serving it later is answered within 60 s, with nobody acting', async () => {
    await statusOf('later.example', 'problem', ['notauth']);
    // Every failed attempt doubles named's own back-off: retransfers by hand until named would not try again for over
    // 90 s, so that an answer within 60 s of the fix can only come from dnsmgr's. PowerDNS waits a cycle (60 s) more
    // after each failed attempt in a row: two of them, and it would not look again for 120 s.
    if (NAME_SERVER === 'powerdns') {
      const attempts = (): number => Math.max(0, ...[...dm.nameServerLog().matchAll(/XFR-in zone: 'later\.example',.*This was attempt number (\d+)\./g)].map((m) => Number(m[1])));
      await waitFor(async () => {
        if (attempts() >= 2) return true;
        await dm.cli(['domain.retransfer', 'elid=later.example']);
        return undefined;
      }, { timeoutMs: 60_000, intervalMs: 2500, what: "PowerDNS's back-off for later.example beyond 90 s" });
    }
    const d = db();
    try {
      if (NAME_SERVER === 'bind') {
        await waitFor(async () => {
          const next = d.prepare('SELECT refresh_at FROM zone_health WHERE zone_id = (SELECT id FROM zone WHERE name = ?)').pluck().get('later.example') as number | null;
          if (next !== null && next - Date.now() / 1000 > 90) return true;
          await dm.cli(['domain.retransfer', 'elid=later.example']);
          return undefined;
        }, { timeoutMs: 60_000, intervalMs: 2500, what: "named's back-off for later.example beyond 90 s" });
      }
    } finally {
      d.close();
    }
    await master.addZone({ name: 'later.example', serial: 401 });
    const fixed = Date.now();
    expect(await servedSerial('later.example', 60_000)).toBe(401);
    expect(Date.now() - fixed).toBeLessThan(60_000);
    await statusOf('later.example', 'ok');
    expect(readFileSync(join(dm.root, 'var', 'log', 'dnsmgr.log'), 'utf8')).toMatch(/health: retransferred \d+ zone\(s\) that never loaded, their masters serving them now: .*later\.example/);
  }, 150_000);
});

describe('automatic retransfer, hours later', () => {
  it('a zone failing for long is looked at every 45 s and retransferred once its master serves it: within 60 s', async () => {
    await addZone('hours.example', net.masterIp);
    await statusOf('hours.example', 'problem', ['notauth']);
    // As after ten minutes of failing: past the outright retransfers, into looking at the master first.
    const d = db();
    try {
      d.prepare('UPDATE zone_health SET retransfers = 40 WHERE zone_id = (SELECT id FROM zone WHERE name = ?)').run('hours.example');
    } finally {
      d.close();
    }
    const commands = (): number => dm.retransfersOf('hours.example');
    // A master that does not serve the zone gets looked at, not a retransfer.
    const quiet = commands();
    await new Promise((r) => setTimeout(r, 6000));
    expect(commands()).toBe(quiet);
    await master.addZone({ name: 'hours.example', serial: 601 });
    const fixed = Date.now();
    expect(await servedSerial('hours.example', 60_000)).toBe(601);
    expect(Date.now() - fixed).toBeLessThan(60_000);
    expect(commands()).toBeGreaterThan(quiet);
  }, 120_000);
});

describe('monitoring', () => {
  it('GET /metrics is Prometheus text: zones by status, namespaces, problem zones, refresh age', async () => {
    // The serve loop refreshes every 2 s: compare the page with the list read right before and right after it, and
    // take a moment when nothing changed in between.
    const seen = await waitFor(async () => {
      const before = await rows('domain');
      const res = await dm.http({}, 'GET', '/metrics');
      const after = await rows('domain');
      return JSON.stringify(before) === JSON.stringify(after) ? { res, list: after } : undefined;
    }, { timeoutMs: 20_000, intervalMs: 200, what: 'a metrics page between two equal lists' });
    const { res, list } = seen;
    expect(res.status).toBe(200);
    const families = new Map(parsePrometheusTextFormat(res.body).map((f) => [f.name, f]));
    const byStatus = Object.fromEntries((families.get('dnsmgr_zones')?.metrics ?? []).map((m) => [m.labels?.status, Number(m.value)]));
    const expected = (s: string) => list.filter((z) => z.status === s).length;
    for (const s of ['ok', 'waiting', 'problem', 'expired', 'missing', 'suspended']) expect(byStatus[s], s).toBe(expected(s));
    expect(expected('ok')).toBeGreaterThan(0);
    expect(expected('problem')).toBeGreaterThan(0);
    expect(Number(families.get('dnsmgr_zones_total')?.metrics[0]?.value)).toBe(list.length);
    expect(Number(families.get('dnsmgr_namespaces')?.metrics[0]?.value)).toBe(2);
    expect(Number(families.get('dnsmgr_problem_zones')?.metrics[0]?.value)).toBe(expected('problem') + expected('expired') + expected('missing'));
    expect(Number(families.get('dnsmgr_long_failing_zones')?.metrics[0]?.value)).toBe(1);
    const age = Number(families.get('dnsmgr_health_refresh_age_seconds')?.metrics[0]?.value);
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(30);
    expect(families.get('dnsmgr_zones')?.type).toBe('GAUGE');
  });

  it('GET /health answers 200 while named and the database answer, 503 when named does not', async () => {
    expect((await dm.http({}, 'GET', '/health')).status).toBe(200);
    await dm.stopNameServer();
    try {
      const down = await dm.http({}, 'GET', '/health');
      expect(down.status).toBe(503);
      expect(down.body).toContain('name server not answering');
    } finally {
      await dm.startNameServer();
    }
    expect((await dm.http({}, 'GET', '/health')).status).toBe(200);
  });
});

describe('the dead-zone policy', () => {
  const conf = (extra: string): void => appendFileSync(join(dm.root, 'etc', 'dnsmgr.conf'), extra);
  const inNamed = (zone: string): Promise<boolean> => dm.holds(zone);

  it('is off by default: a zone failing for days stays', async () => {
    failingFor('dead.example', 30);
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    expect(await inNamed('dead.example')).toBe(true);
  });

  it('suspends zones failing for SuspendDeadZones days, logs it, and domain.resume brings one back', async () => {
    failingFor('notserved.example', 3);
    conf('SuspendDeadZones 2\n');
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    for (const zone of ['dead.example', 'notserved.example']) {
      expect((await zoneRow(zone))?.status, zone).toBe('suspended');
      expect(await inNamed(zone), zone).toBe(false);
    }
    expect(await inNamed('refused.example')).toBe(true);
    const log = readFileSync(join(dm.root, 'var', 'log', 'dnsmgr.log'), 'utf8');
    expect(log).toMatch(/health: suspended dead\.example \(namespace alice\): failing since \S+ \((timeout|unreachable)\)/);
    expect(log).toMatch(/health: suspended notserved\.example/);
    expect((await rows('domain.problem')).find((z) => z.name === 'dead.example')?.status).toBe('suspended');
    // A suspended zone is not retransferred: resume it first.
    expect((await dm.cli(['domain.retransfer', 'elid=dead.example'])).exitCode).toBe(4);
    expect((await dm.cli(['domain.resume', 'elid=dead.example', 'su=alice'])).stdout).toBe('OK\n');
    expect(await inNamed('dead.example')).toBe(true);
    expect(['waiting', 'problem']).toContain((await zoneRow('dead.example'))?.status);
  });

  it('a suspended zone comes back by itself once its master serves it', async () => {
    await master.addZone({ name: 'notserved.example', serial: 501 });
    // Its master is asked hourly; the serve loop asked a moment ago, so pretend the hour has passed.
    hourPassed('notserved.example');
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    expect(await inNamed('notserved.example')).toBe(true);
    expect(await servedSerial('notserved.example', 20_000)).toBe(501);
    expect(readFileSync(join(dm.root, 'var', 'log', 'dnsmgr.log'), 'utf8')).toMatch(/health: resumed notserved\.example \(namespace alice\): its master serves it again/);
  });

  it('deletes zones failing for DeleteDeadZones days, and says so', async () => {
    failingFor('refused.example', 10);
    conf('DeleteDeadZones 7\n');
    expect((await dm.cli(['domain.health.update'])).stdout).toBe('OK\n');
    expect(await zoneRow('refused.example')).toBeUndefined();
    expect(await inNamed('refused.example')).toBe(false);
    expect(await zoneRow('good.example')).toBeDefined();
    expect(readFileSync(join(dm.root, 'var', 'log', 'dnsmgr.log'), 'utf8')).toMatch(/health: deleted refused\.example \(namespace alice\): failing since \S+ \(refused\), more than 7 day/);
  });
});
