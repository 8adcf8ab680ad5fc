// domain.sync lists what named lacks or has too many, zones and master zones' records (see src/sync/reconcile.ts);
// domain.sync.apply puts it right.
import { Level } from '../model/level';
import { msg } from '../i18n/msg';
import type { Doc, Row } from '../protocol/types';
import type { Lang } from '../i18n/msg';
import { planReconcile, reconcile, SYNC_DELETE_LIMIT } from '../sync/reconcile';
import type { Correction } from '../sync/plan';
import { defineFunc, optional, validateAll } from './registry';
import { parseOneOf } from '../model/params';

const PLAN_COLUMNS = ['action', 'view', 'zone', 'masterip', 'reason'];

export const domainSync = defineFunc({
  name: 'domain.sync',
  kind: 'list',
  minLevel: Level.admin,
  desc: msg`What differs between the name server and dnsmgr: zones to add, masters to fix, strays to remove, master zones whose records to put right, each with why (changes nothing)`,
  params: [],
  columns: PLAN_COLUMNS,
  mutates: false,
  parse: () => ({}),
  async run({ app, lang }): Promise<Doc> {
    return { kind: 'list', rows: planRows(await planReconcile(app, [], { records: true }), lang) };
  },
});

export const domainSyncApply = defineFunc({
  name: 'domain.sync.apply',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Make the name server hold exactly the zones dnsmgr knows: add missing ones, fix masters, remove strays (more than ${SYNC_DELETE_LIMIT} only with force=on), give master zones the database's records`,
  params: [
    { name: 'dry_run', desc: msg`'on' to answer the plan (as domain.sync does) and change nothing` },
    { name: 'force', desc: msg`'on' to delete strays even when there are more than ${SYNC_DELETE_LIMIT}` },
  ],
  columns: PLAN_COLUMNS,
  mutates: true,
  parse: (raw) => validateAll({
    dryRun: () => parseOneOf(optional(raw, 'dry_run') ?? 'off', 'dry_run', ['on', 'off'] as const) === 'on',
    force: () => parseOneOf(optional(raw, 'force') ?? 'off', 'force', ['on', 'off'] as const) === 'on',
  }),
  async run({ app, lang }, p): Promise<Doc> {
    if (p.dryRun) return { kind: 'list', rows: planRows(await planReconcile(app, [], { records: true }), lang) };
    await reconcile(app, { force: p.force, records: true });
    return { kind: 'ok' };
  },
});

function planRows(plan: readonly Correction[], lang: Lang): Row[] {
  return plan.map((c) => ({ action: c.action, view: c.view, zone: c.zone, masterip: c.masters.join(', '), reason: c.reason.in(lang) }));
}
