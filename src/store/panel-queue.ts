// The durable queue of a panel's changes for its slave servers: one SQLite file per panel on the hosting server
// (var/dnsmgr-<panel>.db, 0600: it holds the slave servers' passwords), shared by hook processes and the background
// worker. Per slave server and zone only the newest change waits: a slave's final state is what the panel did last.
import { processAlive } from '../system/process';
import { chmodSync, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Db } from './db';
import { now, openSqlite } from './db';
import { runMigrations } from './migrations';

/** What the slave is asked for a zone: created, deleted, or looked up in the panel first (verify). */
export type QueueAction = 'create' | 'delete' | 'verify';

/** The slave server of the settings form (dnsslave.settings, in the panel's dnsmgr conf file); others are rows of slave_server. */
export const SETTINGS_TARGET = 0;

export interface QueueItem {
  id: number;
  /** The slave server it goes to: SETTINGS_TARGET, or a slave_server id. */
  target: number;
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
  `
  -- Several slave servers: a change waits per slave server and zone; each remembers what was pushed to it.
  CREATE TABLE queue_by_target (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    target INTEGER NOT NULL DEFAULT 0,
    zone TEXT NOT NULL,
    action TEXT NOT NULL CHECK (action IN ('create', 'delete', 'verify')),
    master_ip TEXT NOT NULL DEFAULT '',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_at INTEGER NOT NULL,
    last_error TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL,
    rev INTEGER NOT NULL DEFAULT 0,
    UNIQUE (target, zone)
  );
  INSERT INTO queue_by_target (id, target, zone, action, master_ip, attempts, next_at, last_error, created_at, rev)
    SELECT id, 0, zone, action, master_ip, attempts, next_at, last_error, created_at, rev FROM queue;
  DROP TABLE queue;
  ALTER TABLE queue_by_target RENAME TO queue;
  CREATE TABLE pushed_by_target (target INTEGER NOT NULL DEFAULT 0, zone TEXT NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (target, zone));
  INSERT INTO pushed_by_target (target, zone, at) SELECT 0, zone, at FROM pushed;
  DROP TABLE pushed;
  ALTER TABLE pushed_by_target RENAME TO pushed;
  -- The slave servers besides the settings form's; the password base64 (never shown back).
  CREATE TABLE slave_server (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    url TEXT NOT NULL UNIQUE,
    username TEXT NOT NULL,
    password TEXT NOT NULL,
    ns_addr TEXT NOT NULL DEFAULT '',
    created_at INTEGER NOT NULL
  );
  `,
];

export function queuePath(root: string, panel: string): string {
  return join(root, 'var', `dnsmgr-${panel}.db`);
}

export function openQueue(root: string, panel: string): Db {
  const file = queuePath(root, panel);
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const db = openSqlite(file);
  // The slave servers' passwords: the panel's (root's) alone, whatever the umask.
  chmodSync(file, 0o600);
  db.pragma('busy_timeout = 15000');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  runMigrations(db, MIGRATIONS);
  return db;
}

interface Row { id: number; target: number; zone: string; action: QueueAction; master_ip: string; attempts: number; next_at: number; last_error: string; rev: number }

function toItem(r: Row): QueueItem {
  return { id: r.id, target: r.target, zone: r.zone, action: r.action, masterIp: r.master_ip, attempts: r.attempts, nextAt: r.next_at, lastError: r.last_error, rev: r.rev };
}

/** Queues a change for a slave server; a change already waiting for the zone there is replaced (its attempts start again). */
export function enqueue(db: Db, target: number, zone: string, action: QueueAction, masterIp: string): void {
  db.prepare(`INSERT INTO queue (target, zone, action, master_ip, attempts, next_at, last_error, created_at) VALUES (?, ?, ?, ?, 0, ?, '', ?)
    ON CONFLICT(target, zone) DO UPDATE SET action = excluded.action, master_ip = excluded.master_ip, attempts = 0, next_at = excluded.next_at, last_error = '', rev = rev + 1`)
    .run(target, zone, action, masterIp, now(), now());
}

/** Whether a change of the zone waits in the queue of that slave server. */
export function isQueued(db: Db, target: number, zone: string): boolean {
  return db.prepare('SELECT 1 FROM queue WHERE target = ? AND zone = ?').get(target, zone) !== undefined;
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
    if (done === 'create') db.prepare('INSERT OR REPLACE INTO pushed (target, zone, at) VALUES (?, ?, ?)').run(item.target, item.zone, now());
    if (done === 'delete') db.prepare('DELETE FROM pushed WHERE target = ? AND zone = ?').run(item.target, item.zone);
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

/** The zones pushed to a slave server (created there by this panel, not deleted since). */
export function pushedZones(db: Db, target: number): string[] {
  return (db.prepare('SELECT zone FROM pushed WHERE target = ? ORDER BY zone').all(target) as { zone: string }[]).map((r) => r.zone);
}

export interface SlaveServerRow {
  id: number;
  url: string;
  username: string;
  /** As stored (base64:…); panels/config decodes it. */
  password: string;
  /** The addresses the slave answers this panel's zones on (its namespace's), as it said when last asked. */
  nsAddr: string;
}

interface ServerRow { id: number; url: string; username: string; password: string; ns_addr: string }

const toServer = (r: ServerRow): SlaveServerRow => ({ id: r.id, url: r.url, username: r.username, password: r.password, nsAddr: r.ns_addr });

export function listSlaveServers(db: Db): SlaveServerRow[] {
  return (db.prepare('SELECT * FROM slave_server ORDER BY id').all() as ServerRow[]).map(toServer);
}

export function getSlaveServer(db: Db, id: number): SlaveServerRow | undefined {
  const row = db.prepare('SELECT * FROM slave_server WHERE id = ?').get(id) as ServerRow | undefined;
  return row && toServer(row);
}

export function findSlaveServerByUrl(db: Db, url: string): SlaveServerRow | undefined {
  const row = db.prepare('SELECT * FROM slave_server WHERE url = ?').get(url) as ServerRow | undefined;
  return row && toServer(row);
}

/** Adds one (id undefined) or changes it; a password undefined keeps the stored one. Returns its id. */
export function saveSlaveServer(db: Db, s: { id?: number; url: string; username: string; password?: string; nsAddr: string }): number {
  if (s.id === undefined) {
    return Number(db.prepare('INSERT INTO slave_server (url, username, password, ns_addr, created_at) VALUES (?, ?, ?, ?, ?)')
      .run(s.url, s.username, s.password ?? '', s.nsAddr, now()).lastInsertRowid);
  }
  db.prepare('UPDATE slave_server SET url = ?, username = ?, password = COALESCE(?, password), ns_addr = ? WHERE id = ?')
    .run(s.url, s.username, s.password ?? null, s.nsAddr, s.id);
  return s.id;
}

/** The addresses the slave server said it answers on, when asked again; true when they changed. */
export function setSlaveServerNsAddr(db: Db, id: number, nsAddr: string): boolean {
  return db.prepare('UPDATE slave_server SET ns_addr = ? WHERE id = ? AND ns_addr <> ?').run(nsAddr, id, nsAddr).changes === 1;
}

/** Removes the slave server with what waits for it and what was pushed to it (its zones stay on the slave). */
export function deleteSlaveServer(db: Db, id: number): void {
  db.prepare('DELETE FROM queue WHERE target = ?').run(id);
  db.prepare('DELETE FROM pushed WHERE target = ?').run(id);
  db.prepare('DELETE FROM slave_server WHERE id = ?').run(id);
}

/** Per slave server: how many changes wait, and the newest error among them. */
export function queueStateByTarget(db: Db): Map<number, { waiting: number; error: string }> {
  const rows = db.prepare(`SELECT target, count(*) AS waiting,
    (SELECT last_error FROM queue q2 WHERE q2.target = q.target AND q2.last_error <> '' ORDER BY q2.next_at DESC LIMIT 1) AS error
    FROM queue q GROUP BY target`).all() as { target: number; waiting: number; error: string | null }[];
  return new Map(rows.map((r) => [r.target, { waiting: r.waiting, error: r.error ?? '' }]));
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


/** How many changes wait. */
export function queueLength(db: Db): number {
  return db.prepare('SELECT count(*) FROM queue').pluck().get() as number;
}
