// What each ISPmanager event means for the slave: ISPmanager 5's DNS and WWW domain functions, and ISPmanager 6's sites.
import { describe, expect, it } from 'vitest';
import { ISPMANAGER } from '../../src/ispmgr/adapter';

const changes = (func: string, params: Record<string, string>) => ISPMANAGER.changesFor(func, { func, ...params });

describe('ISPmanager events', () => {
  it('a DNS domain created (submitted, no elid) is created on the slave; opening the form or editing one is nothing', () => {
    expect(changes('domain.edit', { name: 'Shop.Example.', sok: 'ok' })).toEqual([{ zone: 'shop.example', action: 'create' }]);
    expect(changes('domain.edit', { name: 'shop.example' })).toEqual([]);
    expect(changes('domain.edit', { name: 'shop.example', elid: 'shop.example', sok: 'ok' })).toEqual([]);
  });

  it('DNS domains deleted, several at once, are deleted on the slave; names that are no zone are skipped', () => {
    expect(changes('domain.delete', { elid: 'a.example, b.example, -bad-, ' })).toEqual([
      { zone: 'a.example', action: 'delete' }, { zone: 'b.example', action: 'delete' },
    ]);
  });

  it('WWW domains and sites, created or deleted, are verified against the panel\'s DNS domains', () => {
    const verify = (zone: string) => ({ zone, action: 'verify' });
    expect(changes('webdomain.edit', { name: 'site.example', sok: 'ok' })).toEqual([verify('site.example')]);
    expect(changes('webdomain.delete', { elid: 'site.example' })).toEqual([verify('site.example')]);
    expect(changes('webdomain.delete.confirm', { elid: 'a.example, b.example', sok: 'ok' })).toEqual([verify('a.example'), verify('b.example')]);
    expect(changes('webdomain.delete.confirm', { elid: 'a.example' })).toEqual([]);
    expect(changes('site.edit', { site_name: 'six.example', sok: 'ok' })).toEqual([verify('six.example')]);
    expect(changes('site.edit', { site_name: 'six.example', elid: 'six.example', sok: 'ok' })).toEqual([]);
    expect(changes('site.delete', { elid: 'six.example' })).toEqual([verify('six.example')]);
  });

  it('every event it declares means something, and nothing else does', () => {
    const creating = { name: 'x.example', site_name: 'x.example', sok: 'ok' };
    for (const e of ISPMANAGER.events) {
      expect([...changes(e, creating), ...changes(e, { ...creating, elid: 'x.example' })].length, e).toBeGreaterThan(0);
    }
    expect(changes('user.edit', { name: 'x.example', sok: 'ok' })).toEqual([]);
  });
});
