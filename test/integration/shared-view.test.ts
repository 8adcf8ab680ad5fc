// One shared view for every namespace (issue 9, goals 4 and 5): zones isolated by their own allow-query-on, namespaces
// made, changed and removed without a reconfig, and an installation of the earlier view-per-namespace layout moved over.
import Database from 'better-sqlite3';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { expectCliOk } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';
import { parseNzf } from '../../src/dns/bind/nzd';

const ALICE_IP = '192.0.2.10';
const BOB_IP = '192.0.2.20';
const CAROL_IP = '192.0.2.30';
const ZONES = [{ name: 'old.example', serial: 5 }, { name: 'bob.example', serial: 6 }, { name: 'carol.example', serial: 7 }];

let net: TestNet;
let dm: Instance;
let world: World;

const answer = async (ip: string, zone: string): Promise<string> => {
  const a = await dig(net.master, ip, zone, 'SOA');
  return a.status === 'NOERROR' && !a.aa ? 'NOERROR without authority' : a.status;
};

function reconfigs(): number {
  return readFileSync(dm.namedLog, 'utf8').split("received control channel command 'reconfig'").length - 1;
}

function addzonesOf(zone: string): number {
  return readFileSync(dm.namedLog, 'utf8').split(`received control channel command 'addzone ${zone} `).length - 1;
}

const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);

beforeAll(async () => {
  world = await startWorld('shview', ZONES, 'NetworkInterface veth-s\n');
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  await dm.addUser('bob', 'bob-pw', BOB_IP);
  await ok(['domain.edit', 'name=old.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=alice']);
  await ok(['domain.edit', 'name=bob.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=bob']);
  await waitFor(async () => (await answer(BOB_IP, 'bob.example')) === 'NOERROR', { timeoutMs: 10_000, what: 'bob.example served' });
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('namespaces without a reconfig', () => {
  it('an account with a namespace of its own is added, serves its zone on its address only, and is deleted, named never reconfigured', async () => {
    await ok(['ipaddr.edit', `name=${CAROL_IP}`, 'sok=ok']);
    // named listens on the whole pool (the address above was one reconfig); from here on nothing reconfigures it.
    let seen = '';
    for (let i = 0; i < 40 && seen !== 'REFUSED'; i++) seen = await answer(CAROL_IP, 'bob.example');
    expect(seen, 'named listening on the new address').toBe('REFUSED');
    const before = reconfigs();
    await ok(['user.edit', 'name=carol', 'passwd=carol-pw', `ip=${CAROL_IP}`, 'sok=ok']);
    await ok(['domain.edit', 'name=carol.example', `masterip=${net.masterIp}`, 'sok=ok', 'su=carol']);
    await waitFor(async () => (await answer(CAROL_IP, 'carol.example')) === 'NOERROR', { timeoutMs: 10_000, what: 'carol.example served' });
    for (const [ip, zone] of [[ALICE_IP, 'carol.example'], [BOB_IP, 'carol.example'], [CAROL_IP, 'bob.example'], [CAROL_IP, 'old.example']]) {
      expect(await answer(ip as string, zone as string), `${zone} at ${ip}`).toBe('REFUSED');
    }
    await ok(['namespace.edit', 'elid=carol', 'allow_transfer=any', 'sok=ok']);
    await ok(['user.delete', 'elid=carol']);
    expect(await answer(CAROL_IP, 'carol.example')).toBe('REFUSED');
    expect((await dm.rndc(['showzone', 'carol.example', 'IN', '_dnsmgr'])).exitCode).not.toBe(0);
    await new Promise((r) => setTimeout(r, 500)); // named's log is written through a buffer
    expect(reconfigs()).toBe(before);
  });
});

describe('an installation of the view-per-namespace layout', () => {
  it.each([
    ['a command per zone', '', 1, '203.0.113.9'],
    ['in bulk: its file, and a write into the new-zones database (NamedBulkLoad 1)', 'NamedBulkLoad 1\n', 0, 'any'],
  ])('is moved into the shared view by the next namespace change, %s: each zone isolated by its clause, the old view forgotten', async (_, conf, addzones, transfer) => {
    const confFile = join(dm.root, 'etc', 'dnsmgr.conf');
    const confBefore = readFileSync(confFile, 'utf8');
    writeFileSync(confFile, `${confBefore}${conf}`);
    // The layout dnsmgr had before: alice's zone in a view of her own, and the database saying named has it there
    // (what migration 6 records for such a zone).
    const viewsFile = join(dm.root, 'etc', 'named', 'dnsmgr-views.conf');
    const nzdDir = join(dm.root, 'var', 'named', 'nzd');
    const oldFile = join(dm.root, 'var', 'named', 'slave', 'alice', 'old.example.db');
    expect((await dm.rndc(['delzone', '-clean', 'old.example', 'IN', '_dnsmgr'])).exitCode).toBe(0);
    const shared = readFileSync(viewsFile, 'utf8');
    writeFileSync(viewsFile, shared.replace('\nview "_dnsmgr" {', `\nview "alice" {\n\tmatch-clients { any; };\n\tmatch-destinations { ${ALICE_IP}; };
\tallow-query { any; };\n\tallow-transfer { none; };\n\trecursion no;\n\tallow-new-zones yes;\n\tnew-zones-directory "${nzdDir}";\n};\n\nview "_dnsmgr" {`));
    expect((await dm.rndc(['reconfig'])).exitCode).toBe(0);
    mkdirSync(dirname(oldFile), { recursive: true });
    expect((await dm.rndc(['addzone', 'old.example', 'IN', 'alice', `{ type slave; masters { ${net.masterIp}; }; file "${oldFile}"; };`])).exitCode).toBe(0);
    const db = new Database(join(dm.root, 'var', 'dnsmgr.db'));
    try {
      db.prepare("UPDATE zone SET applied_view = 'alice', applied_acl = NULL WHERE name = 'old.example'").run();
      // Migration 9 records every namespace's view as one named had.
      db.prepare(`UPDATE meta SET value = '["_dnsmgr","alice","bob"]' WHERE key = 'named_views'`).run();
    } finally {
      db.close();
    }
    await waitFor(async () => (await answer(ALICE_IP, 'old.example')) === 'NOERROR', { timeoutMs: 10_000, what: 'old.example served from the old view' });
    // named writes a transferred zone's file a moment after it answers from it.
    await waitFor(async () => existsSync(oldFile), { timeoutMs: 10_000, what: 'old.example\'s file written' });
    expect(existsSync(join(nzdDir, 'alice.nzd'))).toBe(true);

    const added = addzonesOf('old.example');
    await ok(['namespace.edit', 'elid=bob', `allow_transfer=${transfer}`, 'sok=ok']);
    writeFileSync(confFile, confBefore);
    expect(addzonesOf('old.example') - added).toBe(addzones);

    expect(readFileSync(viewsFile, 'utf8')).toBe(shared);
    expect(existsSync(join(nzdDir, 'alice.nzd')), 'the old view\'s new-zones database is forgotten').toBe(false);
    // The zone file went along, so the zone answered again at once, without a new transfer.
    expect(existsSync(join(dm.root, 'var', 'named', 'slave', '_dnsmgr', 'old.example.db'))).toBe(true);
    expect(existsSync(oldFile)).toBe(false);
    const clause = parseNzf(String((await dm.rndc(['showzone', 'old.example', 'IN', '_dnsmgr'])).stdout))[0];
    expect(clause).toMatchObject({ name: 'old.example', masters: [net.masterIp], queryOn: [ALICE_IP], allowTransfer: [] });
    await waitFor(async () => (await answer(ALICE_IP, 'old.example')) === 'NOERROR', { timeoutMs: 10_000, what: 'old.example served from the shared view' });
    expect(await answer(BOB_IP, 'old.example')).toBe('REFUSED');
    expect(await answer(ALICE_IP, 'bob.example')).toBe('REFUSED');
    const row = new Database(join(dm.root, 'var', 'dnsmgr.db'), { readonly: true });
    try {
      expect(row.prepare("SELECT applied_view, pending FROM zone WHERE name = 'old.example'").get()).toEqual({ applied_view: '_dnsmgr', pending: null });
    } finally {
      row.close();
    }
    expect((await dm.cli(['domain.sync'])).stdout, 'named and the database agree').toBe('');
  });
});

describe('a namespace change a request committed and did not carry out', () => {
  it('is carried out by the next request: the zones get the namespace\'s new allow-transfer', async () => {
    // As a namespace.edit killed right after its transaction leaves it: the list changed, the place version moved on.
    const db = new Database(join(dm.root, 'var', 'dnsmgr.db'));
    try {
      db.prepare("UPDATE namespace SET allow_transfer = '198.51.100.0/24', place_version = place_version + 1 WHERE name = 'bob'").run();
    } finally {
      db.close();
    }
    const held = async (): Promise<string[] | undefined> => parseNzf(String((await dm.rndc(['showzone', 'bob.example', 'IN', '_dnsmgr'])).stdout))[0]?.allowTransfer;
    expect(await held()).toEqual(['any']);
    await ok(['domain.delete', 'elid=nothing-here.example', 'su=alice']);
    expect(await held()).toEqual(['198.51.100.0/24']);
  });
});
