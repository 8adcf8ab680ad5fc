// The durable queue of a panel's changes for the slave: one SQLite file per panel on the hosting server
// (var/dnsmgr-<panel>.db), shared by hook processes and the background worker. Per zone only the newest change waits: the slave's final state is what the panel did last.
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './db';
import { now, openSqlite } from './db';
import { runMigrations } from './migrations';

/** What the slave is asked for a zone: created, deleted, or looked up in the panel first (verify). */
export type QueueAction = 'create' | 'delete' | 'verify';

export interface QueueItem {
  id: number;
  zone: string;
  action: QueueAction;
  masterIp: string;
  attempts: number;
  nextAt: number;
  lastError: string;
  /** Counts the times the zone's change was queued: a change queued again while one is being sent outlives it. */
  rev: number;
}

const MIGRATIONS = [
  `
  CREATE TABLE queue (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    zone TEXT NOT NULL UNIQUE,
    action TEXT NOT NULL CHECK (action IN ('create', 'delete', 'verify')),
    master_ip TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );
  -- Zones this panel created on the slave: a synchronization removes only these.
  CREATE TABLE pushed (zone TEXT PRIMARY KEY, at INTEGER NOT NULL);
  CREATE TABLE worker (id INTEGER PRIMARY KEY CHECK (id = 1), pid INTEGER NOT NULL, until INTEGER NOT NULL);
  `,
  `
  ALTER TABLE queue ADD COLUMN rev INTEGER NOT NULL DEFAULT 0;
  `,
];

export function queuePath(root: string, panel: string): string {
  return join(root, 'var', `dnsmgr-${panel}.db`);
}

export function openQueue(root: string, panel: string): Db {
  const file = queuePath(root, panel);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = openSqlite(file);
  db.pragma('busy_timeout = 15000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  runMigrations(db, MIGRATIONS);
  return db;
}

interface Row { id: number; zone: string; action: QueueAction; master_ip: string; attempts: number; next_at: number; last_error: string; rev: number }

function toItem(r: Row): QueueItem {
  return { id: r.id, zone: r.zone, action: r.action, masterIp: r.master_ip, attempts: r.attempts, nextAt: r.next_at, lastError: r.last_error, rev: r.rev };
}

/** Queues a change; a change already waiting for the zone is replaced (its attempts start again). */
export function enqueue(db: Db, zone: string, action: QueueAction, masterIp: string): void {
  db.prepare(`INSERT INTO queue (zone, action, master_ip, attempts, next_at, last_error, created_at) VALUES (?, ?, ?, 0, ?, '', ?)
    ON CONFLICT(zone) DO UPDATE SET action = excluded.action, master_ip = excluded.master_ip, attempts = 0, next_at = excluded.next_at, last_error = '', rev = rev + 1`)
    .run(zone, action, masterIp, now(), now());
}

/** Whether a change of the zone waits in the queue. */
export function isQueued(db: Db, zone: string): boolean {
  return db.prepare('SELECT 1 FROM queue WHERE zone = ?').get(zone) !== undefined;
}

export function listQueue(db: Db): QueueItem[] {
  return (db.prepare('SELECT * FROM queue ORDER BY id').all() as Row[]).map(toItem);
}

export function dueItems(db: Db, at: number): QueueItem[] {
  return (db.prepare('SELECT * FROM queue WHERE next_at <= ? ORDER BY id').all(at) as Row[]).map(toItem);
}

export function nextDue(db: Db): number | undefined {
  return (db.prepare('SELECT MIN(next_at) AS t FROM queue').get() as { t: number | null }).t ?? undefined;
}

/** Done: removed, unless the zone got a newer change meanwhile (that one stays queued). `done` is what was sent. */
export function complete(db: Db, item: QueueItem, done: QueueAction = item.action): void {
  db.transaction(() => {
    db.prepare('DELETE FROM queue WHERE id = ? AND rev = ? AND attempts = ?').run(item.id, item.rev, item.attempts);
    if (done === 'create') db.prepare('INSERT OR REPLACE INTO pushed (zone, at) VALUES (?, ?)').run(item.zone, now());
    if (done === 'delete') db.prepare('DELETE FROM pushed WHERE zone = ?').run(item.zone);
  }).immediate();
}

export function fail(db: Db, item: QueueItem, error: string, retryBase: number): void {
  const attempts = item.attempts + 1;
  const delay = Math.min(retryBase * 2 ** (attempts - 1), 3600);
  db.prepare('UPDATE queue SET attempts = ?, next_at = ?, last_error = ? WHERE id = ? AND rev = ? AND attempts = ?')
    .run(attempts, now() + delay, error.slice(0, 500), item.id, item.rev, item.attempts);
}

export function retryNow(db: Db, ids: readonly number[]): void {
  const stmt = db.prepare('UPDATE queue SET next_at = ? WHERE id = ?');
  for (const id of ids) stmt.run(now(), id);
}

export function drop(db: Db, ids: readonly number[]): void {
  const stmt = db.prepare('DELETE FROM queue WHERE id = ?');
  for (const id of ids) stmt.run(id);
}

export function pushedZones(db: Db): string[] {
  return (db.prepare('SELECT zone FROM pushed ORDER BY zone').all() as { zone: string }[]).map((r) => r.zone);
}

/** One worker at a time: a lease it renews while it runs; a dead worker's lease is taken over once it lapses. */
export function takeLease(db: Db, pid: number, seconds: number): boolean {
  return db.transaction(() => {
    const row = db.prepare('SELECT pid, until FROM worker WHERE id = 1').get() as { pid: number; until: number } | undefined;
    if (row && row.pid !== pid && row.until >= now() && processAlive(row.pid)) return false;
    db.prepare('INSERT OR REPLACE INTO worker (id, pid, until) VALUES (1, ?, ?)').run(pid, now() + seconds);
    return true;
  }).immediate();
}

export function releaseLease(db: Db, pid: number): void {
  db.prepare('DELETE FROM worker WHERE id = 1 AND pid = ?').run(pid);
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** How many changes wait. */
export function queueLength(db: Db): number {
  return db.prepare('SELECT count(*) FROM queue').pluck().get() as number;
}
