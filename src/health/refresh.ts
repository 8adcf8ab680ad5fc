// The health refresh: learns from the name server what it really serves (its log since the last refresh, then the
// state of every zone), sets each zone's status, retransfers zones stuck after a failed first transfer, and applies
// the dead-zone policy. Run by `serve`/`run` on an interval, by the panel's timer, and by domain.health.update.
import { setTimeout as sleep } from 'node:timers/promises';
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import { logEvent } from '../files/event-log';
import type { App } from '../app';
import { newClaim } from '../app';
import { now, writeTx } from '../store/db';
import {
  appliedZoneCount, computeStatuses, deadZones, dueRetransfers, getMeta, HealthWriter, missingZones, noteRetransfer,
  resetHealth, setMeta, setProbeDue, stillDead, suspendedButServed, suspendedDue, zoneCount,
} from '../store/health';
import type { ZoneRef } from '../store/health';
import { claimToRepair, getZone, markForDelete, markResuming, markSuspended } from '../store/zones';
import type { ZoneName } from '../model/zone-name';
import type { IpAddress } from '../model/address';
import { applyOrRevert, applyZones, recoverStaleZones } from '../sync/zones';
import { processAlive } from '../system/process';
import { writePasswd } from '../sync/passwd';

export interface HealthSummary {
  /** Zones the name server reported. */
  zones: number;
  /** Log events read. */
  events: number;
  retransferred: string[];
  suspended: string[];
  resumed: string[];
  deleted: string[];
  /** Zones named had lost, added back. */
  readded: string[];
}

const LOCK_KEY = 'health_lock';
/** A refresh holding the lock longer than this is taken for hung. */
const LOCK_STALE_SECONDS = 900;
const LOCK_WAIT_MS = 600_000;
const PARALLEL = 4;
/** Looks at masters (a UDP query and a TCP connection each) run this many at a time, for at most this long per refresh. */
const PROBE_PARALLEL = 32;
const PROBE_BUDGET_MS = 10_000;
const PROBE_TIMEOUT_MS = 2000;
/** Zones whose masters are looked at per refresh, per retransfer allowed. */
const PROBES_PER_RETRANSFER = 5;
/** Suspended zones whose masters are asked again per refresh, and how often each. */
const SUSPENDED_PROBES = 100;
const SUSPENDED_PROBE_SECONDS = 3600;
/** The dead-zone policy deletes at most this many zones (or this share of all) in one refresh. */
const MAX_DELETIONS = 50;
const MAX_DELETION_SHARE = 0.05;

/** Refreshes in this process, one after the other (serve's timer and a domain.health.update may meet). */
let queue: Promise<unknown> = Promise.resolve();

export async function refreshHealth(app: App): Promise<HealthSummary> {
  const run = queue.then(() => withLock(app, () => refreshLocked(app)));
  queue = run.catch(() => undefined);
  return run;
}

/** A refresh if HealthInterval has passed since the last one finished (a second's slack for the timer's jitter). */
export async function refreshIfDue(app: App): Promise<HealthSummary | undefined> {
  if (now() - lastRefreshAt(app) < app.settings.health.intervalSeconds - 1) return undefined;
  return refreshHealth(app);
}

/** When the last refresh finished (Unix seconds), 0 if never. */
export function lastRefreshAt(app: App): number {
  return Number(getMeta(app.db, 'health_refreshed_at') ?? '0');
}

async function refreshLocked(app: App): Promise<HealthSummary> {
  const { db, backend } = app;
  // Between panel requests nothing else finishes the changes of a process that died (a policy deletion, a resume).
  await recoverStaleZones(app);
  const seenAt = now();
  const summary: HealthSummary = { zones: 0, events: 0, retransferred: [], suspended: [], resumed: [], deleted: [], readded: [] };
  const writer = new HealthWriter(db);
  // The log first, then the state: a transfer that worked after a logged failure clears it.
  const cursor = await backend.readZoneEvents(getMeta(db, 'health_cursor') ?? '', (e) => { summary.events++; writer.add(e); });
  writer.flush();
  writeTx(db, () => setMeta(db, 'health_cursor', cursor));
  await backend.readZoneStates((s) => { summary.zones++; writer.add(s); });
  writer.flush();
  // A name server that reports no zone at all (just restarted, or not the one dnsmgr configured) says nothing about
  // which zones it lacks: nothing is taken for missing then.
  const sawAny = summary.zones > 0 || appliedZoneCount(db) === 0;
  writeTx(db, () => computeStatuses(db, now(), sawAny ? seenAt : null));

  const t = now();
  const probeUntil = Date.now() + PROBE_BUDGET_MS;
  await retransferStuck(app, t, probeUntil, summary);
  await addMissing(app, summary);
  await deadZonePolicy(app, t, probeUntil, summary);
  // Zones this refresh suspended, resumed or deleted show so now, not at the next refresh (the statuses above were
  // computed before it acted).
  if (summary.suspended.length + summary.resumed.length + summary.deleted.length > 0) writeTx(db, () => computeStatuses(db, now(), null));
  writeTx(db, () => setMeta(db, 'health_refreshed_at', String(now())));
  return summary;
}

/**
 * Zones that never loaded and failed sit in named's back-off (60 s doubling to hours). dnsmgr looks at their masters
 * itself (an SOA query and the start of a transfer, from this process: packets, not processes, and from the address
 * named would use) and retransfers a zone as soon as its master serves it: at most RetransferLimit per refresh, at most
 * PROBES_PER_RETRANSFER looks per retransfer allowed and PROBE_BUDGET_MS of looking, the longest-waiting first.
 */
async function retransferStuck(app: App, t: number, probeUntil: number, summary: HealthSummary): Promise<void> {
  const { db, backend, settings } = app;
  const limit = settings.health.retransferLimit;
  if (limit === 0) return;
  let sent = 0;
  await eachLimited(dueRetransfers(db, t, limit * PROBES_PER_RETRANSFER), async (z) => {
    // Out of time: the zone stays due and goes first next time.
    if (Date.now() > probeUntil) return;
    if (sent < limit && (await masterServes(z.name, z.masters))) {
      sent++;
      await backend.retransfer(z.view, z.name).catch(ignoreToolError);
      summary.retransferred.push(z.name);
    }
    writeTx(db, () => noteRetransfer(db, z.zoneId, t));
  }, PROBE_PARALLEL);
  if (summary.retransferred.length > 0) {
    logEvent(settings.logFile, 'health', `retransferred ${summary.retransferred.length} zone(s) that never loaded, their masters serving them now: ${names(summary.retransferred)}`);
  }
}

/**
 * Zones the name server lost behind dnsmgr's back (a deleted new-zones file, a restore) go back at once, claimed and
 * applied like any change (a zone a request is changing meanwhile is that request's).
 */
async function addMissing(app: App, summary: HealthSummary): Promise<void> {
  const { db, settings } = app;
  const claim = newClaim();
  const ids = writeTx(db, () => missingZones(db, Math.max(settings.health.retransferLimit, 10)).filter((z) => claimToRepair(db, z.zoneId, claim, 'lacks')).map((z) => z.zoneId));
  if (ids.length === 0) return;
  const outcome = await applyZones(app, ids, claim);
  writeTx(db, () => { for (const d of outcome.done) resetHealth(db, d.id); });
  summary.readded.push(...outcome.done.map((d) => d.name));
  if (summary.readded.length > 0) logEvent(settings.logFile, 'health', `added back ${summary.readded.length} zone(s) the name server had lost: ${names(summary.readded)}`);
}

/** Zones failing for days are suspended, and deleted later, as the settings say; suspended ones come back by themselves. */
async function deadZonePolicy(app: App, t: number, probeUntil: number, summary: HealthSummary): Promise<void> {
  const { db, settings } = app;
  const { suspendDays, deleteDays } = settings.health;
  if (deleteDays > 0) {
    const deleteBefore = t - deleteDays * 86_400;
    const doomed = deadZones(db, deleteBefore, true);
    // Many zones dying in one go is more likely a fault on this side (network, a master's address) than many customers
    // leaving: deletions above the cap wait for a person, and the log says so.
    const cap = Math.max(MAX_DELETIONS, Math.floor(zoneCount(db) * MAX_DELETION_SHARE));
    if (doomed.length > cap) {
      logEvent(settings.logFile, 'health', `held back: ${doomed.length} zone(s) have failed for more than ${deleteDays} day(s), more than the ${cap} deleted at once; `
        + `deleting ${cap} now, the oldest failures first (check the network to the masters if this is unexpected)`);
    }
    const claim = newClaim();
    for (const z of doomed.slice(0, cap)) {
      const doom = (): boolean => {
        const zone = getZone(db, z.zoneId);
        if (!zone || zone.pending !== null || !stillDead(db, z.zoneId, deleteBefore)) return false;
        markForDelete(db, z.zoneId, claim);
        return true;
      };
      if (!writeTx(db, doom)) continue;
      try {
        await applyOrRevert(app, z.zoneId, claim);
        summary.deleted.push(z.name);
        logEvent(settings.logFile, 'health', `deleted ${z.name} (namespace ${z.namespace}): failing since ${iso(z.failingSince)} (${z.reason}), more than ${deleteDays} day(s)`);
      } catch (err) {
        logEvent(settings.logFile, 'health', `could not delete ${z.name} (namespace ${z.namespace}): ${(err as Error).message}`);
      }
    }
    if (summary.deleted.length > 0) writePasswd(app);
  }
  if (suspendDays > 0) {
    const suspendBefore = t - suspendDays * 86_400;
    for (const z of deadZones(db, suspendBefore, false)) {
      // Its master is asked at the next refresh whether it serves the zone again, then hourly.
      const suspend = (): boolean => {
        if (!stillDead(db, z.zoneId, suspendBefore) || !markSuspended(db, z.zoneId, t)) return false;
        setProbeDue(db, z.zoneId, t);
        return true;
      };
      if (!writeTx(db, suspend)) continue;
      await removeFromNameServer(app, z);
      summary.suspended.push(z.name);
      logEvent(settings.logFile, 'health', `suspended ${z.name} (namespace ${z.namespace}): failing since ${iso(z.failingSince)} (${z.reason}), more than ${suspendDays} day(s); domain.resume brings it back`);
    }
  }
  // A suspension interrupted between the database and the name server is finished here.
  for (const z of suspendedButServed(db)) await removeFromNameServer(app, z);
  await eachLimited(suspendedDue(db, t, SUSPENDED_PROBES), async (z) => {
    if (Date.now() > probeUntil) return;
    if (!(await masterServes(z.name, z.masters))) {
      writeTx(db, () => setProbeDue(db, z.zoneId, t + SUSPENDED_PROBE_SECONDS));
      return;
    }
    await resumeZone(app, z.zoneId).then(() => {
      summary.resumed.push(z.name);
      logEvent(settings.logFile, 'health', `resumed ${z.name} (namespace ${z.namespace}): its master serves it again`);
    }, (err: unknown) => logEvent(settings.logFile, 'health', `could not resume ${z.name}: ${(err as Error).message}`));
  }, PROBE_PARALLEL);
}

async function removeFromNameServer(app: App, z: ZoneRef): Promise<void> {
  try {
    await app.backend.deleteZone(z.view, z.name);
  } catch (err) {
    // Left suspended in the database: the next refresh, or domain.sync.apply, takes it out.
    ignoreToolError(err);
  }
}

/** Puts a suspended zone back into the name server; if that fails it stays suspended. */
export async function resumeZone(app: App, zoneId: number): Promise<boolean> {
  const claim = newClaim();
  if (!writeTx(app.db, () => { const ok = markResuming(app.db, zoneId, claim); if (ok) resetHealth(app.db, zoneId); return ok; })) return false;
  await applyOrRevert(app, zoneId, claim);
  return true;
}

/** Whether any master answers the zone's SOA with authority and allows the transfer. */
async function masterServes(zone: ZoneName, masters: readonly IpAddress[]): Promise<boolean> {
  const { probeMaster } = await import('../dns/probe');
  for (const master of masters) {
    const r = await probeMaster(zone, master, { timeoutMs: PROBE_TIMEOUT_MS });
    if (r.soa.outcome === 'ok' && r.axfr.outcome === 'ok') return true;
  }
  return false;
}

/** One refresh at a time across every dnsmgr process; a second caller waits for the running one, then runs its own. */
async function withLock<T>(app: App, fn: () => Promise<T>): Promise<T> {
  const { db } = app;
  const mine = `${process.pid}:${now()}`;
  const deadline = Date.now() + LOCK_WAIT_MS;
  for (;;) {
    const taken = writeTx(db, () => {
      const [pid, since] = (getMeta(db, LOCK_KEY) ?? '').split(':').map(Number);
      if (pid && since && processAlive(pid) && now() - since < LOCK_STALE_SECONDS) return false;
      setMeta(db, LOCK_KEY, mine);
      return true;
    });
    if (taken) break;
    if (Date.now() > deadline) throw new ToolError('health refresh', undefined, msg`another refresh has held the lock for too long`, msg`is busy`);
    await sleep(250);
  }
  try {
    return await fn();
  } finally {
    writeTx(db, () => { if (getMeta(db, LOCK_KEY) === mine) setMeta(db, LOCK_KEY, ''); });
  }
}

async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>, parallel: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, items.length) }, worker));
}

function ignoreToolError(err: unknown): void {
  if (!(err instanceof ToolError)) throw err;
}

function names(zones: readonly string[]): string {
  const shown = zones.slice(0, 10).join(', ');
  return zones.length > 10 ? `${shown} and ${zones.length - 10} more` : shown;
}

function iso(t: number): string {
  return new Date(t * 1000).toISOString();
}
