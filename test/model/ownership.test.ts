import { describe, expect, it } from 'vitest';
import type { OwnershipRules, ZoneClaim } from '../../src/model/ownership';
import { conflictingZone, isAtOrBelow, restrictedBy, selfAndParents } from '../../src/model/ownership';

const ALICE = 1;
const BOB = 2;
const STRICT: OwnershipRules = { sharedDomains: [], insecure: false, restricted: [] };

describe('selfAndParents', () => {
  it('lists the name, then every parent up to the top-level label', () => {
    expect(selfAndParents('a.b.example.com')).toEqual(['a.b.example.com', 'b.example.com', 'example.com', 'com']);
    expect(selfAndParents('example.com')).toEqual(['example.com', 'com']);
    expect(selfAndParents('com')).toEqual(['com']);
  });
});

describe('isAtOrBelow', () => {
  it.each([
    ['example.com', 'example.com', true],
    ['www.example.com', 'example.com', true],
    ['a.b.example.com', 'example.com', true],
    ['example.com', 'com', true],
    ['badexample.com', 'example.com', false],
    ['www.badexample.com', 'example.com', false],
    ['example.com', 'www.example.com', false],
    ['example.com.evil', 'example.com', false],
    ['example.net', 'example.com', false],
  ])('%s at or below %s: %s', (name, other, expected) => {
    expect(isAtOrBelow(name, other)).toBe(expected);
  });
});

describe('restrictedBy', () => {
  const restricted = ['example.com', 'gov.example'];

  it('gives the restricted name the zone is, or lies below', () => {
    expect(restrictedBy('example.com', restricted)).toBe('example.com');
    expect(restrictedBy('shop.example.com', restricted)).toBe('example.com');
    expect(restrictedBy('x.y.gov.example', restricted)).toBe('gov.example');
  });

  it('lets everything else through, including look-alikes and parents', () => {
    expect(restrictedBy('badexample.com', restricted)).toBeUndefined();
    expect(restrictedBy('com', restricted)).toBeUndefined();
    expect(restrictedBy('example.net', restricted)).toBeUndefined();
    expect(restrictedBy('example.com', [])).toBeUndefined();
  });
});

describe('conflictingZone', () => {
  const bobs: ZoneClaim = { name: 'example.com', ownerId: BOB };

  it('refuses the same name owned by another account', () => {
    expect(conflictingZone('example.com', ALICE, [bobs], STRICT)).toEqual(bobs);
  });

  it('refuses a child of a zone another account owns', () => {
    expect(conflictingZone('shop.example.com', ALICE, [bobs], STRICT)).toEqual(bobs);
    expect(conflictingZone('a.b.example.com', ALICE, [bobs], STRICT)).toEqual(bobs);
  });

  it('refuses a parent of a zone another account owns', () => {
    const child: ZoneClaim = { name: 'shop.example.com', ownerId: BOB };
    expect(conflictingZone('example.com', ALICE, [child], STRICT)).toEqual(child);
    expect(conflictingZone('com', ALICE, [child], STRICT)).toEqual(child);
  });

  it('allows the account its own zones, their parents and children', () => {
    const own: ZoneClaim[] = [{ name: 'example.com', ownerId: ALICE }, { name: 'a.shop.example.com', ownerId: ALICE }];
    for (const name of ['example.com', 'shop.example.com', 'a.shop.example.com', 'b.a.shop.example.com', 'com']) {
      expect(conflictingZone(name, ALICE, own, STRICT)).toBeUndefined();
    }
  });

  it('is not fooled by a look-alike or a sibling', () => {
    expect(conflictingZone('badexample.com', ALICE, [bobs], STRICT)).toBeUndefined();
    expect(conflictingZone('example.net', ALICE, [bobs], STRICT)).toBeUndefined();
    expect(conflictingZone('shop.example.net', ALICE, [{ name: 'www.example.net', ownerId: BOB }], STRICT)).toBeUndefined();
    expect(conflictingZone('example.com', ALICE, [], STRICT)).toBeUndefined();
  });

  it('gives the first conflict of another account, passing over the own zones', () => {
    const related: ZoneClaim[] = [{ name: 'example.com', ownerId: ALICE }, { name: 'shop.example.com', ownerId: BOB }, bobs];
    expect(conflictingZone('x.shop.example.com', ALICE, related, STRICT)).toEqual({ name: 'shop.example.com', ownerId: BOB });
  });

  it('lets anyone add names at or below a shared domain', () => {
    const rules: OwnershipRules = { ...STRICT, sharedDomains: ['example.com'] };
    expect(conflictingZone('shop.example.com', ALICE, [bobs], rules)).toBeUndefined();
    expect(conflictingZone('example.com', ALICE, [bobs], rules)).toBeUndefined();
    // Only below the shared domain: a look-alike or another tree is still checked.
    expect(conflictingZone('badexample.com', ALICE, [{ name: 'badexample.com', ownerId: BOB }], rules)).toEqual({ name: 'badexample.com', ownerId: BOB });
    expect(conflictingZone('www.example.net', ALICE, [{ name: 'example.net', ownerId: BOB }], rules)).toEqual({ name: 'example.net', ownerId: BOB });
  });

  it('checks nothing under InsecureDomain', () => {
    const rules: OwnershipRules = { ...STRICT, insecure: true };
    expect(conflictingZone('example.com', ALICE, [bobs], rules)).toBeUndefined();
    expect(conflictingZone('shop.example.com', ALICE, [bobs], rules)).toBeUndefined();
    expect(conflictingZone('com', ALICE, [bobs], rules)).toBeUndefined();
  });
});
