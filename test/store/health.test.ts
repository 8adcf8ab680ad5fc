// Zone health in SQLite: what one refresh writes (HealthWriter), the status rules, failing-since, automatic retransfer
// scheduling and back-off, and the queries behind domain.problem, the dead-zone policy and /metrics.
import { describe, expect, it } from 'vitest';
import type { ZoneEvent, ZoneFailure, ZoneState } from '../../src/dns/backend';
import type { Db } from '../../src/store/db';
import {
  computeStatuses, deadZones, dueRetransfers, HealthWriter, healthCounts, listProblemZones, noteRetransfer,
  FAST_LOOKS, PROBE_EVERY_SECONDS, RETRANSFER_FIRST_SECONDS, retransferDelay, resetHealth, setProbeDue, stillDead, suspendedDue, WAITING_SECONDS,
} from '../../src/store/health';
import { insertZone, markApplied, markSuspended, setDesiredMasters } from '../../src/store/zones';
import type { Fixture } from './temp-db';
import { seed, useTempDbs } from './temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

/** "Now" in these tests, and a zone's expire span (SOA expire). */
const T = 1_800_000_000;
const E = 86_400;
const DAY = 86_400;
const MASTER = '198.51.100.1';

interface HealthRow {
  serial: number | null;
  loaded_at: number | null;
  expires_at: number | null;
  refresh_at: number | null;
  expire_span: number | null;
  last_ok_at: number | null;
  failure: string | null;
  failure_detail: string | null;
  failed_at: number | null;
  status: string;
  reason: string | null;
  failing_since: number | null;
  retransfer_due: number | null;
  retransfers: number;
}

function world(): { db: Db; f: Fixture } {
  const db = dbs.open();
  return { db, f: seed(db) };
}

/** A zone named has (its change applied), last changed at `updatedAt`. */
function addZone(db: Db, f: Fixture, name: string, opts: { owner?: 'alice' | 'bob'; updatedAt?: number } = {}): number {
  const claim = `1:${name}`;
  const bob = opts.owner === 'bob';
  const id = insertZone(db, { name: zn(name), namespaceId: bob ? f.nsBob : f.nsAlice, ownerId: bob ? f.bob : f.alice, masters: ips(MASTER), claim });
  markApplied(db, id, ips(MASTER), { view: bob ? 'bob' : 'alice', acl: 'on none; xfer none' }, true, claim);
  const at = opts.updatedAt ?? T - 3600;
  db.prepare('UPDATE zone SET updated_at = ?, created_at = ? WHERE id = ?').run(at, at, id);
  return id;
}

function health(db: Db, id: number): HealthRow {
  const row = db.prepare('SELECT * FROM zone_health WHERE zone_id = ?').get(id) as HealthRow | undefined;
  if (!row) throw new Error(`no zone_health row for zone ${id}`);
  return row;
}

/** One refresh's writes (`at`: when it read the name server, for computeStatuses). */
function write(db: Db, _at: number, items: readonly (ZoneState | ZoneEvent)[]): void {
  const w = new HealthWriter(db);
  for (const item of items) w.add(item);
  w.flush();
}

const state = (name: string, s: Partial<ZoneState> = {}, view = 'alice'): ZoneState =>
  ({ view, name, serial: null, loaded: null, expires: null, refresh: null, ...s });
/** A zone named loaded at `loaded` with serial 7, expiring a span E later. */
const loadedState = (name: string, loaded: number, s: Partial<ZoneState> = {}): ZoneState =>
  state(name, { serial: 7, loaded, expires: loaded + E, refresh: loaded + 3600, ...s });
const event = (name: string, at: number, outcome: 'ok' | ZoneFailure, view = 'alice'): ZoneEvent =>
  ({ view, name, at, outcome, detail: `${outcome} at ${at}` });

describe('HealthWriter', () => {
  it('writes nothing for a zone whose state did not change, but still counts it as reported', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [loadedState('a.test', T - 100)]);
    db.exec(`CREATE TEMP TABLE updates (zone_id INTEGER);
      CREATE TEMP TRIGGER count_updates AFTER UPDATE ON main.zone_health BEGIN INSERT INTO updates VALUES (new.zone_id); END;`);
    const updates = (): number => db.prepare('SELECT count(*) FROM temp.updates').pluck().get() as number;
    write(db, T + 30, [loadedState('a.test', T - 100)]);
    expect(db.prepare('SELECT zone_id FROM temp.health_seen').pluck().all()).toEqual([id]);
    expect(updates()).toBe(0);
    write(db, T + 60, [loadedState('a.test', T - 100, { refresh: T + 7200 })]);
    expect(updates()).toBe(1);
    expect(health(db, id).refresh_at).toBe(T + 7200);
  });

  it('writes what the name server reports: serial, times, the expire span, last ok; and which zones it reported', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [loadedState('a.test', T - 100)]);
    expect(health(db, id)).toMatchObject({
      serial: 7, loaded_at: T - 100, expires_at: T - 100 + E, refresh_at: T - 100 + 3600, expire_span: E, last_ok_at: T - 100,
      failure: null,
    });
    expect(db.prepare('SELECT zone_id FROM temp.health_seen').pluck().all()).toEqual([id]);
  });

  it('a zone that never loaded: no serial, no times, no last ok', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [state('a.test', { refresh: T + 60 })]);
    expect(health(db, id)).toMatchObject({ serial: null, loaded_at: null, expires_at: null, refresh_at: T + 60, last_ok_at: null });
  });

  it('ignores zones and views it does not know, and a name in the wrong view', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [
      loadedState('other.test', T), state('a.test', { serial: 9 }, 'nobody'), state('a.test', { serial: 9 }, 'bob'),
      event('a.test', T, 'refused', 'bob'), event('nowhere.test', T, 'refused'),
    ]);
    expect(db.prepare('SELECT count(*) FROM zone_health').pluck().get()).toBe(0);
    write(db, T, [state('a.test', { serial: 9 })]);
    expect(health(db, id).serial).toBe(9);
  });

  it('records a failure with its reason, words and time', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [event('a.test', T - 10, 'refused')]);
    expect(health(db, id)).toMatchObject({ failure: 'refused', failure_detail: `refused at ${T - 10}`, failed_at: T - 10 });
    write(db, T, [event('a.test', T - 5, 'notauth')]);
    expect(health(db, id)).toMatchObject({ failure: 'notauth', failed_at: T - 5 });
  });

  it('an ok event clears an earlier failure', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [event('a.test', T - 100, 'timeout'), event('a.test', T - 50, 'ok')]);
    expect(health(db, id)).toMatchObject({ failure: null, failure_detail: null, last_ok_at: T - 50 });
  });

  it('a failure after the last ok stays, and one before it is ignored', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [event('a.test', T - 100, 'ok'), event('a.test', T - 50, 'unreachable')]);
    expect(health(db, id)).toMatchObject({ failure: 'unreachable', failed_at: T - 50, last_ok_at: T - 100 });
    const other = addZone(db, f, 'b.test');
    write(db, T, [event('b.test', T - 50, 'ok'), event('b.test', T - 100, 'refused')]);
    expect(health(db, other)).toMatchObject({ failure: null, last_ok_at: T - 50 });
  });

  it('an older ok never moves last ok back', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [event('a.test', T - 50, 'ok'), event('a.test', T - 100, 'ok')]);
    expect(health(db, id).last_ok_at).toBe(T - 50);
  });

  it.each([
    ['the log first, then the state (as a refresh does)', false],
    ['the state first, then the log', true],
  ])('takes a state and an event by their times, whichever comes first: %s', (_what, stateFirst) => {
    const { db, f } = world();
    const cleared = addZone(db, f, 'cleared.test');
    const kept = addZone(db, f, 'kept.test');
    const pairs: [ZoneState, ZoneEvent][] = [
      [loadedState('cleared.test', T - 50), event('cleared.test', T - 100, 'refused')],
      [loadedState('kept.test', T - 100), event('kept.test', T - 50, 'refused')],
    ];
    write(db, T, pairs.flatMap(([s, e]) => (stateFirst ? [s, e] : [e, s])));
    expect(health(db, cleared)).toMatchObject({ failure: null, last_ok_at: T - 50 });
    expect(health(db, kept)).toMatchObject({ failure: 'refused', failed_at: T - 50, last_ok_at: T - 100 });
  });

  it('a later load (a transfer) clears an earlier failure', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T - 1000, [loadedState('a.test', T - 2000), event('a.test', T - 900, 'timeout')]);
    expect(health(db, id).failure).toBe('timeout');
    write(db, T, [loadedState('a.test', T - 10)]);
    expect(health(db, id)).toMatchObject({ failure: null, last_ok_at: T - 10, loaded_at: T - 10 });
  });

  it('an expiry pushed out means a successful refresh: last ok = expires − expire span', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    const loaded = T - 5000;
    write(db, T - 4000, [loadedState('a.test', loaded)]);
    write(db, T - 3000, [event('a.test', loaded + 1000, 'timeout'), event('a.test', loaded + 3000, 'timeout')]);
    expect(health(db, id)).toMatchObject({ failure: 'timeout', failed_at: loaded + 3000 });
    // The same load, the expiry moved on by 2000 s: named refreshed successfully at loaded + 2000.
    write(db, T, [loadedState('a.test', loaded, { expires: loaded + 2000 + E })]);
    expect(health(db, id)).toMatchObject({ loaded_at: loaded, expire_span: E, last_ok_at: loaded + 2000, failure: 'timeout' });
    // Later it refreshes again: the failure before that is gone.
    write(db, T + 10, [loadedState('a.test', loaded, { expires: loaded + 4000 + E })]);
    expect(health(db, id)).toMatchObject({ last_ok_at: loaded + 4000, failure: null });
  });

  it('learns a new expire span at each new load', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T - 100, [loadedState('a.test', T - 5000)]);
    write(db, T, [loadedState('a.test', T - 1000, { expires: T - 1000 + 2 * E })]);
    expect(health(db, id)).toMatchObject({ expire_span: 2 * E, last_ok_at: T - 1000 });
    write(db, T + 100, [loadedState('a.test', T - 1000, { expires: T + 50 + 2 * E })]);
    expect(health(db, id).last_ok_at).toBe(T + 50);
  });

  it('an expired zone as named 9.18 reports it (serial gone, the old load and expiry kept) moves nothing forward', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    const loaded = T - 2 * E;
    write(db, T - E - 100, [loadedState('a.test', loaded)]);
    write(db, T, [state('a.test', { serial: null, loaded, expires: loaded + E, refresh: T + 60 })]);
    expect(health(db, id)).toMatchObject({ serial: null, loaded_at: loaded, expires_at: loaded + E, last_ok_at: loaded });
  });

  it('writes in batches of 2000: a batch as soon as it is full, the rest at flush', () => {
    const { db, f } = world();
    const insert = db.transaction(() => { for (let i = 0; i < 2500; i++) addZone(db, f, `z${i}.test`); });
    insert();
    const seen = (): unknown => db.prepare('SELECT count(*) FROM zone_health WHERE serial = 7').pluck().get();
    const w = new HealthWriter(db);
    for (let i = 0; i < 1999; i++) w.add(loadedState(`z${i}.test`, T - 10));
    expect(seen()).toBe(0);
    w.add(loadedState('z1999.test', T - 10));
    expect(seen()).toBe(2000);
    for (let i = 2000; i < 2500; i++) w.add(loadedState(`z${i}.test`, T - 10));
    expect(seen()).toBe(2000);
    w.flush();
    expect(seen()).toBe(2500);
    w.flush();
    expect(seen()).toBe(2500);
  });
});

describe('computeStatuses: the first rule that holds', () => {
  it('suspended: whatever else is true, with the reason it had', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T - 100, [state('a.test'), event('a.test', T - 200, 'refused')]);
    computeStatuses(db, T - 100, T - 100);
    expect(health(db, id)).toMatchObject({ status: 'problem', reason: 'refused' });
    expect(markSuspended(db, id, T - 50)).toBe(true);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'suspended', reason: 'refused' });
  });

  it('a change on its way to the name server keeps the status it had', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T - 100, [loadedState('a.test', T - 1000)]);
    computeStatuses(db, T - 100, T - 100);
    expect(health(db, id).status).toBe('ok');
    setDesiredMasters(db, id, ips('198.51.100.9'), '2:edit');
    write(db, T, [event('a.test', T - 10, 'refused')]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'ok', reason: null });
  });

  it('a new zone whose change is under way starts as waiting', () => {
    const { db, f } = world();
    const id = insertZone(db, { name: zn('new.test'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips(MASTER), claim: '3:new' });
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'waiting', reason: null });
  });

  it('missing: in place before the refresh, applied, but the name server did not report it', () => {
    const { db, f } = world();
    const gone = addZone(db, f, 'gone.test', { updatedAt: T - 10 });
    const seen = addZone(db, f, 'seen.test', { updatedAt: T - 10 });
    const justAdded = addZone(db, f, 'just-added.test', { updatedAt: T });
    write(db, T, [loadedState('seen.test', T - 10)]);
    computeStatuses(db, T, T);
    expect(health(db, gone)).toMatchObject({ status: 'missing', reason: 'missing' });
    expect(health(db, seen).status).toBe('ok');
    expect(health(db, justAdded).status).not.toBe('missing');
  });

  it('not missing when the name server was not read, or the zone is not (known to be) in it', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 1000 });
    computeStatuses(db, T, null);
    expect(health(db, id).status).not.toBe('missing');
    db.prepare('UPDATE zone SET applied_masters = NULL WHERE id = ?').run(id);
    computeStatuses(db, T, T);
    expect(health(db, id).status).not.toBe('missing');
  });

  it('expired: loaded, and the expiry has come', () => {
    const { db, f } = world();
    const at = addZone(db, f, 'at.test');
    const after = addZone(db, f, 'after.test');
    const before = addZone(db, f, 'before.test');
    write(db, T, [
      loadedState('at.test', T - E), loadedState('after.test', T - E - 100), loadedState('before.test', T - E + 1),
    ]);
    computeStatuses(db, T, T);
    expect(health(db, at)).toMatchObject({ status: 'expired', reason: 'expired' });
    expect(health(db, after)).toMatchObject({ status: 'expired', reason: 'expired' });
    expect(health(db, before)).toMatchObject({ status: 'ok', reason: null });
  });

  it('expired beats a failure', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [loadedState('a.test', T - E - 100), event('a.test', T - 50, 'timeout')]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'expired', reason: 'expired' });
  });

  it('expired, as named 9.18 reports an expired zone: no serial any more, the old load and expiry kept', () => {
    // Seen on named 9.18.49: once a secondary zone expires, /json/v1/zones drops its "serial" and keeps "loaded"
    // and "expires"; the log says "expired" and then goes on logging the refresh failures.
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    const loaded = T - E - 1000;
    write(db, T - E - 900, [loadedState('a.test', loaded)]);
    write(db, T, [
      event('a.test', loaded + E, 'expired'),
      event('a.test', loaded + E + 1, 'unreachable'),
      state('a.test', { serial: null, loaded, expires: loaded + E, refresh: T + 60 }),
    ]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'expired', reason: 'expired' });
  });

  it('problem, with the reason of the last failure', () => {
    const { db, f } = world();
    const loaded = addZone(db, f, 'loaded.test');
    const never = addZone(db, f, 'never.test', { updatedAt: T - 10 });
    write(db, T, [
      loadedState('loaded.test', T - 1000), event('loaded.test', T - 10, 'notauth'),
      state('never.test'), event('never.test', T - 5, 'refused'),
    ]);
    computeStatuses(db, T, T);
    expect(health(db, loaded)).toMatchObject({ status: 'problem', reason: 'notauth' });
    // A failure says more than "waiting", even in the first five minutes.
    expect(health(db, never)).toMatchObject({ status: 'problem', reason: 'refused' });
  });

  it('ok: loaded, no failure since', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T, [loadedState('a.test', T - 1000), event('a.test', T - 2000, 'refused')]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'ok', reason: null });
  });

  it(`waiting within ${WAITING_SECONDS} s of the zone's last change, never-loaded after`, () => {
    const { db, f } = world();
    const fresh = addZone(db, f, 'fresh.test', { updatedAt: T - WAITING_SECONDS + 1 });
    const old = addZone(db, f, 'old.test', { updatedAt: T - WAITING_SECONDS });
    write(db, T, [state('fresh.test'), state('old.test')]);
    computeStatuses(db, T, T);
    expect(health(db, fresh)).toMatchObject({ status: 'waiting', reason: null });
    expect(health(db, old)).toMatchObject({ status: 'problem', reason: 'never-loaded' });
    computeStatuses(db, T + 1, T);
    expect(health(db, fresh)).toMatchObject({ status: 'problem', reason: 'never-loaded' });
  });

  it('gives every zone a row, also one no refresh has seen', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 10 });
    computeStatuses(db, T, null);
    expect(health(db, id)).toMatchObject({ status: 'waiting' });
  });
});

describe('failing_since', () => {
  it('starts at the failure, stays while the zone keeps failing, and is cleared when it is ok', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T - 1000, [loadedState('a.test', T - 5000), event('a.test', T - 1100, 'timeout')]);
    computeStatuses(db, T - 1000, T - 1000);
    expect(health(db, id)).toMatchObject({ status: 'problem', failing_since: T - 1100 });
    write(db, T - 500, [loadedState('a.test', T - 5000), event('a.test', T - 600, 'refused')]);
    computeStatuses(db, T - 500, T - 500);
    expect(health(db, id)).toMatchObject({ status: 'problem', reason: 'refused', failing_since: T - 1100 });
    write(db, T, [loadedState('a.test', T - 100)]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'ok', failing_since: null });
  });

  it('a problem without a logged failure (never loaded) fails since the refresh that found it', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 1000 });
    write(db, T, [state('a.test')]);
    computeStatuses(db, T, T);
    expect(health(db, id).failing_since).toBe(T);
    write(db, T + 30, [state('a.test')]);
    computeStatuses(db, T + 30, T + 30);
    expect(health(db, id)).toMatchObject({ status: 'problem', failing_since: T });
  });

  it('is kept while the zone is suspended', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    write(db, T - 100, [state('a.test'), event('a.test', T - 3 * DAY, 'notauth')]);
    computeStatuses(db, T - 100, T - 100);
    markSuspended(db, id, T - 50);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ status: 'suspended', failing_since: T - 3 * DAY });
  });

  it('a zone that failed long ago, recovered, and now goes missing fails since now, not since the old failure', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 20 * DAY });
    write(db, T - 10 * DAY, [state('a.test'), event('a.test', T - 10 * DAY, 'refused')]);
    computeStatuses(db, T - 10 * DAY, T - 10 * DAY);
    write(db, T - 9 * DAY, [loadedState('a.test', T - 9 * DAY)]);
    computeStatuses(db, T - 9 * DAY, T - 9 * DAY);
    expect(health(db, id)).toMatchObject({ status: 'ok', failing_since: null });
    // named lost the zone: the refresh at T does not see it.
    write(db, T, []);
    computeStatuses(db, T, T);
    expect(health(db, id).status).toBe('missing');
    expect(health(db, id).failing_since).toBe(T);
    expect(deadZones(db, T - 7 * DAY, false)).toEqual([]);
  });
});

describe('automatic retransfer of zones that never loaded', () => {
  it(`is due ${RETRANSFER_FIRST_SECONDS} s after the failure`, () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 10 });
    write(db, T, [state('a.test'), event('a.test', T - 8, 'refused')]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ retransfer_due: T - 8 + RETRANSFER_FIRST_SECONDS, retransfers: 0 });
    // Computing again keeps the schedule.
    computeStatuses(db, T + 30, null);
    expect(health(db, id).retransfer_due).toBe(T - 8 + RETRANSFER_FIRST_SECONDS);
  });

  it(`of a zone that never loaded and logged no failure: ${RETRANSFER_FIRST_SECONDS} s after the refresh that found it`, () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 1000 });
    write(db, T, [state('a.test')]);
    computeStatuses(db, T, T);
    expect(health(db, id)).toMatchObject({ reason: 'never-loaded', retransfer_due: T + RETRANSFER_FIRST_SECONDS });
  });

  it('not for a zone that loaded once, nor one still waiting', () => {
    const { db, f } = world();
    const loaded = addZone(db, f, 'loaded.test');
    const waiting = addZone(db, f, 'waiting.test', { updatedAt: T - 10 });
    write(db, T, [loadedState('loaded.test', T - 1000), event('loaded.test', T - 5, 'refused'), state('waiting.test')]);
    computeStatuses(db, T, T);
    expect(health(db, loaded)).toMatchObject({ status: 'problem', retransfer_due: null });
    expect(health(db, waiting)).toMatchObject({ status: 'waiting', retransfer_due: null });
  });

  it('is cleared, with its count, once the zone loaded', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 10 });
    write(db, T, [state('a.test'), event('a.test', T - 5, 'refused')]);
    computeStatuses(db, T, T);
    noteRetransfer(db, id, T + 10);
    noteRetransfer(db, id, T + 25);
    expect(health(db, id).retransfers).toBe(2);
    write(db, T + 40, [loadedState('a.test', T + 30)]);
    computeStatuses(db, T + 40, T + 40);
    expect(health(db, id)).toMatchObject({ status: 'ok', retransfer_due: null, retransfers: 0 });
  });

  it('retransferDelay: a look every 15 s for the first 40 (ten minutes), then every 45 s for good', () => {
    expect(Array.from({ length: FAST_LOOKS }, (_, i) => retransferDelay(i))).toEqual(Array(FAST_LOOKS).fill(RETRANSFER_FIRST_SECONDS));
    expect([40, 41, 100, 100_000].map(retransferDelay)).toEqual([PROBE_EVERY_SECONDS, PROBE_EVERY_SECONDS, PROBE_EVERY_SECONDS, PROBE_EVERY_SECONDS]);
    // However long the zone has failed, a master fixed now is looked at again within a minute.
    expect(PROBE_EVERY_SECONDS).toBeLessThan(60);
  });

  it('noteRetransfer counts and schedules the next one after the back-off', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 10 });
    write(db, T, [state('a.test'), event('a.test', T - 5, 'refused')]);
    computeStatuses(db, T, T);
    const dues: number[] = [];
    for (let i = 1; i <= 42; i++) {
      noteRetransfer(db, id, T + i * 100);
      dues.push(health(db, id).retransfer_due as number - (T + i * 100));
    }
    expect(health(db, id).retransfers).toBe(42);
    expect(dues).toEqual([...Array(FAST_LOOKS - 1).fill(RETRANSFER_FIRST_SECONDS), PROBE_EVERY_SECONDS, PROBE_EVERY_SECONDS, PROBE_EVERY_SECONDS]);
  });

  it('noteRetransfer on a zone without a health row does nothing', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test');
    noteRetransfer(db, id, T);
    expect(db.prepare('SELECT count(*) FROM zone_health').pluck().get()).toBe(0);
  });

  it('resetHealth starts the zone over as waiting, without failure or schedule', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 10 });
    write(db, T, [state('a.test'), event('a.test', T - 5, 'refused')]);
    computeStatuses(db, T, T);
    noteRetransfer(db, id, T + 10);
    resetHealth(db, id);
    expect(health(db, id)).toMatchObject({
      status: 'waiting', reason: null, failure: null, failure_detail: null, failed_at: null, failing_since: null,
      retransfer_due: null, retransfers: 0,
    });
  });
});

describe('dueRetransfers', () => {
  function scheduled(): { db: Db; ids: Record<string, number> } {
    const { db, f } = world();
    const ids: Record<string, number> = {};
    const items: (ZoneState | ZoneEvent)[] = [];
    for (const [name, failedAt, owner] of [
      ['c.test', T - 10, 'alice'], ['a.test', T - 30, 'alice'], ['b.test', T - 20, 'bob'], ['later.test', T + 100, 'alice'],
      ['pending.test', T - 40, 'alice'], ['suspended.test', T - 50, 'bob'],
    ] as const) {
      ids[name] = addZone(db, f, name, { owner, updatedAt: T - 1000 });
      items.push(state(name, {}, owner), event(name, failedAt, 'refused', owner));
    }
    // One refresh reports them all.
    write(db, T, items);
    computeStatuses(db, T, T);
    setDesiredMasters(db, ids['pending.test'] as number, ips('198.51.100.7'), '9:edit');
    db.prepare('UPDATE zone SET suspended_at = ? WHERE id = ?').run(T, ids['suspended.test']);
    return { db, ids };
  }
  const due = RETRANSFER_FIRST_SECONDS;

  it('the longest-waiting first, with view and name; none due later, none with a change under way or suspended', () => {
    const { db, ids } = scheduled();
    expect(dueRetransfers(db, T + due, 100)).toEqual([
      { zoneId: ids['a.test'], view: 'alice', name: 'a.test', namespace: 'alice', masters: [MASTER], attempts: 0 },
      { zoneId: ids['b.test'], view: 'bob', name: 'b.test', namespace: 'bob', masters: [MASTER], attempts: 0 },
      { zoneId: ids['c.test'], view: 'alice', name: 'c.test', namespace: 'alice', masters: [MASTER], attempts: 0 },
    ]);
  });

  it('only those due by now', () => {
    const { db } = scheduled();
    expect(dueRetransfers(db, T - 20 + due, 100).map((z) => z.name)).toEqual(['a.test', 'b.test']);
    expect(dueRetransfers(db, T - 31 + due, 100)).toEqual([]);
  });

  it('at most `limit`', () => {
    const { db } = scheduled();
    expect(dueRetransfers(db, T + 1000, 2).map((z) => z.name)).toEqual(['a.test', 'b.test']);
    expect(dueRetransfers(db, T + 1000, 0)).toEqual([]);
  });

  it('a retransfer sent moves the zone to the back', () => {
    const { db, ids } = scheduled();
    noteRetransfer(db, ids['a.test'] as number, T + due);
    expect(dueRetransfers(db, T + due, 100).map((z) => z.name)).toEqual(['b.test', 'c.test']);
    expect(dueRetransfers(db, T + 2 * due, 100).map((z) => z.name)).toEqual(['b.test', 'c.test', 'a.test']);
  });
});

describe('suspended zones and the dead-zone policy', () => {
  it('stillDead: checked again when acting, so a zone resumed or given new masters meanwhile is left alone', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'dead.test', { updatedAt: T - 30 * DAY });
    write(db, T, [state('dead.test'), event('dead.test', T - 10, 'timeout')]);
    computeStatuses(db, T, T);
    db.prepare('UPDATE zone_health SET failing_since = ? WHERE zone_id = ?').run(T - 5 * DAY, id);
    expect(stillDead(db, id, T - 2 * DAY)).toBe(true);
    expect(stillDead(db, id, T - 6 * DAY)).toBe(false);
    resetHealth(db, id);
    expect(stillDead(db, id, T - 2 * DAY)).toBe(false);
    db.prepare("UPDATE zone_health SET failing_since = ?, status = 'missing' WHERE zone_id = ?").run(T - 5 * DAY, id);
    expect(stillDead(db, id, T - 2 * DAY)).toBe(false);
  });

  it('deadZones: failing since before the limit, oldest first, with the reason; suspended ones only when asked', () => {
    const { db, f } = world();
    const old = addZone(db, f, 'old.test', { updatedAt: T - 30 * DAY });
    const older = addZone(db, f, 'older.test', { owner: 'bob', updatedAt: T - 30 * DAY });
    const recent = addZone(db, f, 'recent.test', { updatedAt: T - 30 * DAY });
    const fine = addZone(db, f, 'fine.test', { updatedAt: T - 30 * DAY });
    const pending = addZone(db, f, 'pending.test', { updatedAt: T - 30 * DAY });
    const suspended = addZone(db, f, 'suspended.test', { updatedAt: T - 30 * DAY });
    write(db, T - 100, [
      state('old.test'), event('old.test', T - 5 * DAY, 'notauth'),
      state('older.test', {}, 'bob'), event('older.test', T - 8 * DAY, 'refused', 'bob'),
      state('recent.test'), event('recent.test', T - DAY, 'timeout'),
      loadedState('fine.test', T - 1000),
      state('pending.test'), event('pending.test', T - 9 * DAY, 'refused'),
      state('suspended.test'), event('suspended.test', T - 10 * DAY, 'refused'),
    ]);
    computeStatuses(db, T - 100, T - 100);
    setDesiredMasters(db, pending, ips('198.51.100.7'), '9:edit');
    markSuspended(db, suspended, T - 50);
    computeStatuses(db, T, null);
    expect(deadZones(db, T - 3 * DAY, false)).toEqual([
      { zoneId: older, view: 'bob', name: 'older.test', namespace: 'bob', failingSince: T - 8 * DAY, reason: 'refused' },
      { zoneId: old, view: 'alice', name: 'old.test', namespace: 'alice', failingSince: T - 5 * DAY, reason: 'notauth' },
    ]);
    expect(deadZones(db, T - 3 * DAY, true).map((z) => z.name)).toEqual(['suspended.test', 'older.test', 'old.test']);
    expect(deadZones(db, T - 6 * DAY, false).map((z) => z.name)).toEqual(['older.test']);
    expect(deadZones(db, T - 6 * DAY, false).map((z) => z.zoneId)).not.toContain(recent);
    expect(deadZones(db, T, false).map((z) => z.zoneId)).not.toContain(fine);
  });

  it('a suspended zone that loaded once is probed when due, then not again before its next probe time', () => {
    const { db, f } = world();
    const id = addZone(db, f, 'a.test', { updatedAt: T - 30 * DAY });
    write(db, T - 100, [loadedState('a.test', T - 2 * DAY), event('a.test', T - DAY, 'notauth')]);
    computeStatuses(db, T - 100, T - 100);
    expect(markSuspended(db, id, T)).toBe(true);
    setProbeDue(db, id, T);
    computeStatuses(db, T, T);
    expect(suspendedDue(db, T, 20).map((z) => z.name)).toEqual(['a.test']);
    // The master still does not serve it: asked again in an hour.
    setProbeDue(db, id, T + 3600);
    computeStatuses(db, T + 30, T + 30);
    expect(health(db, id).retransfer_due).toBe(T + 3600);
    expect(suspendedDue(db, T + 30, 20)).toEqual([]);
  });
});

describe('listProblemZones', () => {
  function problems(): { db: Db; f: Fixture } {
    const { db, f } = world();
    addZone(db, f, 'b-old.test', { updatedAt: T - DAY });
    addZone(db, f, 'a-new.test', { updatedAt: T - DAY });
    addZone(db, f, 'bob.test', { owner: 'bob', updatedAt: T - DAY });
    addZone(db, f, 'fine.test', { updatedAt: T - DAY });
    addZone(db, f, 'a-same.test', { updatedAt: T - DAY });
    write(db, T, [
      state('b-old.test'), event('b-old.test', T - 500, 'refused'),
      loadedState('a-new.test', T - 2000), event('a-new.test', T - 100, 'timeout'),
      state('bob.test', {}, 'bob'), event('bob.test', T - 300, 'notauth', 'bob'),
      loadedState('fine.test', T - 100),
      state('a-same.test'), event('a-same.test', T - 100, 'unreachable'),
    ]);
    computeStatuses(db, T, T);
    return { db, f };
  }

  it('every problem zone, the newest failures first (then by name), with what the panel shows', () => {
    const { db } = problems();
    const list = listProblemZones(db, undefined);
    expect(list.map((z) => z.name)).toEqual(['a-new.test', 'a-same.test', 'bob.test', 'b-old.test']);
    expect(list[0]).toEqual({
      name: 'a-new.test', owner: 'alice', namespace: 'alice', masters: [MASTER], status: 'problem', reason: 'timeout',
      detail: `timeout at ${T - 100}`, failingSince: T - 100, lastOk: T - 2000, serial: 7,
    });
    expect(list[3]).toMatchObject({ name: 'b-old.test', reason: 'refused', lastOk: null, serial: null });
  });

  it('of the given owners only', () => {
    const { db, f } = problems();
    expect(listProblemZones(db, [f.bob]).map((z) => z.name)).toEqual(['bob.test']);
    expect(listProblemZones(db, [f.alice]).map((z) => z.name)).toEqual(['a-new.test', 'a-same.test', 'b-old.test']);
    expect(listProblemZones(db, [])).toEqual([]);
  });

  it('a zone that is ok again leaves the list', () => {
    const { db } = problems();
    write(db, T + 60, [loadedState('a-new.test', T + 50)]);
    computeStatuses(db, T + 60, null);
    expect(listProblemZones(db, undefined).map((z) => z.name)).not.toContain('a-new.test');
  });
});

describe('healthCounts', () => {
  it('zones by status (a zone no refresh has seen counts as waiting), all zones, namespaces, long-failing', () => {
    const { db, f } = world();
    addZone(db, f, 'ok.test');
    addZone(db, f, 'problem.test', { updatedAt: T - DAY });
    addZone(db, f, 'old-problem.test', { owner: 'bob', updatedAt: T - 3 * DAY });
    write(db, T, [
      loadedState('ok.test', T - 100),
      state('problem.test'), event('problem.test', T - 100, 'refused'),
      state('old-problem.test', {}, 'bob'), event('old-problem.test', T - 2 * DAY, 'notauth', 'bob'),
    ]);
    computeStatuses(db, T, T);
    addZone(db, f, 'unseen.test');
    const counts = healthCounts(db);
    expect(counts.byStatus).toEqual({ ok: 1, problem: 2, waiting: 1 });
    expect(counts.zones).toBe(4);
    expect(counts.namespaces).toBe(2);
    expect(counts.longFailing(T - DAY)).toBe(1);
    expect(counts.longFailing(T)).toBe(2);
    expect(counts.longFailing(T - 3 * DAY)).toBe(0);
  });

  it('an empty database', () => {
    const db = dbs.open();
    const counts = healthCounts(db);
    expect(counts).toMatchObject({ byStatus: {}, zones: 0, namespaces: 0 });
    expect(counts.longFailing(T)).toBe(0);
  });
});
