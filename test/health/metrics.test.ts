// The metrics page, from a real database: counts by status, long-failing zones, refresh age, the ISPmanager queue.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { afterEach, describe, expect, it } from 'vitest';
import { App } from '../../src/app';
import { renderMetrics } from '../../src/health/metrics';
import { enqueue, openQueue } from '../../src/store/panel-queue';
import { insertAccount } from '../../src/store/accounts';
import { computeStatuses, setMeta } from '../../src/store/health';
import { insertNamespace } from '../../src/store/namespaces';
import { insertZone, markApplied } from '../../src/store/zones';
import { ips, zn } from '../helpers/brands';

/** Where named has the zones these tests apply: the shared view, with a namespace's ACL text. */
const PLACE = { view: '_dnsmgr', acl: 'on 192.0.2.1; xfer none' };

const apps: App[] = [];
afterEach(() => { for (const a of apps.splice(0)) a.close(); });

function app(): App {
  const a = new App(mkdtempSync(join(tmpdir(), 'dnsmgr-metrics-')));
  apps.push(a);
  return a;
}

function values(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const family of parsePrometheusTextFormat(text)) {
    expect(family.type).toBe('GAUGE');
    for (const m of family.metrics) {
      const labels = Object.entries(m.labels ?? {}).map(([k, v]) => `${k}=${v}`).join(',');
      out.set(labels === '' ? family.name : `${family.name}{${labels}}`, Number(m.value));
    }
  }
  return out;
}

describe('renderMetrics', () => {
  it('an empty installation: zeros, a refresh age of -1, no queue metric', () => {
    const v = values(renderMetrics(app()));
    expect(v.get('dnsmgr_zones_total')).toBe(0);
    expect(v.get('dnsmgr_zones{status=ok}')).toBe(0);
    expect(v.get('dnsmgr_health_refresh_age_seconds')).toBe(-1);
    expect(v.has('dnsmgr_ispmgr_queue_length')).toBe(false);
  });

  it('counts zones by status, problems, long-failing ones, namespaces and the refresh age', () => {
    const a = app();
    const db = a.db;
    const now = Math.floor(Date.now() / 1000);
    const owner = insertAccount(db, { name: 'alice', level: 16, resellerId: null, passwordHash: 'x', disabled: false, namespaceId: null });
    const ns = insertNamespace(db, 'alice', owner);
    const zone = (name: string): number => {
      const id = insertZone(db, { name: zn(name), namespaceId: ns, ownerId: owner, masters: ips('198.51.100.1'), claim: `1:${name}` });
      markApplied(db, id, ips('198.51.100.1'), PLACE, true, `1:${name}`);
      return id;
    };
    const ok = zone('ok.test');
    const old = zone('old.test');
    const fresh = zone('fresh.test');
    zone('new.test');
    computeStatuses(db, now, null);
    db.prepare("UPDATE zone_health SET serial = 1, loaded_at = ?, expires_at = ? WHERE zone_id = ?").run(now - 10, now + 86_400, ok);
    db.prepare("UPDATE zone_health SET failure = 'refused', failed_at = ? WHERE zone_id IN (?, ?)").run(now - 60, old, fresh);
    computeStatuses(db, now, null);
    db.prepare('UPDATE zone_health SET failing_since = ? WHERE zone_id = ?').run(now - 2 * 86_400, old);
    setMeta(db, 'health_refreshed_at', String(now - 12));
    const v = values(renderMetrics(a));
    expect(v.get('dnsmgr_zones_total')).toBe(4);
    expect(v.get('dnsmgr_zones{status=ok}')).toBe(1);
    expect(v.get('dnsmgr_zones{status=problem}')).toBe(2);
    expect(v.get('dnsmgr_zones{status=waiting}')).toBe(1);
    expect(v.get('dnsmgr_problem_zones')).toBe(2);
    expect(v.get('dnsmgr_long_failing_zones')).toBe(1);
    expect(v.get('dnsmgr_namespaces')).toBe(1);
    expect(v.get('dnsmgr_health_refresh_timestamp_seconds')).toBe(now - 12);
    expect(v.get('dnsmgr_health_refresh_age_seconds')).toBeGreaterThanOrEqual(12);
    expect(v.get('dnsmgr_health_refresh_age_seconds')).toBeLessThan(60);
  });

  it('where the ISPmanager side runs, the length of its queue', () => {
    const a = app();
    const q = openQueue(a.root, 'ispmgr');
    enqueue(q, 0, 'a.example', 'create', '198.51.100.1');
    enqueue(q, 0, 'b.example', 'delete', '');
    enqueue(q, 0, 'a.example', 'delete', '');
    q.close();
    expect(values(renderMetrics(a)).get('dnsmgr_ispmgr_queue_length')).toBe(2);
  });

  it('with slave servers of its own, the length of their queue', () => {
    const a = app();
    expect(values(renderMetrics(a)).has('dnsmgr_dnsmgr_queue_length')).toBe(false);
    const q = openQueue(a.root, 'dnsmgr');
    enqueue(q, 1, 'a.example', 'create', '192.0.2.1');
    q.close();
    expect(values(renderMetrics(a)).get('dnsmgr_dnsmgr_queue_length')).toBe(1);
  });
});
