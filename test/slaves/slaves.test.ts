// dnsmgr's own slave servers (issue 12), below the integration test: which master zones they get and from which
// address, what the master zones' clauses name of them, and slaveserver.edit's checks.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { parseSlaveServerEdit } from '../../src/panels/handlers';
import { encodePassword } from '../../src/panels/config';
import { openQueue, saveSlaveServer } from '../../src/store/panel-queue';
import { claimMasterClauses, masterZoneAddress, masterZoneAddresses, namespaceMasterIp } from '../../src/store/master-zones';
import { getZone, insertZone, markApplied, markForDelete } from '../../src/store/zones';
import { DNSMGR_SLAVES, sameSlaveAddresses, slaveAddresses, urlHost } from '../../src/slaves/addresses';
import { dnsmgrSlaves } from '../../src/slaves/panel';
import type { App } from '../../src/app';
import { notifySources } from '../../src/sync/place';
import { seed, useTempDbs } from '../store/temp-db';
import { zn } from '../helpers/brands';

const dbs = useTempDbs();
const PLACE = { view: '_dnsmgr', acl: 'on 192.0.2.1; xfer none' };

describe('the master zones the slave servers get', () => {
  it('are those named has and no request is deleting, each from its namespace\'s first address; slave zones never', async () => {
    const db = dbs.open();
    const f = seed(db);
    const applied = (name: string, ns: number, owner: number, dtype: 'master' | 'slave'): number => {
      const id = insertZone(db, { name: zn(name), namespaceId: ns, ownerId: owner, dtype, masters: dtype === 'slave' ? ['198.51.100.5' as never] : [], claim: 'c' });
      markApplied(db, id, getZone(db, id)?.masters ?? [], PLACE, true, 'c');
      return id;
    };
    applied('a.example', f.nsAlice, f.alice, 'master');
    applied('b.example', f.nsBob, f.bob, 'master');
    applied('s.example', f.nsAlice, f.alice, 'slave');
    const going = applied('gone.example', f.nsAlice, f.alice, 'master');
    markForDelete(db, going, 'd');
    // Not yet in named (its request under way).
    insertZone(db, { name: zn('new.example'), namespaceId: f.nsAlice, ownerId: f.alice, dtype: 'master', masters: [], claim: 'n' });
    // bob's namespace answers on 192.0.2.2 and 2001:db8::2: the first in the pool's order.
    expect(masterZoneAddresses(db)).toEqual(new Map([['a.example', '192.0.2.1'], ['b.example', '192.0.2.2']]));
    expect(namespaceMasterIp(db, f.nsBob)).toBe('192.0.2.2');
    // One name, as the list has it: none for a zone being deleted, not yet in named, or a slave zone.
    for (const [name, ip] of masterZoneAddresses(db)) expect(masterZoneAddress(db, name)).toBe(ip);
    for (const name of ['gone.example', 'new.example', 's.example', 'none.example']) expect(masterZoneAddress(db, name), name).toBeUndefined();
    // The adapter the room drives reads the same, and pushes whenever there is a slave server.
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-slaves-'));
    const adapter = dnsmgrSlaves({ db, root } as unknown as App);
    expect(await adapter.dnsDomains(adapter.config?.(root) as never)).toEqual(new Set(['a.example', 'b.example']));
    expect(adapter.config?.(root)).toMatchObject({ enabled: true, url: '', masterIp: '', retryBase: 5 });
  });

  it('have their clauses claimed again when the slave servers change: only those no request is changing', () => {
    const db = dbs.open();
    const f = seed(db);
    const a = insertZone(db, { name: zn('a.example'), namespaceId: f.nsAlice, ownerId: f.alice, dtype: 'master', masters: [], claim: 'c' });
    markApplied(db, a, [], PLACE, true, 'c');
    const busy = insertZone(db, { name: zn('busy.example'), namespaceId: f.nsAlice, ownerId: f.alice, dtype: 'master', masters: [], claim: 'other' });
    const s = insertZone(db, { name: zn('s.example'), namespaceId: f.nsAlice, ownerId: f.alice, masters: ['198.51.100.5' as never], claim: 'c' });
    markApplied(db, s, getZone(db, s)?.masters ?? [], PLACE, true, 'c');
    expect(claimMasterClauses(db, 'mine')).toEqual([a]);
    expect(getZone(db, a)).toMatchObject({ pending: 'apply', claim: 'mine', appliedAcl: null });
    expect(getZone(db, busy)?.claim).toBe('other');
    expect(getZone(db, s)?.pending).toBeNull();
  });
});

describe('what a master zone\'s clause names of the slave servers', () => {
  it('none without a queue file; then each URL\'s host that is an address, and the addresses each answers on', () => {
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-slaves-'));
    expect(slaveAddresses(root)).toEqual({ transfer: [], notify: [] });
    const q = openQueue(root, DNSMGR_SLAVES);
    saveSlaveServer(q, { url: 'http://198.51.100.1:1500/dnsmgr', username: 'sec', password: encodePassword('x'), nsAddr: '203.0.113.53' });
    saveSlaveServer(q, { url: 'https://[2001:db8::53]/dnsmgr', username: 'sec', password: encodePassword('x'), nsAddr: '' });
    // A name is not resolved into the clause: its nsaddr alone.
    saveSlaveServer(q, { url: 'https://ns3.example.net:1500/dnsmgr', username: 'sec', password: encodePassword('x'), nsAddr: '203.0.113.54, 2001:db8::54' });
    q.close();
    const got = slaveAddresses(root);
    expect(got).toEqual({
      transfer: ['198.51.100.1', '2001:db8::53', '2001:db8::54', '203.0.113.53', '203.0.113.54'],
      notify: ['2001:db8::54', '203.0.113.53', '203.0.113.54'],
    });
    expect(sameSlaveAddresses(got, slaveAddresses(root))).toBe(true);
    expect(sameSlaveAddresses(got, { ...got, notify: [] })).toBe(false);
  });

  it('reads a URL\'s host without IPv6 brackets, and nothing of what is no URL', () => {
    expect(urlHost('http://[2001:db8::1]:1500/dnsmgr')).toBe('2001:db8::1');
    expect(urlHost('https://ns2.example.net/dnsmgr')).toBe('ns2.example.net');
    expect(urlHost('not a url')).toBe('');
  });

  it('sends NOTIFY from the namespace\'s first address of each family', () => {
    expect(notifySources(['2001:db8::2', '192.0.2.2', '192.0.2.3'])).toEqual(['192.0.2.2', '2001:db8::2']);
    expect(notifySources(['192.0.2.2'])).toEqual(['192.0.2.2']);
    expect(notifySources([])).toEqual([]);
  });
});

describe('slaveserver.edit', () => {
  it('reports every bad field at once, never the password', () => {
    try {
      parseSlaveServerEdit({ url: 'ftp://u:p@host/', username: '../x', password: 'x\ny' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const problems = (err as ValidationError).problems;
      expect(problems.map((p) => p.param)).toEqual(['url', 'username', 'password']);
      expect(JSON.stringify(problems)).not.toContain('x\\ny');
    }
  });

  it('asks a new one for its password, keeps an edited one\'s, and refuses the settings form\'s id', () => {
    expect(() => parseSlaveServerEdit({ url: 'http://198.51.100.1:1500/dnsmgr', username: 'sec' })).toThrow(ValidationError);
    expect(parseSlaveServerEdit({ elid: '3', url: 'http://198.51.100.1:1500/dnsmgr', username: 'sec', sync: 'on' }))
      .toEqual({ elid: 3, url: 'http://198.51.100.1:1500/dnsmgr', username: 'sec', sync: true });
    expect(() => parseSlaveServerEdit({ elid: '0', url: 'http://198.51.100.1:1500/dnsmgr', username: 'sec', password: 'x' })).toThrow(ValidationError);
  });
});
