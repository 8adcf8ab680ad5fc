// The zone planner decides from data alone: a request's change (zoneOp) and a view's reconcile (planView).
import { describe, expect, it } from 'vitest';
import { planView, zoneOp } from '../../src/sync/plan';
import { aclText } from '../../src/sync/place';
import type { ZonePlace } from '../../src/sync/place';
import type { Zone } from '../../src/store/zones';
import type { HeldZone } from '../../src/dns/backend';
import { ips, zn } from '../helpers/brands';

const place: ZonePlace = { view: '_dnsmgr', queryOn: ['192.0.2.10'], allowTransfer: [], acl: aclText(['192.0.2.10'], []) };
const zone = (over: Partial<Zone> = {}): Zone => ({
  id: 1, name: zn('a.example'), namespaceId: 1, ownerId: 1, dtype: 'slave', masters: ips('198.51.100.1'),
  appliedMasters: ips('198.51.100.1'), appliedView: '_dnsmgr', appliedAcl: place.acl, pending: null, claim: null, claimedAt: null, suspendedAt: null, ...over,
});
const held = (over: Partial<HeldZone> = {}): HeldZone => ({ name: 'a.example', masters: ['198.51.100.1'], queryOn: ['192.0.2.10'], allowTransfer: [], ...over });
const reasons = (plan: ReturnType<typeof planView>) => plan.corrections.map((c) => `${c.action} ${c.zone}: ${c.reason.in('en')}`);

describe('zoneOp', () => {
  it('adds a zone named never had, or a suspended one coming back', () => {
    expect(zoneOp(zone({ appliedMasters: null, pending: 'apply' }), place)?.action).toBe('add');
    expect(zoneOp(zone({ suspendedAt: 1, pending: 'apply' }), place)?.action).toBe('add');
  });

  it('adds a zone the name server had somewhere no longer known (lost, or a new name server after a migration)', () => {
    expect(zoneOp(zone({ appliedView: null, appliedAcl: null, pending: 'apply' }), place)).toMatchObject({ action: 'add', zone: { view: place.view } });
  });

  it('moves a zone to its namespace\'s view, modifies one whose masters or ACLs changed, and leaves one as named has it', () => {
    expect(zoneOp(zone({ appliedView: '_ns7', pending: 'apply' }), place)).toMatchObject({ action: 'move', from: '_ns7' });
    expect(zoneOp(zone({ masters: ips('198.51.100.2'), pending: 'apply' }), place)?.action).toBe('modify');
    expect(zoneOp(zone({ appliedAcl: 'on none; xfer none', pending: 'apply' }), place)?.action).toBe('modify');
    expect(zoneOp(zone({ pending: 'apply' }), place)).toBeUndefined();
  });

  it('deletes from the view named has it in', () => {
    expect(zoneOp(zone({ pending: 'delete', appliedView: '_ns7' }), place)).toEqual({ action: 'delete', view: '_ns7', name: 'a.example' });
  });
});

describe('planView', () => {
  it('plans nothing for a view named holds as the database says', () => {
    expect(planView('_dnsmgr', [{ zone: zone(), place }], [held()])).toEqual({ corrections: [], placed: [] });
  });

  it('adds what named lacks, fixes what it has otherwise, deletes what nobody has: each with why', () => {
    const zones = [
      { zone: zone({ id: 1, name: zn('lacking.example') }), place },
      { zone: zone({ id: 2, name: zn('masters.example') }), place },
      { zone: zone({ id: 3, name: zn('acl.example') }), place },
    ];
    const plan = planView('_dnsmgr', zones, [
      held({ name: 'masters.example', masters: ['203.0.113.9'] }),
      held({ name: 'acl.example', queryOn: ['192.0.2.99'] }),
      held({ name: 'stray.example' }),
    ]);
    expect(reasons(plan)).toEqual([
      'add lacking.example: the name server lacks it',
      'modify masters.example: the name server has it from 203.0.113.9',
      "modify acl.example: the name server answers or transfers it for other addresses than its namespace's",
      'delete stray.example: dnsmgr has no such zone in this view',
    ]);
    expect(plan.corrections[0]?.target).toEqual({ id: 1, place });
  });

  it('leaves alone a zone named has under a name dnsmgr could never have given it (it is not dnsmgr\'s to name back)', () => {
    const plan = planView('_dnsmgr', [], [held({ name: 'single' }), held({ name: 'a_b.example' }), held({ name: 'stray.example' })]);
    expect(reasons(plan)).toEqual(['delete stray.example: dnsmgr has no such zone in this view']);
  });

  it('leaves a zone with a change under way to its request; deletes a suspended zone named still has, never adds one', () => {
    const plan = planView('_dnsmgr', [
      { zone: zone({ name: zn('busy.example'), pending: 'apply', claim: '1:x' }), place },
      { zone: zone({ name: zn('held-suspended.example'), suspendedAt: 1 }), place },
      { zone: zone({ name: zn('gone-suspended.example'), suspendedAt: 1 }), place },
    ], [held({ name: 'busy.example', masters: ['203.0.113.9'] }), held({ name: 'held-suspended.example' })]);
    expect(reasons(plan)).toEqual(['delete held-suspended.example: the zone is suspended: dnsmgr keeps it out of the name server']);
  });

  it('records a zone named already has right whose record is behind', () => {
    const plan = planView('_dnsmgr', [{ zone: zone({ appliedView: null, appliedAcl: null, appliedMasters: null }), place }], [held()]);
    expect(plan).toEqual({ corrections: [], placed: [{ id: 1, masters: ['198.51.100.1'], place }] });
  });
});
