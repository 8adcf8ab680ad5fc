// zone.list_serial, list_reason and list_updated, the domain list's sort keys of health's columns kept by triggers
// (migration 10): after every kind of change to a zone's health row they are what the list sorted by when it read that
// row itself, and migration 10 fills them for the zones already there.
import { describe, expect, it } from 'vitest';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Db } from '../../src/store/db';
import { openSqlite } from '../../src/store/db';
import { computeStatuses, resetHealth } from '../../src/store/health';
import { MIGRATIONS, runMigrations } from '../../src/store/migrations';
import { insertZone } from '../../src/store/zones';
import { seed, useTempDbs } from './temp-db';
import { ips, zn } from '../helpers/brands';

const dbs = useTempDbs();

interface Keys {
  serial: number | null;
  reason: string;
  updated: number;
}

/** The keys as the list computed them from the health row before migration 10 (no row: as if its columns were NULL). */
function computed(db: Db, id: number): Keys {
  return db.prepare(`SELECT CAST(nullif(coalesce(CAST(h.serial AS TEXT), ''), '') AS INTEGER) AS serial, coalesce(h.reason, '') AS reason,
      CASE WHEN h.last_ok_at > 0 THEN h.last_ok_at ELSE 0 END AS updated
    FROM zone z LEFT JOIN zone_health h ON h.zone_id = z.id WHERE z.id = ?`).get(id) as Keys;
}

function stored(db: Db, id: number): Keys | undefined {
  return db.prepare('SELECT list_serial AS serial, list_reason AS reason, list_updated AS updated FROM zone WHERE id = ?').get(id) as Keys | undefined;
}

function expectKeys(db: Db, id: number, keys: Keys): void {
  expect(computed(db, id)).toEqual(keys);
  expect(stored(db, id)).toEqual(keys);
}

const NONE: Keys = { serial: null, reason: '', updated: 0 };

describe('the domain list\'s sort keys of health\'s columns', () => {
  it('follow the health row as it comes, changes and goes', () => {
    const db = dbs.open();
    const f = seed(db);
    const id = insertZone(db, { name: zn('a.example'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.1'), claim: 'c' });
    const other = insertZone(db, { name: zn('b.example'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ips('198.51.100.1'), claim: 'c' });
    expectKeys(db, id, NONE);
    db.prepare('INSERT INTO zone_health (zone_id, serial, reason, last_ok_at) VALUES (?, 2026113001, ?, 1700000000)').run(id, 'timeout');
    expectKeys(db, id, { serial: 2026113001, reason: 'timeout', updated: 1700000000 });
    const set = (sql: string): void => void db.prepare(`UPDATE zone_health SET ${sql} WHERE zone_id = ?`).run(id);
    set('serial = 0');
    expectKeys(db, id, { serial: 0, reason: 'timeout', updated: 1700000000 });
    set('serial = NULL, last_ok_at = 0');
    expectKeys(db, id, { serial: null, reason: 'timeout', updated: 0 });
    set('last_ok_at = -1, reason = NULL');
    expectKeys(db, id, NONE);
    set("serial = 4294967295, last_ok_at = 1700000001, reason = 'notauth'");
    expectKeys(db, id, { serial: 4294967295, reason: 'notauth', updated: 1700000001 });
    set('last_ok_at = NULL');
    expectKeys(db, id, { serial: 4294967295, reason: 'notauth', updated: 0 });
    // As the health refresh writes them: a row made for every zone, statuses and reasons computed (the other zone,
    // in named for long, never loaded); a reset.
    db.prepare('UPDATE zone SET pending = NULL, claim = NULL, applied_masters = masters, updated_at = 0 WHERE id = ?').run(other);
    computeStatuses(db, 1700000100, null);
    expect(stored(db, id)).toEqual(computed(db, id));
    expectKeys(db, other, { ...NONE, reason: 'never-loaded' });
    resetHealth(db, other);
    expectKeys(db, other, NONE);
    db.prepare('DELETE FROM zone_health WHERE zone_id = ?').run(id);
    expectKeys(db, id, NONE);
    db.prepare('DELETE FROM zone WHERE id = ?').run(id);
    expect(stored(db, id)).toBeUndefined();
  });

  it('are filled for the zones already there when migration 10 runs', () => {
    const file = dbs.file();
    mkdirSync(dirname(file), { recursive: true });
    const db = openSqlite(file);
    try {
      runMigrations(db, MIGRATIONS.slice(0, 9));
      db.exec(`
        INSERT INTO account (id, name, level, password_hash, created_at) VALUES (1, 'alice', 16, 'h', 1);
        INSERT INTO namespace (id, name, owner_id, created_at) VALUES (10, 'alice', 1, 1);
        INSERT INTO zone (id, name, namespace_id, owner_id, masters, applied_masters, created_at, updated_at) VALUES
          (1, 'a.example', 10, 1, '198.51.100.1', '198.51.100.1', 1, 1),
          (2, 'b.example', 10, 1, '198.51.100.1', '198.51.100.1', 1, 1),
          (3, 'c.example', 10, 1, '198.51.100.1', '198.51.100.1', 1, 1);
        INSERT INTO zone_health (zone_id, serial, status, reason, last_ok_at) VALUES
          (1, 2026113001, 'ok', NULL, 1700000000), (2, NULL, 'problem', 'refused', 0);
      `);
      runMigrations(db, MIGRATIONS);
      expectKeys(db, 1, { serial: 2026113001, reason: '', updated: 1700000000 });
      expectKeys(db, 2, { serial: null, reason: 'refused', updated: 0 });
      expectKeys(db, 3, NONE);
    } finally {
      db.close();
    }
  });
});
