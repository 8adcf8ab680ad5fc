// GET /metrics (Prometheus text format) and GET /health for monitoring the standalone server and `serve`.
import { existsSync } from 'node:fs';
import type { App } from '../app';
import { PANEL_ADAPTERS } from '../panels/registry';
import { DNSMGR_SLAVES } from '../slaves/addresses';
import { openQueue, queueLength, queuePath } from '../store/panel-queue';
import { answers } from '../store/db';
import { healthCounts } from '../store/health';
import { lastRefreshAt } from './refresh';

const STATUSES = ['ok', 'waiting', 'problem', 'expired', 'missing', 'suspended'] as const;

/** The metrics page: zones by status, namespaces, problem zones, age of the last health refresh, each panel's queue. */
export function renderMetrics(app: App): string {
  const counts = healthCounts(app.db);
  const refreshed = lastRefreshAt(app);
  const nowSeconds = Date.now() / 1000;
  const lines: string[] = [];
  const metric = (name: string, help: string, values: [labels: string, value: number][]): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} gauge`, ...values.map(([labels, value]) => `${name}${labels} ${value}`));
  };
  metric('dnsmgr_zones', 'Zones by health status.', STATUSES.map((s) => [`{status="${s}"}`, counts.byStatus[s] ?? 0]));
  metric('dnsmgr_zones_total', 'Zones dnsmgr holds.', [['', counts.zones]]);
  metric('dnsmgr_namespaces', 'DNS namespaces (views).', [['', counts.namespaces]]);
  const problems = (counts.byStatus.problem ?? 0) + (counts.byStatus.expired ?? 0) + (counts.byStatus.missing ?? 0);
  metric('dnsmgr_problem_zones', 'Zones the name server cannot refresh or transfer (problem, expired or missing).', [['', problems]]);
  metric('dnsmgr_long_failing_zones', 'Zones failing for longer than ProblemThreshold.',
    [['', counts.longFailing(Math.floor(nowSeconds - app.settings.health.problemHours * 3600))]]);
  metric('dnsmgr_health_refresh_timestamp_seconds', 'When the last health refresh finished (0: never).', [['', refreshed]]);
  metric('dnsmgr_health_refresh_age_seconds', 'Seconds since the last health refresh finished (-1: never).',
    [['', refreshed > 0 ? Math.max(0, Math.round(nowSeconds - refreshed)) : -1]]);
  // Each panel's queue, and dnsmgr's own for its slave servers (src/slaves/): dnsmgr_dnsmgr_queue_length.
  for (const { panel, title } of [...PANEL_ADAPTERS, { panel: DNSMGR_SLAVES, title: 'DNSmanager' }]) {
    if (!existsSync(queuePath(app.root, panel))) continue;
    const queue = openQueue(app.root, panel);
    try {
      metric(`dnsmgr_${panel}_queue_length`, `Changes waiting to reach the slave server (${title} side).`, [['', queueLength(queue)]]);
    } finally {
      queue.close();
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Whether the database and the name server answer; 503 names what does not. */
export async function checkHealth(app: App, timeoutMs: number): Promise<{ ok: boolean; text: string }> {
  let database = false;
  try {
    database = answers(app.db);
  } catch {
    database = false;
  }
  const nameServer = await app.backend.ping(timeoutMs);
  const ok = database && nameServer;
  return { ok, text: `database ${database ? 'ok' : 'failing'}\nname server ${nameServer ? 'ok' : 'not answering'}\n` };
}
