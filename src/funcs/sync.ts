// domain.sync lists what named lacks or has too many (see src/sync/reconcile.ts); domain.sync.apply puts it right.
import { Level } from '../model/level';
import { msg } from '../i18n/msg';
import type { Doc } from '../protocol/types';
import { planReconcile, reconcile } from '../sync/reconcile';
import { defineFunc } from './registry';

export const domainSync = defineFunc({
  name: 'domain.sync',
  kind: 'list',
  minLevel: Level.admin,
  desc: msg`What differs between named and dnsmgr: zones to add, masters to fix, strays to remove (changes nothing)`,
  params: [],
  columns: ['action', 'view', 'zone', 'masterip'],
  mutates: false,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    const plan = await planReconcile(app);
    return { kind: 'list', rows: plan.map((c) => ({ action: c.action, view: c.view, zone: c.zone, masterip: c.masters.join(', ') })) };
  },
});

export const domainSyncApply = defineFunc({
  name: 'domain.sync.apply',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Make named hold exactly the zones dnsmgr knows: add missing ones, fix masters, remove strays`,
  params: [],
  mutates: true,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    await reconcile(app);
    return { kind: 'ok' };
  },
});
