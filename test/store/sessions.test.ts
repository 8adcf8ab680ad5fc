import { describe, expect, it } from 'vitest';
import { Level } from '../../src/model/level';
import type { Db } from '../../src/store/db';
import { now } from '../../src/store/db';
import { createSession, deleteSessions, SESSION_IDLE_SECONDS, touchSession } from '../../src/store/sessions';
import { useTempDbs } from './temp-db';

const dbs = useTempDbs();

function expiresAt(db: Db, key: string): number | undefined {
  return (db.prepare('SELECT expires_at FROM session WHERE key = ?').get(key) as { expires_at: number } | undefined)?.expires_at;
}

function setExpiresAt(db: Db, key: string, t: number): void {
  db.prepare('UPDATE session SET expires_at = ? WHERE key = ?').run(t, key);
}

describe('sessions', () => {
  it('are created with a random key and found again', () => {
    const db = dbs.open();
    const key = createSession(db, 'alice', Level.user);
    const other = createSession(db, 'alice', Level.user);
    expect(key).toMatch(/^[0-9a-f]{48}$/);
    expect(other).not.toBe(key);
    expect(touchSession(db, key)).toEqual({ accountName: 'alice', level: Level.user });
    expect(touchSession(db, other)).toEqual({ accountName: 'alice', level: Level.user });
  });

  it('last an idle hour', () => {
    const db = dbs.open();
    const before = now();
    const key = createSession(db, 'root', Level.root);
    expect(expiresAt(db, key)).toBeGreaterThanOrEqual(before + SESSION_IDLE_SECONDS);
    expect(expiresAt(db, key)).toBeLessThanOrEqual(now() + SESSION_IDLE_SECONDS);
  });

  it('are extended by every use', () => {
    const db = dbs.open();
    const key = createSession(db, 'alice', Level.user);
    setExpiresAt(db, key, now() + 10);
    expect(touchSession(db, key)).toBeDefined();
    expect(expiresAt(db, key)).toBeGreaterThanOrEqual(now() + SESSION_IDLE_SECONDS - 1);
  });

  it('are unknown when the key is', () => {
    const db = dbs.open();
    createSession(db, 'alice', Level.user);
    expect(touchSession(db, 'f'.repeat(48))).toBeUndefined();
    expect(touchSession(db, '')).toBeUndefined();
  });

  it('expire, and an expired one is not revived by touching it', () => {
    const db = dbs.open();
    const key = createSession(db, 'alice', Level.user);
    const past = now() - 1;
    setExpiresAt(db, key, past);
    expect(touchSession(db, key)).toBeUndefined();
    expect(expiresAt(db, key)).toBe(past);
  });

  it('that expired are cleared when a new one is created', () => {
    const db = dbs.open();
    const old = createSession(db, 'alice', Level.user);
    const live = createSession(db, 'bob', Level.user);
    setExpiresAt(db, old, now() - 60);
    createSession(db, 'carol', Level.user);
    expect(expiresAt(db, old)).toBeUndefined();
    expect(touchSession(db, live)).toEqual({ accountName: 'bob', level: Level.user });
  });

  it('are shared by every connection to the database', () => {
    const file = dbs.file();
    const a = dbs.open(file);
    const b = dbs.open(file);
    const key = createSession(a, 'alice', Level.user);
    expect(touchSession(b, key)).toEqual({ accountName: 'alice', level: Level.user });
  });
});

describe('deleteSessions', () => {
  it("ends the keys given of that account only, or of anyone; another account's key and an unknown one end nothing", () => {
    const db = dbs.open();
    const a1 = createSession(db, 'alice', Level.user);
    const a2 = createSession(db, 'alice', Level.user);
    const b1 = createSession(db, 'bob', Level.user);
    expect(deleteSessions(db, [a2, b1, 'f'.repeat(48)], 'alice')).toBe(1);
    expect([touchSession(db, a1), touchSession(db, a2), touchSession(db, b1)].map((s) => s?.accountName)).toEqual(['alice', undefined, 'bob']);
    expect(deleteSessions(db, [a1, b1], undefined)).toBe(2);
    expect(touchSession(db, a1)).toBeUndefined();
    expect(touchSession(db, b1)).toBeUndefined();
  });
});
