// zone.list_status, the domain list's status kept by triggers (migration 7): after every kind of change it is what the
// list's rules compute from the zone and its health row at that moment, and the zones it was built from agree too.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../../src/store/db';
import { openSqlite } from '../../src/store/db';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations';
import { computeStatuses, resetHealth } from '../../src/store/health';
import { deleteZoneRow, insertZone, markApplied, markForDelete, markResuming, markSuspended, revertPending, setDesiredMasters } from '../../src/store/zones';
import { listZones } from '../../src/store/zone-listing';
import { seed, useTempDbs } from './temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();
const PLACE = { view: 'shared', acl: 'any' };

/** The status as the list's rules say, computed afresh: a change on its way, then suspended, then health. */
function computed(db: Db, id: number): string {
  return db.prepare(`SELECT CASE
      WHEN z.pending = 'delete' THEN 'deleting'
      WHEN z.pending = 'apply' THEN CASE WHEN z.suspended_at IS NOT NULL THEN 'resuming' WHEN z.applied_masters IS NULL THEN 'adding' ELSE 'updating' END
      WHEN z.suspended_at IS NOT NULL THEN 'suspended'
      ELSE coalesce(h.status, 'waiting') END
    FROM zone z LEFT JOIN zone_health h ON h.zone_id = z.id WHERE z.id = ?`).pluck().get(id) as string;
}

function stored(db: Db, id: number): string | undefined {
  return db.prepare('SELECT list_status FROM zone WHERE id = ?').pluck().get(id) as string | undefined;
}

/** The stored status is the computed one, and the list shows it. */
function expectStatus(db: Db, id: number, status: string): void {
  expect(computed(db, id)).toBe(status);
  expect(stored(db, id)).toBe(status);
  expect(listZones(db).find((z) => z.name === 'a.example')?.status).toBe(status);
}

describe('zone.list_status', () => {
  it('follows add, apply, health, edit, suspend, resume, revert and delete', () => {
    const db = dbs.open();
    const f = seed(db);
    const id = insertZone(db, { name: zn('a.example'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.1'), claim: 'c' });
    expectStatus(db, id, 'adding');
    markApplied(db, id, ips('198.51.100.1'), PLACE, true, 'c');
    expectStatus(db, id, 'waiting');
    db.prepare('INSERT INTO zone_health (zone_id, status) VALUES (?, ?)').run(id, 'ok');
    expectStatus(db, id, 'ok');
    db.prepare("UPDATE zone_health SET status = 'problem', reason = 'timeout' WHERE zone_id = ?").run(id);
    expectStatus(db, id, 'problem');
    db.prepare("UPDATE zone_health SET serial = 7 WHERE zone_id = ?").run(id);
    expectStatus(db, id, 'problem');
    setDesiredMasters(db, id, ips('198.51.100.2'), 'c');
    expectStatus(db, id, 'updating');
    revertPending(db, id, 'c');
    expectStatus(db, id, 'problem');
    expect(markSuspended(db, id, 1000)).toBe(true);
    expectStatus(db, id, 'suspended');
    expect(markResuming(db, id, 'c')).toBe(true);
    expectStatus(db, id, 'resuming');
    markApplied(db, id, ips('198.51.100.1'), PLACE, true, 'c');
    expectStatus(db, id, 'problem');
    resetHealth(db, id);
    expectStatus(db, id, 'waiting');
    db.prepare('DELETE FROM zone_health WHERE zone_id = ?').run(id);
    expectStatus(db, id, 'waiting');
    db.prepare("UPDATE zone SET claim = 'c' WHERE id = ?").run(id);
    markForDelete(db, id, 'c');
    expectStatus(db, id, 'deleting');
    deleteZoneRow(db, id, 'c');
    expect(stored(db, id)).toBeUndefined();
  });

  it('of a zone resumed while a refresh computes statuses is not left suspended', () => {
    const db = dbs.open();
    const f = seed(db);
    const id = insertZone(db, { name: zn('a.example'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.1'), claim: 'c' });
    markApplied(db, id, ips('198.51.100.1'), PLACE, true, 'c');
    db.prepare("INSERT INTO zone_health (zone_id, status, reason) VALUES (?, 'problem', 'timeout')").run(id);
    expect(markSuspended(db, id, 1000)).toBe(true);
    computeStatuses(db, 1700000000, null);
    expectStatus(db, id, 'suspended');
    // domain.resume: claimed and its health reset, then named takes it back; a refresh's statuses come in between.
    expect(markResuming(db, id, 'r')).toBe(true);
    resetHealth(db, id);
    computeStatuses(db, 1700000001, null);
    markApplied(db, id, ips('198.51.100.1'), PLACE, true, 'r');
    expectStatus(db, id, 'waiting');
  });

  it('is filled for the zones already there when migration 7 runs', () => {
    const file = dbs.file();
    mkdirSync(dirname(file), { recursive: true });
    const db = openSqlite(file);
    try {
      runMigrations(db, MIGRATIONS.slice(0, 6));
      // Rows as that schema holds them (the store's functions write today's schema).
      db.exec(`
        INSERT INTO account (id, name, level, password_hash, created_at) VALUES (1, 'alice', 16, 'h', 1);
        INSERT INTO namespace (id, name, owner_id, created_at) VALUES (10, 'alice', 1, 1);
        INSERT INTO zone (id, name, namespace_id, owner_id, masters, applied_masters, pending, claim, created_at, updated_at) VALUES
          (1, 'a.example', 10, 1, '198.51.100.1', '198.51.100.1', NULL, NULL, 1, 1),
          (2, 'b.example', 10, 1, '198.51.100.1', NULL, 'apply', 'c', 1, 1);
        INSERT INTO zone_health (zone_id, status) VALUES (1, 'expired');
      `);
      const [id, other] = [1, 2];
      runMigrations(db, MIGRATIONS);
      expectStatus(db, id, 'expired');
      expect(stored(db, other)).toBe('adding');
    } finally {
      db.close();
    }
  });
});
