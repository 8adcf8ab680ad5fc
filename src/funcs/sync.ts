// domain.sync: named made to match the database (see src/sync/reconcile.ts); dry_run=on only shows the plan.
import { Level } from '../model/level';
import { parseYesNo } from '../model/params';
import type { Doc } from '../protocol/types';
import { planReconcile, reconcile } from '../sync/reconcile';
import { defineFunc, optional } from './registry';

export const domainSync = defineFunc({
  name: 'domain.sync',
  kind: 'list',
  minLevel: Level.admin,
  desc: 'Make named hold exactly the zones dnsmgr knows (adds missing, fixes masters, removes strays); lists the corrections',
  params: [{ name: 'dry_run', desc: 'on: only list what would change' }],
  columns: ['action', 'view', 'zone', 'masterip'],
  mutates: true,
  parse: (raw) => ({ dryRun: parseYesNo(optional(raw, 'dry_run') ?? 'off', 'dry_run') }),
  async run({ app }, p): Promise<Doc> {
    const plan = p.dryRun ? await planReconcile(app) : await reconcile(app);
    return { kind: 'list', rows: plan.map((c) => ({ action: c.action, view: c.view, zone: c.zone, masterip: c.masters.join(', ') })) };
  },
});
