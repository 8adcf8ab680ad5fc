import { describe, expect, it } from 'vitest';
import type { AddressFacts, IpStatus, MemberFacts, NamespaceUse } from '../../src/model/ip-status';
import { IP_STATUSES, needsAssignee, statusChangeProblem, statusSeenBy } from '../../src/model/ip-status';

// Account ids: carol is a reseller with users erin and dave; alice is a user of the admin; zed a user of another reseller.
const CAROL = 2;
const ALICE = 1;
const ERIN = 3;
const DAVE = 4;
const ZED = 5;
const OTHER_RESELLER = 6;

const alice: MemberFacts = { id: ALICE, name: 'alice', resellerId: null };
const carol: MemberFacts = { id: CAROL, name: 'carol', resellerId: null };
const erin: MemberFacts = { id: ERIN, name: 'erin', resellerId: CAROL };
const dave: MemberFacts = { id: DAVE, name: 'dave', resellerId: CAROL };
const zed: MemberFacts = { id: ZED, name: 'zed', resellerId: OTHER_RESELLER };

const address = (status: IpStatus, holderId: number | null = null, assigneeId: number | null = null): AddressFacts =>
  ({ addr: '192.0.2.1', status, holderId, assigneeId });

describe('statusSeenBy', () => {
  it('the admin sees an address in a reseller pool as assigned to the reseller, whatever its status there', () => {
    for (const status of IP_STATUSES) {
      expect(statusSeenBy(address(status, CAROL, status === 'assigned' ? ERIN : null), null)).toEqual({ status: 'assigned', assigneeId: CAROL });
    }
  });

  it('the admin sees an address of its own pool as it is', () => {
    for (const status of IP_STATUSES) {
      const assigneeId = status === 'assigned' ? ALICE : null;
      expect(statusSeenBy(address(status, null, assigneeId), null)).toEqual({ status, assigneeId });
    }
  });

  it('the reseller sees an address of its pool with the status it gave it', () => {
    expect(statusSeenBy(address('mutual', CAROL), CAROL)).toEqual({ status: 'mutual', assigneeId: null });
    expect(statusSeenBy(address('assigned', CAROL, ERIN), CAROL)).toEqual({ status: 'assigned', assigneeId: ERIN });
    expect(statusSeenBy(address('free', CAROL), CAROL)).toEqual({ status: 'free', assigneeId: null });
  });

  it('a reseller sees an admin address assigned to it as assigned to it', () => {
    expect(statusSeenBy(address('assigned', null, CAROL), CAROL)).toEqual({ status: 'assigned', assigneeId: CAROL });
  });
});

describe('needsAssignee', () => {
  it('only for assigned', () => {
    expect(IP_STATUSES.filter(needsAssignee)).toEqual(['assigned']);
  });
});

describe('statusChangeProblem', () => {
  const pairs = IP_STATUSES.flatMap((from) => IP_STATUSES.map((to) => [from, to] as const));
  const team: NamespaceUse = { name: 'team', members: [dave, erin] };

  it('covers every status', () => {
    expect(IP_STATUSES).toEqual(['hidden', 'free', 'shared', 'assigned', 'mutual']);
    expect(pairs).toHaveLength(25);
  });

  describe.each(pairs)('%s → %s', (from, to) => {
    const current = address(from, null, from === 'assigned' ? ERIN : null);

    it('is allowed for an address that answers for no namespace', () => {
      for (const assigneeId of [null, ALICE, CAROL, ERIN]) {
        expect(statusChangeProblem(current, { status: to, assigneeId: to === 'assigned' ? assigneeId : null }, undefined)).toBeUndefined();
      }
    });

    if (to === 'free' || to === 'hidden') {
      it('is refused while a namespace answers on it, naming the namespace and its members', () => {
        const problem = statusChangeProblem(current, { status: to, assigneeId: null }, team);
        expect(String(problem)).toBe(`address 192.0.2.1 answers for namespace 'team' (dave, erin); a ${to} address may not`);
      });

      it('is refused for a namespace without members too', () => {
        expect(String(statusChangeProblem(current, { status: to, assigneeId: null }, { name: 'spare', members: [] })))
          .toBe(`address 192.0.2.1 answers for namespace 'spare' (no account); a ${to} address may not`);
      });
    }

    if (to === 'shared' || to === 'mutual') {
      it('is allowed whoever the namespace members are', () => {
        expect(statusChangeProblem(current, { status: to, assigneeId: null }, team)).toBeUndefined();
        expect(statusChangeProblem(current, { status: to, assigneeId: null }, { name: 'mixed', members: [alice, erin, zed] })).toBeUndefined();
      });
    }

    if (to === 'assigned') {
      it('is allowed when every member is the assignee or one of its users', () => {
        expect(statusChangeProblem(current, { status: to, assigneeId: CAROL }, team)).toBeUndefined();
        expect(statusChangeProblem(current, { status: to, assigneeId: CAROL }, { name: 'with-carol', members: [carol, dave, erin] })).toBeUndefined();
        expect(statusChangeProblem(current, { status: to, assigneeId: ERIN }, { name: 'erin', members: [erin] })).toBeUndefined();
        expect(statusChangeProblem(current, { status: to, assigneeId: ALICE }, { name: 'spare', members: [] })).toBeUndefined();
      });

      it('is refused when a member would lose the address, naming only those', () => {
        expect(String(statusChangeProblem(current, { status: to, assigneeId: ERIN }, team)))
          .toBe("address 192.0.2.1 answers for namespace 'team': dave would lose it");
        expect(String(statusChangeProblem(current, { status: to, assigneeId: ALICE }, team)))
          .toBe("address 192.0.2.1 answers for namespace 'team': dave, erin would lose it");
        // A reseller's address assigned to one of its users cuts the reseller itself off.
        expect(String(statusChangeProblem(current, { status: to, assigneeId: DAVE }, { name: 'with-carol', members: [carol, dave] })))
          .toBe("address 192.0.2.1 answers for namespace 'with-carol': carol would lose it");
        // A user of another reseller is not the assignee's user.
        expect(String(statusChangeProblem(current, { status: to, assigneeId: CAROL }, { name: 'mixed', members: [erin, zed] })))
          .toBe("address 192.0.2.1 answers for namespace 'mixed': zed would lose it");
      });
    }
  });
});
