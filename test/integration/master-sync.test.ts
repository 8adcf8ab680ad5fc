// Master zones' records stay the database's (issue 12), against a real named: a zone changed behind dnsmgr's back (a
// DNS UPDATE signed with its view's key, as anyone holding the keys file could send) is listed by domain.sync with
// what named lacks and has too many, and put back by domain.sync.apply; a record change a killed request committed
// to the database but never sent reaches named with the next request, while a live request's is left to it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { nsExec, nsSpawn } from '../helpers/netns';
import { dig, digAnswers, waitFor } from '../helpers/named';
import { DNSMGR, expectCliOk, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { openDb } from '../../src/store/db';
import { addRecords, deleteRecordsByKey, getZoneSoa, markUnsent, setZoneSoa, unsentChanges } from '../../src/store/records';
import { findZonesByName } from '../../src/store/zones';
import { parseRecord } from '../../src/model/record';
import type { ZoneName } from '../../src/model/zone-name';

const ALICE_IP = '192.0.2.51';
const UPDATE_PORT = 8054;

let net: TestNet;
let dm: Instance;
let world: World;

const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);
const answers = (name: string, type: string): Promise<string[]> => digAnswers(net.master, ALICE_IP, name, type);

/** Changes the zone as someone holding dnsmgr's keys file could, with nsupdate: `lines` are its update commands. */
async function changeBehind(zone: string, lines: string[]): Promise<void> {
  const keys = readFileSync(join(dm.root, 'etc', 'named', 'dnsmgr-update-keys.conf'), 'utf8');
  const secret = /secret "([^"]+)"/.exec(keys)?.[1] ?? '';
  const script = [`server 127.0.0.1 ${UPDATE_PORT}`, `zone ${zone}`, ...lines, 'send', ''].join('\n');
  await nsExec(dm.ns, 'nsupdate', ['-y', `hmac-sha256:dnsmgr-update-_dnsmgr:${secret}`], { input: script });
}

async function syncRows(args: string[] = []): Promise<Record<string, string>[]> {
  const r = await dm.cli(['domain.sync', ...args]);
  expect(r.exitCode, r.stderr).toBe(0);
  return parseTextRows(r.stdout);
}

async function records(zone: string): Promise<string[]> {
  const r = await dm.cli(['domain.record', `plid=${zone}`, 'su=alice']);
  expect(r.exitCode, r.stderr).toBe(0);
  return parseTextRows(r.stdout).map((row) => `${row.ttl} ${row.rkey}`).sort();
}

/** A process id no process has: one that has just exited. */
async function deadPid(): Promise<number> {
  const child = execa('true');
  await child;
  return child.pid as number;
}

/** The database of the instance, as a request opens it. */
function database(): ReturnType<typeof openDb> {
  return openDb(join(dm.root, 'var', 'dnsmgr.db'));
}

const zoneId = (db: ReturnType<typeof openDb>, zone: string): number => (findZonesByName(db, zone)[0] as { id: number }).id;

/** Any changing request: it starts by finishing what dead requests left (recoverStaleZones). */
const nextRequest = async (): Promise<void> => {
  expect((await dm.cli(['domain.delete', 'elid=nothing-here.example', 'su=alice'])).stdout).toBe('OK\n');
};

beforeAll(async () => {
  world = await startWorld('msync', []);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  for (const zone of ['drift.example', 'quiet.example', 'killed.example', 'live.example', 'frozen.example']) {
    await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, `email=admin@${zone}`, 'sok=ok', 'su=alice']);
    await waitFor(async () => (await dig(net.master, ALICE_IP, zone, 'SOA')).status === 'NOERROR', { timeoutMs: 5000, what: `${zone} answered` });
  }
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('a master zone changed behind dnsmgr\'s back', () => {
  it('named as dnsmgr made it: domain.sync lists no master zone', async () => {
    expect((await syncRows()).filter((row) => row.action === 'update')).toEqual([]);
  });

  it('is listed by domain.sync with what named lacks and has too many, and put back by domain.sync.apply', async () => {
    const zone = 'drift.example';
    const before = await records(zone);
    await changeBehind(zone, [
      `update delete www.${zone} A`,
      `update add stray.${zone} 300 A 198.51.100.99`,
      `update add ${zone} 300 TXT "planted"`,
      // Another TTL for the mail exchanger: named's record is not the database's.
      `update delete ${zone} MX`,
      `update add ${zone} 60 MX 10 mail.${zone}.`,
    ]);
    expect(await answers(`www.${zone}`, 'A')).toEqual([]);
    expect(await answers(`stray.${zone}`, 'A')).toEqual(['198.51.100.99']);
    const listed = (await syncRows()).filter((row) => row.action === 'update');
    expect(listed).toEqual([{ action: 'update', view: '_dnsmgr', zone, masterip: '', reason: 'the name server lacks 2 of its records and has 3 too many' }]);
    // In the caller's language, and the same as the dry run of domain.sync.apply.
    expect((await syncRows(['lang=ru'])).find((row) => row.zone === zone)?.reason).toBe('записей зоны на DNS-сервере: недостаёт 2, лишних 3');
    expect((await syncRows(['lang=ru'])).length).toBe(1);
    const dry = await dm.cli(['domain.sync.apply', 'dry_run=on']);
    expect(parseTextRows(dry.stdout).filter((row) => row.action === 'update')).toEqual(listed);
    await ok(['domain.sync.apply']);
    expect(await answers(`www.${zone}`, 'A')).toEqual([ALICE_IP]);
    expect(await answers(`stray.${zone}`, 'A')).toEqual([]);
    expect(await answers(zone, 'TXT')).toEqual([]);
    expect((await dig(net.master, ALICE_IP, zone, 'MX')).records.map((r) => `${r.ttl} ${r.rdata}`)).toEqual([`3600 10 mail.${zone}.`]);
    expect(await records(zone)).toEqual(before);
    expect((await syncRows()).filter((row) => row.action === 'update')).toEqual([]);
  });
});

describe('a record change committed to the database whose UPDATE never reached named', () => {
  it('of a killed request: the next request sends it (an added record answered, a deleted one gone)', async () => {
    const zone = 'killed.example';
    const db = database();
    try {
      const id = zoneId(db, zone);
      const claim = `${await deadPid()}:killed`;
      // What domain.record.edit and .delete commit before their UPDATE, by a process that died there.
      db.transaction(() => {
        addRecords(db, id, [parseRecord(zone as ZoneName, { name: 'late', rtype: 'A', value: '198.51.100.77', ttl: '120' })]);
        deleteRecordsByKey(db, id, [`www.${zone}. A  ${ALICE_IP}`]);
        // And, as dnsparam apply=on commits it, another primary for its SOA.
        setZoneSoa(db, id, { ...getZoneSoa(db, id)!, mname: 'ns7.example.net' });
        markUnsent(db, id, claim);
      }).immediate();
      expect(await answers(`late.${zone}`, 'A')).toEqual([]);
      const serial = (await dig(net.master, ALICE_IP, zone, 'SOA')).serial as number;
      await nextRequest();
      expect(await answers(`late.${zone}`, 'A')).toEqual(['198.51.100.77']);
      expect(await answers(`www.${zone}`, 'A')).toEqual([]);
      const soa = (await answers(zone, 'SOA'))[0]?.split(' ') ?? [];
      expect(soa.slice(0, 2)).toEqual(['ns7.example.net.', `admin.${zone}.`]);
      expect(Number(soa[2])).toBeGreaterThan(serial);
      expect(unsentChanges(db, id)).toEqual([]);
      expect((await syncRows()).filter((row) => row.action === 'update')).toEqual([]);
    } finally {
      db.close();
    }
  });

  // The UPDATE was written to named's socket before the kill: named, let go, may still apply it. What is proved here is
  // that the killed request's mark is found and cleared with named as the database says; the test above proves the
  // repair of a change named never got.
  it('of a request killed while it waited for a frozen named: the next request leaves named and the database alike', async () => {
    const zone = 'frozen.example';
    const thaw = dm.pauseNameServer();
    try {
      const child = nsSpawn(dm.ns, process.execPath, [DNSMGR, '--root', dm.root, 'domain.record.edit', `plid=${zone}`, 'name=cut', 'rtype=A', 'value=198.51.100.80', 'sok=ok', 'su=alice'], { logFile: join(dm.root, 'killed.log') });
      await waitFor(async () => (await records(zone)).some((r) => r.includes(`cut.${zone}.`)), { timeoutMs: 10_000, what: 'the record committed' });
      // The UPDATE is out, waiting for named's answer.
      await new Promise((r) => setTimeout(r, 500));
      child.kill('SIGKILL');
      await child.catch(() => undefined);
    } finally {
      thaw();
    }
    const db = database();
    try {
      const id = zoneId(db, zone);
      expect(unsentChanges(db, id)).toHaveLength(1);
      await nextRequest();
      expect(await answers(`cut.${zone}`, 'A')).toEqual(['198.51.100.80']);
      expect(unsentChanges(db, id)).toEqual([]);
      expect((await syncRows()).filter((row) => row.zone === zone)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('of a live request: left to it — neither the next request nor domain.sync touches the zone until its claim is released', async () => {
    const zone = 'live.example';
    const db = database();
    try {
      const id = zoneId(db, zone);
      // This test process carries the change: alive, and just claimed.
      db.transaction(() => {
        addRecords(db, id, [parseRecord(zone as ZoneName, { name: 'inflight', rtype: 'A', value: '198.51.100.78' })]);
        markUnsent(db, id, `${process.pid}:live`);
      }).immediate();
      await nextRequest();
      expect(await answers(`inflight.${zone}`, 'A')).toEqual([]);
      expect((await syncRows()).filter((row) => row.zone === zone)).toEqual([]);
      // The request gave up (refused, or no answer): its claim released, the next request reads the zone back.
      db.prepare('UPDATE zone_record_unsent SET claimed_at = 0 WHERE zone_id = ?').run(id);
      await nextRequest();
      expect(await answers(`inflight.${zone}`, 'A')).toEqual(['198.51.100.78']);
      expect(unsentChanges(db, id)).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('a record change through dnsmgr leaves nothing unsent behind, and named as the database says', async () => {
    const zone = 'quiet.example';
    await ok(['domain.record.edit', `plid=${zone}`, 'name=sent', 'rtype=TXT', 'value=done', 'sok=ok', 'su=alice']);
    await ok(['domain.record.delete', `plid=${zone}`, `elid=www.${zone}. A  ${ALICE_IP}`, 'sok=ok', 'su=alice']);
    expect(await answers(`sent.${zone}`, 'TXT')).toEqual(['"done"']);
    const db = database();
    try {
      expect(unsentChanges(db)).toEqual([]);
    } finally {
      db.close();
    }
    expect((await syncRows()).filter((row) => row.action === 'update')).toEqual([]);
  });
});

describe('a signed master zone', () => {
  it('is compared without the DNSSEC records named signs it with', async () => {
    const zone = 'signed.example';
    await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ALICE_IP}`, 'dnssec=on', 'sok=ok', 'su=alice']);
    await waitFor(async () => (await dig(net.master, ALICE_IP, zone, 'DNSKEY')).answers.length > 0, { timeoutMs: 15_000, what: `${zone} signed` });
    expect((await syncRows()).filter((row) => row.zone === zone)).toEqual([]);
    await changeBehind(zone, [`update add extra.${zone} 300 A 198.51.100.5`]);
    expect((await syncRows()).find((row) => row.zone === zone)?.reason).toBe('the name server lacks 0 of its records and has 1 too many');
    await ok(['domain.sync.apply']);
    expect(await answers(`extra.${zone}`, 'A')).toEqual([]);
    expect((await syncRows()).filter((row) => row.zone === zone)).toEqual([]);
  });
});
