// The authorization matrix: every function, at every level, against the objects of every kind of account, through the
// COREmanager handler door (AUTH_USER/AUTH_LEVEL), and su= through the command line and the handler. A user never
// sees or touches anything of another user's, a reseller nothing outside its accounts; the admin and root everything.
//
//   admin ─┬─ reseller r1 ─┬─ u1a      every account has a namespace of its own on its own address, one slave zone,
//          │               └─ u1b      <login>.shop.example, which the master named serves, and one master zone,
//          │                           <login>.mz.example, whose records dnsmgr keeps
//          ├─ reseller r2 ─── u2a
//          └─ u0
//
// Refused requests run first, all at once, and must leave everything as it was; allowed ones follow. Allowed requests
// that create, delete or suspend run last, each on throwaway objects that stand in the same relation to the caller.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { startWorld } from '../helpers/world';
import type { World as TestWorld } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExpectStatic } from 'vitest';
import type { TestNet } from '../helpers/netns';
import { dig, waitFor } from '../helpers/named';
import { parseTextRows } from '../helpers/dnsmgr';
import type { Instance, Result } from '../helpers/dnsmgr';

type Caller = 'u1a' | 'r1' | 'admin' | 'root';
type Login = 'u1a' | 'u1b' | 'r1' | 'u2a' | 'r2' | 'u0';
interface Auth { user: string; level: number }

const CALLERS: readonly Caller[] = ['u1a', 'r1', 'admin', 'root'];
/** The grids' columns: whose object a request is about. */
const TARGETS: readonly Login[] = ['u1a', 'u1b', 'r1', 'u2a', 'r2', 'u0'];
const RESELLER_OF: Record<Login, 'r1' | 'r2' | undefined> = { u1a: 'r1', u1b: 'r1', r1: undefined, u2a: 'r2', r2: undefined, u0: undefined };
/** What the panel passes in AUTH_USER and AUTH_LEVEL; the level-29 admin has no account of its own. */
const AUTH: Record<Caller | Login, Auth> = {
  u1a: { user: 'u1a', level: 16 }, u1b: { user: 'u1b', level: 16 }, u2a: { user: 'u2a', level: 16 }, u0: { user: 'u0', level: 16 },
  r1: { user: 'r1', level: 24 }, r2: { user: 'r2', level: 24 }, admin: { user: 'admin', level: 29 }, root: { user: 'root', level: 30 },
};
/** Whose objects each account may know of; nothing of anyone else may show in its answers. */
const SCOPE: Record<Caller | Login, readonly Login[]> = {
    u1a:   ['u1a'], u1b: ['u1b'], u2a: ['u2a'], u0: ['u0'], r1: ['r1', 'u1a', 'u1b'], r2: ['r2', 'u2a'], admin: TARGETS, root: TARGETS,
};

const POOL = Array.from({ length: 16 }, (_, i) => `192.0.2.${i + 1}`);
const NEW_ADDR = { admin: '192.0.2.201', root: '192.0.2.202' } as const;
const SLAVE_SERVER: Record<Caller, string> = { u1a: '203.0.113.210', r1: '203.0.113.211', admin: '203.0.113.212', root: '203.0.113.213' };
const MASTER = '198.51.100.1';
const NEW_MASTERS = '2001:db8:100::1, 198.51.100.1';
const RESTRICTED = 'closed.example';
const zoneOf = (login: string): string => `${login}.shop.example`;
const masterOf = (login: string): string => `${login}.mz.example`;

/**
 * What a request can name of an account: its login (also its namespace's name), its zone, its master zone, its
 * namespace's address.
 */
interface Subject { login: string; zone: string; master: string; ip: string }

type Outcome = 'ok' | 'later' | 'access' | 'missed' | 'ignored' | 'exists';
const O = 'ok'; //       allowed, and it only reads or edits: it runs in the matrix
const L = 'later'; //    allowed, and it creates, deletes or suspends: proven further down on throwaway objects
const A = 'access'; //   refused with an `access` error
const M = 'missed'; //   hidden: a `missed` error, as for an object that does not exist
const I = 'ignored'; //  hidden: <ok/> and nothing happens, as for a name that does not exist
const X = 'exists'; //   past the access check, refused because the object is in use
const all = (o: Outcome): Outcome[] => TARGETS.map(() => o);

interface Row {
  func: string;
  what: string;
  /** One request per target column, or `single`: one per caller. */
  params: (o: Subject, c: Caller) => Record<string, string>;
  single?: true;
  /**
   * Per caller: an outcome per TARGETS column, or one for every account, shown by one request about u1a's object: a
   * refusal by level, or root, which differs from the admin only about the root account itself (see EXTRAS).
   */
  grid: Record<Caller, Outcome | readonly Outcome[]>;
}

const admins = (c: Caller): boolean => c === 'admin' || c === 'root';
const ok = { sok: 'ok' };

const ROWS: readonly Row[] = [
  { func: 'domain', what: 'list', single: true, params: () => ({}), grid: { u1a: O, r1: O, admin: O, root: O } },
  { func: 'domain.sync', what: 'plan', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'domain.sync.apply', what: 'apply', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: L, root: L } },
  // A line naming a zone that is already its owner's: the import answers with its summary and changes nothing.
  { func: 'domain.import', what: 'a zone already there', single: true, params: () => ({ zones: `${zoneOf('u1a')} ${MASTER} u1a` }), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'domain.edit', what: 'form', params: (o) => ({ elid: o.zone }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'domain.edit', what: 'change masters', params: (o) => ({ elid: o.zone, masterip: NEW_MASTERS, ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'domain.edit', what: 'add a zone it owns', params: (o, c) => ({ name: `${c}-for-${o.login}.example`, masterip: MASTER, owner: o.login, ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [L,  M,  M,  M,  M,  M],
    r1:    [L,  L,  L,  M,  M,  M],
    admin: all(L),
    root:  L } },
  { func: 'domain.delete', what: 'its zone', params: (o) => ({ elid: o.zone }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [L,  I,  I,  I,  I,  I],
    r1:    [L,  L,  L,  I,  I,  I],
    admin: all(L),
    root:  L } },
  { func: 'domain.record', what: 'its master zone\'s records', params: (o) => ({ plid: o.master }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'domain.record.edit', what: 'a TXT record added', params: (o, c) => ({ plid: o.master, name: '_acme-challenge', rtype: 'txt', value: `by-${c}`, ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'domain.record.delete', what: 'a TXT record', params: (o, c) => ({ plid: o.master, elid: `_acme-challenge.${o.master}. TXT  by-${c}`, ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'domain.problem', what: 'list', single: true, params: () => ({}), grid: { u1a: O, r1: O, admin: O, root: O } },
  ...['domain.retransfer', 'domain.refresh', 'domain.resume'].map((func): Row => ({ func, what: 'its zone', params: (o) => ({ elid: o.zone }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  I,  I,  I,  I,  I],
    r1:    [O,  O,  O,  I,  I,  I],
    admin: all(O),
    root:  O } })),
  { func: 'domain.check', what: 'its zone', params: (o) => ({ elid: o.zone }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'domain.health.update', what: 'refresh', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },

  { func: 'user', what: 'list', single: true, params: () => ({}), grid: { u1a: A, r1: O, admin: O, root: O } },
  { func: 'user.edit', what: 'add', single: true, params: (_, c) => ({ name: `new-${c}`, passwd: 'new-secret', ...ok }), grid: { u1a: A, r1: L, admin: L, root: L } },
  { func: 'user.edit', what: 'form', params: (o) => ({ elid: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    [O,  O,  M,  M,  M,  M],
    admin: [O,  O,  M,  O,  M,  O],
    root:  [O,  O,  M,  O,  M,  O] } },
  { func: 'user.edit', what: 'password and limit', params: (o) => ({ elid: o.login, passwd: 'changed-secret', domain_limit: '50', ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    [O,  O,  M,  M,  M,  M],
    admin: [O,  O,  M,  O,  M,  O],
    root:  [O,  O,  M,  O,  M,  O] } },
  ...['user.delete', 'user.suspend', 'user.resume'].map((func): Row => ({ func, what: 'the account', params: (o) => ({ elid: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    [L,  L,  M,  M,  M,  M],
    admin: [L,  L,  M,  L,  M,  L],
    root:  [L,  L,  M,  L,  M,  L] } })),

  { func: 'reseller', what: 'list', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'reseller.edit', what: 'add', single: true, params: (_, c) => ({ name: `newr-${c}`, passwd: 'new-secret', ...ok }), grid: { u1a: A, r1: A, admin: L, root: L } },
  { func: 'reseller.edit', what: 'form', params: (o) => ({ elid: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    A,
    admin: [M,  M,  O,  M,  O,  M],
    root:  [M,  M,  O,  M,  O,  M] } },
  { func: 'reseller.edit', what: 'password and limits', params: (o) => ({ elid: o.login, passwd: 'changed-secret', domain_limit: '50', user_limit: '50', ip_limit: '50', ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    A,
    admin: [M,  M,  O,  M,  O,  M],
    root:  [M,  M,  O,  M,  O,  M] } },
  ...['reseller.delete', 'reseller.suspend', 'reseller.resume'].map((func): Row => ({ func, what: 'the account', params: (o) => ({ elid: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    A,
    admin: [M,  M,  L,  M,  L,  M],
    root:  [M,  M,  L,  M,  L,  M] } })),

  { func: 'namespace', what: 'list', single: true, params: () => ({}), grid: { u1a: O, r1: O, admin: O, root: O } },
  { func: 'namespace.edit', what: 'form', params: (o) => ({ elid: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'namespace.edit', what: 'allow transfer', params: (o) => ({ elid: o.login, allow_transfer: '203.0.113.53', ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  M,  M,  M,  M,  M],
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  { func: 'namespace.delete', what: 'its namespace', params: (o) => ({ elid: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [X,  I,  I,  I,  I,  I],
    r1:    [X,  X,  X,  I,  I,  I],
    admin: all(X),
    root:  X } },

  // The settings are those of the namespace the request acts in: the caller's own, or the account's named by su=.
  { func: 'dnsparam', what: 'form, as the account', params: (o) => ({ su: o.login }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  A,  A,  A,  A,  A],
    r1:    [O,  O,  O,  A,  A,  A],
    admin: all(O),
    root:  O } },
  { func: 'dnsparam', what: 'change, as the account', params: (o) => ({ su: o.login, ttl: '1200', ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   [O,  A,  A,  A,  A,  A],
    r1:    [O,  O,  O,  A,  A,  A],
    admin: all(O),
    root:  O } },

  { func: 'ipaddr', what: 'list', single: true, params: () => ({}), grid: { u1a: A, r1: O, admin: O, root: O } },
  { func: 'ipaddr.edit', what: 'add', single: true, params: (_, c) => ({ name: admins(c) ? NEW_ADDR[c as 'admin' | 'root'] : 'auto', ...ok }), grid: { u1a: A, r1: L, admin: L, root: L } },
  { func: 'ipaddr.edit', what: 'form', params: (o) => ({ elid: o.ip }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    [O,  O,  O,  M,  M,  M],
    admin: all(O),
    root:  O } },
  // For the admin an address in a reseller's pool is assigned to the reseller: giving it to the user is a change.
  { func: 'ipaddr.edit', what: 'assigned to its account', params: (o) => ({ elid: o.ip, status: 'assigned', assignee: o.login, ...ok }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    [O,  O,  O,  M,  M,  M],
    admin: [X,  X,  O,  X,  O,  O],
    root:  [X,  X,  O,  X,  O,  O] } },
  { func: 'ipaddr.delete', what: 'its address', params: (o) => ({ elid: o.ip }), grid: {
    //      u1a u1b r1  u2a r2  u0
    u1a:   A,
    r1:    [X,  X,  X,  M,  M,  M],
    admin: all(X),
    root:  X } },

  { func: 'restricted', what: 'list', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'restricted.edit', what: 'add', single: true, params: (_, c) => ({ name: `${c}-restricts.example`, ...ok }), grid: { u1a: A, r1: A, admin: L, root: L } },
  { func: 'restricted.delete', what: 'a name', single: true, params: () => ({ elid: RESTRICTED }), grid: { u1a: A, r1: A, admin: L, root: L } },
  { func: 'settings', what: 'form', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'settings', what: 'change', single: true, params: () => ({ LogLevel: '7', ...ok }), grid: { u1a: A, r1: A, admin: L, root: L } },
  { func: 'bindip', what: 'bind', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'slaveserver', what: 'list', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  { func: 'slaveserver.edit', what: 'form', single: true, params: () => ({}), grid: { u1a: A, r1: A, admin: O, root: O } },
  // An address no route reaches: the slave server is saved (it gets everything once it answers) without waiting.
  { func: 'slaveserver.edit', what: 'add', single: true, params: (_, c) => ({ url: `http://${SLAVE_SERVER[c]}:1500/dnsmgr`, username: 'sec', password: 'sec-secret', ...ok }), grid: { u1a: A, r1: A, admin: L, root: L } },
  { func: 'slaveserver.delete', what: 'one', single: true, params: () => ({ elid: '1' }), grid: { u1a: A, r1: A, admin: L, root: L } },
];

interface Cell { row: Row; caller: Caller; target?: Login; outcome: Outcome }

function cellsOf(row: Row): Cell[] {
  return CALLERS.flatMap((caller) => {
    const g = row.grid[caller];
    if (row.single || typeof g === 'string') return [{ row, caller, target: row.single ? undefined : TARGETS[0], outcome: g as Outcome }];
    return TARGETS.map((target, i) => ({ row, caller, target, outcome: g[i] as Outcome }));
  });
}

const CELLS = ROWS.flatMap(cellsOf);
const cellAt = (func: string, what: string, caller: Caller, target?: Login): Outcome | undefined =>
  CELLS.find((c) => c.row.func === func && c.row.what === what && c.caller === caller && c.target === target)?.outcome;
const titleOf = (c: Cell): string => {
  const g = c.row.grid[c.caller];
  const whose = c.row.single ? '' : typeof g === 'string' ? ' (any account)' : ` of ${c.target}`;
  return `${c.caller}: ${c.row.func} ${c.row.what}${whose} → ${c.outcome}`;
};

let net: TestNet;
let dm: Instance;
let setup: TestWorld;
const world = {} as Record<Login, Subject>;
/** Free addresses no namespace uses: in r1's pool, r2's, and the admin's. */
const spare = { r1: '', r2: '', admin: '' };
let before: State;

interface Reply { error?: string; ok: boolean; rows: Record<string, string>[]; fields: Record<string, string>; xml: string }

const xml = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '@_', parseTagValue: false, isArray: (name) => name === 'elem' });

function parseReply(r: Result): Reply {
  const doc = (xml.parse(r.stdout) as { doc?: unknown }).doc;
  if (doc === undefined) throw new Error(`not a COREmanager document (exit ${r.exitCode}): ${r.stdout}${r.stderr}`);
  const d = (typeof doc === 'object' && doc !== null ? doc : {}) as Record<string, unknown>;
  const text = (v: unknown): string => (typeof v === 'string' ? v : '');
  const error = d.error as Record<string, string> | undefined;
  const rows = ((d.elem ?? []) as Record<string, unknown>[]).map((e) => Object.fromEntries(Object.entries(e).map(([k, v]) => [k, text(v)])));
  const fields = Object.fromEntries(Object.entries(d).filter(([k]) => !['elem', 'error', 'ok', 'slist'].includes(k)).map(([k, v]) => [k, text(v)]));
  return { error: error?.['@_type'], ok: 'ok' in d, rows, fields, xml: r.stdout };
}

async function ask(auth: Auth, func: string, params: Record<string, string>, su?: string): Promise<Reply> {
  return parseReply(await dm.handler({ func, ...params, ...(su === undefined ? {} : { su }) }, auth));
}

/** As root on the command line; the world is built this way, so anything else than OK is a broken set-up. */
async function asRoot(args: string[]): Promise<void> {
  const r = await dm.cli(args);
  if (r.stdout !== 'OK\n') throw new Error(`${args.join(' ')}: ${r.stdout}${r.stderr}`);
}

async function rootList(func: string): Promise<Record<string, string>[]> {
  return parseTextRows((await dm.cli([func])).stdout);
}

const names = (rows: Record<string, string>[]): string[] => rows.map((r) => r.name ?? '').sort();

function expectOutcome(e: ExpectStatic, reply: Reply, outcome: Outcome): void {
  if (outcome === 'ok') e(reply.error, reply.xml).toBeUndefined();
  else if (outcome === 'ignored') e(reply.ok, reply.xml).toBe(true);
  else e(reply.error, reply.xml).toBe(outcome);
}

/** Nothing of an account outside the caller's scope shows in the answer, unless the request itself named it. */
function expectNoLeak(e: ExpectStatic, who: Caller | Login, params: Record<string, string>, reply: Reply): void {
  const asked = Object.values(params).join(' ');
  const spareOf = (l: Login): string[] => (l === 'r1' || l === 'r2' ? [spare[l]] : []);
  const secrets = TARGETS.filter((l) => !SCOPE[who].includes(l)).flatMap((l) => [l, world[l].zone, world[l].master, world[l].ip, ...spareOf(l)]);
  for (const s of secrets.filter((s) => !asked.includes(s))) {
    e(reply.xml, `${who} learns of ${s}`).not.toMatch(new RegExp(`(?<![\\w.:-])${s.replace(/\./g, '\\.')}(?![\\w:-]|\\.\\w)`));
  }
}

interface State { lists: Record<string, string>; files: Record<string, string> }

/**
 * Everything a request could change: the lists as root sees them (every master zone's records too), the views, the
 * passwd file and dnsmgr.conf.
 */
async function state(): Promise<State> {
  const funcs = ['domain', 'user', 'reseller', 'namespace', 'ipaddr', 'restricted', ...TARGETS.map((l) => `domain.record plid=${masterOf(l)}`)];
  const outs = await Promise.all(funcs.map(async (f) => (await dm.cli(f.split(' '))).stdout));
  const file = (...p: string[]): string => readFileSync(join(dm.root, 'etc', ...p), 'utf8');
  return {
    lists: Object.fromEntries(funcs.map((f, i) => [f, outs[i] ?? ''])),
    files: { views: file('named', 'dnsmgr-views.conf'), passwd: file('dnsmgr.passwd'), conf: file('dnsmgr.conf') },
  };
}

async function runCell(e: ExpectStatic, c: Cell): Promise<void> {
  const o = world[c.target ?? 'u1a'];
  const params = c.row.params(o, c.caller);
  const reply = await ask(AUTH[c.caller], c.row.func, params);
  expectOutcome(e, reply, c.outcome);
  expectNoLeak(e, c.caller, params, reply);
}

beforeAll(async () => {
  setup = await startWorld('authz', TARGETS.map((l, i) => ({ name: zoneOf(l), serial: 100 + i })));
  ({ net, dm } = setup);
  for (const ip of POOL) await asRoot(['ipaddr.edit', `name=${ip}`, 'sok=ok']);
  const reseller = async (r: 'r1' | 'r2', users: Login[]): Promise<void> => {
    await asRoot(['reseller.edit', `name=${r}`, `passwd=${r}-secret`, 'ip=auto', 'sok=ok']);
    for (let i = 0; i <= users.length; i++) await asRoot(['ipaddr.edit', 'name=auto', 'sok=ok', `su=${r}`]);
    for (const u of users) await asRoot(['user.edit', `name=${u}`, `passwd=${u}-secret`, 'sok=ok', `su=${r}`]);
  };
  await Promise.all([reseller('r1', ['u1a', 'u1b']), reseller('r2', ['u2a']), asRoot(['user.edit', 'name=u0', 'passwd=u0-secret', 'ip=auto', 'sok=ok'])]);
  await Promise.all(TARGETS.map((l) => asRoot(['domain.edit', `name=${zoneOf(l)}`, `masterip=${MASTER}`, 'sok=ok', `su=${l}`])));
  await Promise.all(TARGETS.map((l) => asRoot(['domain.edit', 'dtype=master', `name=${masterOf(l)}`, 'ns=ns1.example.net', 'sok=ok', `su=${l}`])));
  await asRoot(['restricted.edit', `name=${RESTRICTED}`, 'sok=ok']);

  const addrs = await rootList('ipaddr');
  for (const l of TARGETS) world[l] = { login: l, zone: zoneOf(l), master: masterOf(l), ip: addrs.find((a) => a.namespace === l)?.name ?? '' };
  spare.admin = addrs.find((a) => a.status === 'free')?.name ?? '';
  for (const r of ['r1', 'r2'] as const) spare[r] = (await ask(AUTH[r], 'ipaddr', {})).rows.find((a) => a.status === 'free')?.name ?? '';
  expect(Object.values(world).every((s) => s.ip !== '') && Object.values(spare).every((a) => a !== ''), JSON.stringify({ world, spare })).toBe(true);
  before = await state();
}, 120_000);

afterAll(async () => {
  await setup?.stop();
});

describe('the matrix', () => {
  it('has a row for every function dnsmgr answers', async () => {
    const funcs = (await dm.cli(['-i'])).stdout.split('\n').map((l) => l.split(/\s+/)[0] ?? '').filter(Boolean);
    expect([...new Set(ROWS.map((r) => r.func))].sort()).toEqual(funcs.sort());
  });
});

describe('lists: each caller sees exactly its own rows', () => {
  const zones = (...ls: Login[]): string[] => ls.flatMap((l) => [zoneOf(l), masterOf(l)]).sort();
  const LISTS: readonly [Caller | Login, string, () => string[]][] = [
    ['u1a', 'domain', () => zones('u1a')],
    ['u1b', 'domain', () => zones('u1b')],
    ['u2a', 'domain', () => zones('u2a')],
    ['u0', 'domain', () => zones('u0')],
    ['r1', 'domain', () => zones('r1', 'u1a', 'u1b')],
    ['r2', 'domain', () => zones('r2', 'u2a')],
    ['admin', 'domain', () => zones(...TARGETS)],
    ['root', 'domain', () => zones(...TARGETS)],
    ['r1', 'user', () => ['u1a', 'u1b']],
    ['r2', 'user', () => ['u2a']],
    ['admin', 'user', () => ['u0', 'u1a', 'u1b', 'u2a']],
    ['root', 'user', () => ['u0', 'u1a', 'u1b', 'u2a']],
    ['admin', 'reseller', () => ['r1', 'r2']],
    ['root', 'reseller', () => ['r1', 'r2']],
    ['u1a', 'namespace', () => ['u1a']],
    ['u0', 'namespace', () => ['u0']],
    ['r1', 'namespace', () => ['r1', 'u1a', 'u1b']],
    ['r2', 'namespace', () => ['r2', 'u2a']],
    ['admin', 'namespace', () => [...TARGETS].sort()],
    ['r1', 'ipaddr', () => [world.r1.ip, world.u1a.ip, world.u1b.ip, spare.r1].sort()],
    ['r2', 'ipaddr', () => [world.r2.ip, world.u2a.ip, spare.r2].sort()],
    ['admin', 'ipaddr', () => [...POOL].sort()],
    ['root', 'ipaddr', () => [...POOL].sort()],
  ];

  it.concurrent.for(LISTS)('%s: %s', async ([who, func, expected], { expect: e }) => {
    const reply = await ask(AUTH[who], func, {});
    e(reply.error, reply.xml).toBeUndefined();
    e(names(reply.rows)).toEqual(expected());
    expectNoLeak(e, who, {}, reply);
  });

  it('a reseller sees its addresses with its own accounts as their owners', async () => {
    const rows = (await ask(AUTH.r1, 'ipaddr', {})).rows.map((r) => [r.name, r.status, r.owner, r.namespace]);
    expect(rows.sort()).toEqual([
      [world.r1.ip, 'assigned', 'r1', 'r1'], [world.u1a.ip, 'assigned', 'u1a', 'u1a'], [world.u1b.ip, 'assigned', 'u1b', 'u1b'], [spare.r1, 'free', '', ''],
    ].sort());
  });
});

// Requests that must be refused or see nothing, including a few that do not fit the grid: other pools' addresses,
// other namespaces to join, an owner or assignee outside the caller's accounts, levels the panel overstates.
/** `level`: what the panel claims in AUTH_LEVEL, when not the account's own. */
interface Extra { who: Caller; level?: number; func: string; title: string; params: () => Record<string, string>; outcome: Outcome }

const EXTRAS: readonly Extra[] = [
  { who: 'r1', func: 'user.edit', title: 'add one on r2\'s free address', params: () => ({ name: 'x1', passwd: 'x-secret', ip: spare.r2, ...ok }), outcome: M },
  { who: 'r1', func: 'user.edit', title: 'add one on the admin\'s free address', params: () => ({ name: 'x2', passwd: 'x-secret', ip: spare.admin, ...ok }), outcome: M },
  { who: 'r1', func: 'user.edit', title: 'add one into u2a\'s namespace', params: () => ({ name: 'x3', passwd: 'x-secret', nstype: 'shared', namespace: 'u2a', ...ok }), outcome: A },
  { who: 'r1', func: 'user.edit', title: 'add one into u0\'s namespace', params: () => ({ name: 'x4', passwd: 'x-secret', nstype: 'shared', namespace: 'u0', ...ok }), outcome: A },
  { who: 'r1', func: 'ipaddr.edit', title: 'its free address assigned to u2a', params: () => ({ elid: spare.r1, status: 'assigned', assignee: 'u2a', ...ok }), outcome: M },
  { who: 'r1', func: 'ipaddr.edit', title: 'form of r2\'s free address', params: () => ({ elid: spare.r2 }), outcome: M },
  { who: 'r1', func: 'ipaddr.edit', title: 'r2\'s free address made shared', params: () => ({ elid: spare.r2, status: 'shared', ...ok }), outcome: M },
  { who: 'r1', func: 'ipaddr.delete', title: 'r2\'s free address', params: () => ({ elid: spare.r2 }), outcome: M },
  { who: 'r1', func: 'ipaddr.delete', title: 'the admin\'s free address', params: () => ({ elid: spare.admin }), outcome: M },
  { who: 'r1', func: 'user.delete', title: 'u1b together with u2a', params: () => ({ elid: 'u1b, u2a' }), outcome: M },
  { who: 'r1', func: 'ipaddr.delete', title: 'its free address together with r2\'s', params: () => ({ elid: `${spare.r1}, ${spare.r2}` }), outcome: M },
  { who: 'r1', func: 'domain.edit', title: 'u1a\'s zone handed to u2a', params: () => ({ elid: world.u1a.zone, masterip: NEW_MASTERS, owner: 'u2a', ...ok }), outcome: M },
  { who: 'r1', func: 'domain.delete', title: 'u2a\'s zone, naming its owner', params: () => ({ elid: world.u2a.zone, owner: 'u2a' }), outcome: M },
  { who: 'u1a', func: 'domain.edit', title: 'add shop.example, above everybody\'s zones', params: () => ({ name: 'shop.example', masterip: MASTER, ...ok }), outcome: X },
  { who: 'u1a', func: 'domain.edit', title: 'add a zone below u2a\'s', params: () => ({ name: `www.${world.u2a.zone}`, masterip: MASTER, ...ok }), outcome: X },
  { who: 'u1a', func: 'domain.edit', title: 'add u2a\'s zone', params: () => ({ name: world.u2a.zone, masterip: MASTER, ...ok }), outcome: X },
  { who: 'admin', func: 'user.edit', title: 'form of root', params: () => ({ elid: 'root' }), outcome: A },
  { who: 'admin', func: 'user.edit', title: 'root\'s password', params: () => ({ elid: 'root', passwd: 'taken-over', ...ok }), outcome: A },
  { who: 'admin', func: 'user.suspend', title: 'root', params: () => ({ elid: 'root' }), outcome: A },
  { who: 'admin', func: 'reseller.delete', title: 'root', params: () => ({ elid: 'root' }), outcome: A },
  { who: 'u1a', level: 29, func: 'user', title: 'list', params: () => ({}), outcome: A },
  { who: 'u1a', level: 30, func: 'reseller.edit', title: 'add one', params: () => ({ name: 'x5', passwd: 'x-secret', ...ok }), outcome: A },
  { who: 'u1a', level: 24, func: 'namespace.edit', title: 'u1b\'s allow transfer', params: () => ({ elid: 'u1b', allow_transfer: 'any', ...ok }), outcome: A },
  { who: 'r1', level: 30, func: 'settings', title: 'change', params: () => ({ LogLevel: '9', ...ok }), outcome: A },
  { who: 'r1', level: 30, func: 'user.delete', title: 'u2a', params: () => ({ elid: 'u2a' }), outcome: A },
];

describe('refused and hidden requests', () => {
  for (const c of CELLS.filter((c) => c.outcome !== O && c.outcome !== L)) {
    it.concurrent(titleOf(c), ({ expect: e }) => runCell(e, c));
  }
  for (const x of EXTRAS) {
    it.concurrent(`${x.who}${x.level ? ` claiming level ${x.level}` : ''}: ${x.func} ${x.title} → ${x.outcome}`, async ({ expect: e }) => {
      const params = x.params();
      const reply = await ask({ user: AUTH[x.who].user, level: x.level ?? AUTH[x.who].level }, x.func, params);
      expectOutcome(e, reply, x.outcome);
      expectNoLeak(e, x.who, params, reply);
    });
  }
});

describe('after every refused request', () => {
  it('nothing changed: lists as root, views, passwd file, dnsmgr.conf', async () => {
    const after = await state();
    expect(after.lists).toEqual(before.lists);
    expect(after.files).toEqual(before.files);
  });
});

describe('allowed requests', () => {
  for (const c of CELLS.filter((c) => c.outcome === O)) {
    it.concurrent(titleOf(c), ({ expect: e }) => runCell(e, c));
  }
});

describe('su=', () => {
  const zones = (...ls: Login[]): string[] => ls.flatMap((l) => [zoneOf(l), masterOf(l)]).sort();

  it('root on the command line acts as u1a: her zones only, nothing of anyone else\'s', async () => {
    expect(names(parseTextRows((await dm.cli(['domain', 'su=u1a'])).stdout))).toEqual(zones('u1a'));
    expect(names(parseTextRows((await dm.cli(['domain', 'su=r1'])).stdout))).toEqual(zones('r1', 'u1a', 'u1b'));
    const edit = await dm.cli(['domain.edit', `elid=${world.u2a.zone}`, `masterip=${MASTER}`, 'sok=ok', 'su=u1a']);
    expect([edit.exitCode, edit.stdout]).toEqual([3, expect.stringMatching(/^ERROR missed/)]);
    expect((await dm.cli(['domain.delete', `elid=${world.u2a.zone}`, 'su=u1a'])).stdout).toBe('OK\n');
    expect(names(await rootList('domain'))).toContain(world.u2a.zone);
    const users = await dm.cli(['user', 'su=u1a']);
    expect([users.exitCode, users.stdout]).toEqual([6, expect.stringMatching(/^ERROR access/)]);
  });

  /** Who calls, at which level the panel says, whom it acts as, and the zones it then sees. */
  const SU: readonly [Caller, number, string, string[] | 'access'][] = [
    ['r1', 24, 'u1a', zones('u1a')],
    ['r1', 24, 'u1b', zones('u1b')],
    ['r1', 24, 'u2a', 'access'],
    ['r1', 24, 'r2', 'access'],
    ['r1', 24, 'u0', 'access'],
    ['r1', 24, 'root', 'access'],
    ['r1', 30, 'u2a', 'access'],
    ['u1a', 16, 'u1b', 'access'],
    ['u1a', 16, 'r1', 'access'],
    ['u1a', 16, 'u2a', 'access'],
    ['u1a', 30, 'u1b', 'access'],
    ['admin', 29, 'u2a', zones('u2a')],
    ['admin', 29, 'r1', zones('r1', 'u1a', 'u1b')],
    ['admin', 29, 'root', 'access'],
    ['root', 30, 'u1a', zones('u1a')],
  ];
  it.concurrent.for(SU)('%s at level %s su=%s: domain → %o', async ([who, level, su, expected], { expect: e }) => {
    const reply = await ask({ user: AUTH[who].user, level }, 'domain', {}, su);
    if (expected === 'access') e(reply.error, reply.xml).toBe('access');
    else e(names(reply.rows), reply.xml).toEqual(expected);
    expectNoLeak(e, who, { su }, reply);
  });

  it.concurrent('acting as u1a, r1 has u1a\'s rights only: not her sibling\'s zone, not the user list', async ({ expect: e }) => {
    e((await ask(AUTH.r1, 'domain.edit', { elid: world.u1b.zone }, 'u1a')).error).toBe('missed');
    e((await ask(AUTH.r1, 'user', {}, 'u1a')).error).toBe('access');
    e((await ask(AUTH.r1, 'domain.edit', { name: 'r1-as-u1a.example', masterip: MASTER, owner: 'u1b', ...ok }, 'u1a')).error).toBe('missed');
  });

  it.concurrent('r1 acting as u2a cannot delete u2a\'s zone', async ({ expect: e }) => {
    e((await ask(AUTH.r1, 'domain.delete', { elid: world.u2a.zone }, 'u2a')).error).toBe('access');
    e(names(await rootList('domain'))).toContain(world.u2a.zone);
  });

  it.concurrent('a level the panel overstates is refused, never granted', async ({ expect: e }) => {
    e((await ask({ user: 'u1a', level: 30 }, 'domain', {})).error).toBe('access');
    e((await ask({ user: 'r1', level: 30 }, 'domain', {})).error).toBe('access');
  });
});

describe('suspension', () => {
  type Request = [string, Record<string, string>];
  const isReseller = (l: Login): boolean => l === 'r1' || l === 'r2';
  /** What an active account may look at of its own. */
  const reads = (l: Login): Request[] => [
    ['domain', {}], ['domain.edit', { elid: world[l].zone }], ['namespace', {}], ['namespace.edit', { elid: l }],
    ['domain.record', { plid: world[l].master }],
    ...(isReseller(l) ? [['user', {}], ['ipaddr', {}]] as Request[] : []),
  ];
  /** What an active account may change of its own. */
  const writes = (l: Login): Request[] => [
    ['domain.edit', { elid: world[l].zone, masterip: MASTER, ...ok }],
    ['domain.edit', { name: `more.${world[l].zone}`, masterip: MASTER, ...ok }],
    ['domain.delete', { elid: world[l].zone }],
    ['domain.record.edit', { plid: world[l].master, name: 'suspended', rtype: 'A', value: '198.51.100.9', ...ok }],
    ['domain.record.delete', { plid: world[l].master, elid: `ns1.${world[l].master}. A  198.51.100.9` }],
    ['namespace.edit', { elid: l, allow_transfer: 'any', ...ok }],
    ...(isReseller(l) ? [['user.suspend', { elid: 'u2a' }], ['ipaddr.edit', { name: 'auto', ...ok }]] as Request[] : []),
  ];
  const errorsOf = async (l: Login, requests: Request[]): Promise<(string | undefined)[]> =>
    Promise.all(requests.map(async ([func, params]) => (await ask(AUTH[l], func, params)).error));
  const expectSuspended = async (l: Login): Promise<void> => {
    const requests = [...reads(l), ...writes(l)];
    expect(await errorsOf(l, requests), l).toEqual(requests.map(() => 'access'));
  };
  const expectActive = async (l: Login): Promise<void> => {
    expect(await errorsOf(l, reads(l)), l).toEqual(reads(l).map(() => undefined));
  };
  const statusOf = async (list: string, l: Login): Promise<string | undefined> => (await rootList(list)).find((r) => r.name === l)?.status;
  const served = (l: Login): Promise<boolean> => waitFor(() => servedIn(l), { timeoutMs: 10_000, what: `${world[l].zone} served` });

  it('a user suspended by its reseller gets `access` for everything, nobody may act as her, her zone stays served; resume restores', async () => {
    expect((await ask(AUTH.r1, 'user.suspend', { elid: 'u1b' })).ok).toBe(true);
    expect(await statusOf('user', 'u1b')).toBe('suspended');
    await expectSuspended('u1b');
    expect((await ask(AUTH.r1, 'domain', {}, 'u1b')).error).toBe('access');
    expect((await dm.cli(['domain', 'su=u1b'])).stdout).toMatch(/^ERROR access/);
    await expectActive('u1a');
    expect(await served('u1b')).toBe(true);
    expect(names(await rootList('domain'))).toEqual(TARGETS.flatMap((l) => [zoneOf(l), masterOf(l)]).sort());
    expect((await ask(AUTH.r1, 'user.resume', { elid: 'u1b' })).ok).toBe(true);
    await expectActive('u1b');
  });

  it('a suspended reseller and its users get `access` for everything, their zones stay served; resume restores', async () => {
    expect((await ask(AUTH.root, 'reseller.suspend', { elid: 'r2' })).ok).toBe(true);
    expect(await statusOf('reseller', 'r2')).toBe('suspended');
    await expectSuspended('r2');
    await expectSuspended('u2a');
    expect((await ask(AUTH.admin, 'domain', {}, 'u2a')).error).toBe('access');
    await expectActive('r1');
    expect(await served('r2') && await served('u2a')).toBe(true);
    expect(names(await rootList('domain'))).toEqual(TARGETS.flatMap((l) => [zoneOf(l), masterOf(l)]).sort());
    expect((await ask(AUTH.root, 'reseller.resume', { elid: 'r2' })).ok).toBe(true);
    await expectActive('r2');
    await expectActive('u2a');
  });
});

/** One at a time: requests that take addresses from a pool or rewrite dnsmgr.conf would race each other. */
function serially(): <T>(f: () => Promise<T>) => Promise<T> {
  let last: Promise<unknown> = Promise.resolve();
  return (f) => {
    const next = last.then(f, f);
    last = next.catch(() => undefined);
    return next;
  };
}

describe('allowed requests that create, delete or suspend, on throwaway objects', () => {
  const covered = new Set<string>();
  const cover = (func: string, what: string, c: Caller, t?: Login): void => {
    expect(cellAt(func, what, c, t), `${c}: ${func} ${what} ${t ?? ''}`).toBe(L);
    covered.add(`${func}|${what}|${c}|${t ?? ''}`);
  };
  const pools = serially();
  const conf = serially();
  const rowOf = (func: string, what: string): Row => ROWS.find((r) => r.func === func && r.what === what) as Row;
  const laterPairs = (func: string, what: string): [Caller, Login][] =>
    CELLS.filter((c) => c.row.func === func && c.row.what === what && c.outcome === L && c.target).map((c) => [c.caller, c.target as Login]);
  const laterCallers = (func: string, what: string): Caller[] =>
    CELLS.filter((c) => c.row.func === func && c.row.what === what && c.outcome === L).map((c) => c.caller);

  it('the admin and root put named right: it already was, so there is nothing left to do', async () => {
    for (const c of laterCallers('domain.sync.apply', 'apply')) {
      cover('domain.sync.apply', 'apply', c);
      expect((await ask(AUTH[c], 'domain.sync.apply', {})).ok).toBe(true);
      expect((await ask(AUTH.root, 'domain.sync', {})).rows).toEqual([]);
    }
  });

  for (const [c, t] of laterPairs('domain.edit', 'add a zone it owns')) {
    it.concurrent(`${c} adds a zone for ${t} and deletes it`, async ({ expect: e }) => {
      cover('domain.edit', 'add a zone it owns', c, t);
      cover('domain.delete', 'its zone', c, t);
      const add = rowOf('domain.edit', 'add a zone it owns').params(world[t], c);
      e((await ask(AUTH[c], 'domain.edit', add)).ok).toBe(true);
      e((await rootList('domain')).find((z) => z.name === add.name)?.owner).toBe(t);
      const del = rowOf('domain.delete', 'its zone').params({ ...world[t], zone: add.name ?? '' }, c);
      e((await ask(AUTH[c], 'domain.delete', del)).ok).toBe(true);
      e(names(await rootList('domain'))).not.toContain(add.name);
    });
  }

  for (const [c, t] of laterPairs('user.delete', 'the account')) {
    it.concurrent(`${c} suspends, resumes and deletes a user like ${t}`, async ({ expect: e }) => {
      for (const func of ['user.suspend', 'user.resume', 'user.delete']) cover(func, 'the account', c, t);
      const x = `tmp-${c}-${t}`;
      const r = RESELLER_OF[t];
      await asRoot(['user.edit', `name=${x}`, 'passwd=tmp-secret', 'nstype=shared', ...(r ? [`su=${r}`] : [`namespace=${t}`]), 'sok=ok']);
      const status = async (): Promise<string | undefined> => (await rootList('user')).find((u) => u.name === x)?.status;
      e((await ask(AUTH[c], 'user.suspend', { elid: x })).ok).toBe(true);
      e(await status()).toBe('suspended');
      e((await ask(AUTH[c], 'user.resume', { elid: x })).ok).toBe(true);
      e(await status()).toBe('active');
      e((await ask(AUTH[c], 'user.delete', { elid: x })).ok).toBe(true);
      e(await status()).toBeUndefined();
    });
  }

  for (const [c, t] of laterPairs('reseller.delete', 'the account')) {
    it.concurrent(`${c} suspends, resumes and deletes a reseller like ${t}`, async ({ expect: e }) => {
      for (const func of ['reseller.suspend', 'reseller.resume', 'reseller.delete']) cover(func, 'the account', c, t);
      const x = `tmp-${c}-${t}`;
      await asRoot(['reseller.edit', `name=${x}`, 'passwd=tmp-secret', 'nstype=shared', `namespace=${t}`, 'sok=ok']);
      const status = async (): Promise<string | undefined> => (await rootList('reseller')).find((u) => u.name === x)?.status;
      e((await ask(AUTH[c], 'reseller.suspend', { elid: x })).ok).toBe(true);
      e(await status()).toBe('suspended');
      e((await ask(AUTH[c], 'reseller.resume', { elid: x })).ok).toBe(true);
      e(await status()).toBe('active');
      e((await ask(AUTH[c], 'reseller.delete', { elid: x })).ok).toBe(true);
      e(await status()).toBeUndefined();
    });
  }

  for (const c of laterCallers('user.edit', 'add')) {
    it.concurrent(`${c} adds a user on an address of its pool`, ({ expect: e }) => pools(async () => {
      cover('user.edit', 'add', c);
      const params = rowOf('user.edit', 'add').params(world.u1a, c);
      e((await ask(AUTH[c], 'user.edit', params)).ok).toBe(true);
      const row = (await rootList('user')).find((u) => u.name === params.name);
      e(row?.reseller).toBe(c === 'r1' ? 'r1' : '');
      if (c === 'r1') e(row?.ip).toBe(spare.r1);
      await asRoot(['user.delete', `elid=${params.name}`]);
    }));
  }

  for (const c of laterCallers('reseller.edit', 'add')) {
    it.concurrent(`${c} adds a reseller`, ({ expect: e }) => pools(async () => {
      cover('reseller.edit', 'add', c);
      const params = rowOf('reseller.edit', 'add').params(world.u1a, c);
      e((await ask(AUTH[c], 'reseller.edit', params)).ok).toBe(true);
      e(names(await rootList('reseller'))).toContain(params.name);
      await asRoot(['reseller.delete', `elid=${params.name}`]);
    }));
  }

  for (const c of laterCallers('ipaddr.edit', 'add')) {
    it.concurrent(`${c} adds an address to its pool and removes it again`, ({ expect: e }) => pools(async () => {
      cover('ipaddr.edit', 'add', c);
      const mine = async (): Promise<string[]> => names((await ask(AUTH[c], 'ipaddr', {})).rows);
      const had = await mine();
      e((await ask(AUTH[c], 'ipaddr.edit', rowOf('ipaddr.edit', 'add').params(world.u1a, c))).ok).toBe(true);
      const added = (await mine()).filter((a) => !had.includes(a));
      e(added).toHaveLength(1);
      e((await ask(AUTH[c], 'ipaddr.delete', { elid: added[0] ?? '' })).ok).toBe(true);
      e(await mine()).toEqual(had);
    }));
  }

  for (const c of laterCallers('restricted.edit', 'add')) {
    it.concurrent(`${c} restricts a name and lifts it again`, async ({ expect: e }) => {
      cover('restricted.edit', 'add', c);
      cover('restricted.delete', 'a name', c);
      const params = rowOf('restricted.edit', 'add').params(world.u1a, c);
      e((await ask(AUTH[c], 'restricted.edit', params)).ok).toBe(true);
      e(names(await rootList('restricted'))).toContain(params.name);
      e((await ask(AUTH[c], 'restricted.delete', { elid: params.name ?? '' })).ok).toBe(true);
      e(names(await rootList('restricted'))).not.toContain(params.name);
    });
  }

  for (const c of laterCallers('settings', 'change')) {
    it.concurrent(`${c} changes a setting`, ({ expect: e }) => conf(async () => {
      cover('settings', 'change', c);
      const logLevel = async (): Promise<string | undefined> => (await ask(AUTH.root, 'settings', {})).fields.LogLevel;
      const was = await logLevel();
      e((await ask(AUTH[c], 'settings', rowOf('settings', 'change').params(world.u1a, c))).ok).toBe(true);
      e(await logLevel()).toBe('7');
      e((await ask(AUTH.root, 'settings', { LogLevel: was ?? '', ...ok })).ok).toBe(true);
    }));
  }

  for (const c of laterCallers('slaveserver.edit', 'add')) {
    it.concurrent(`${c} adds a slave server and deletes it again`, async ({ expect: e }) => {
      cover('slaveserver.edit', 'add', c);
      cover('slaveserver.delete', 'one', c);
      const params = rowOf('slaveserver.edit', 'add').params(world.u1a, c);
      e((await ask(AUTH[c], 'slaveserver.edit', params)).ok).toBe(true);
      const id = (await rootList('slaveserver')).find((r) => r.url === params.url)?.id;
      e(id).toBeDefined();
      e((await ask(AUTH[c], 'slaveserver.delete', { elid: id ?? '' })).ok).toBe(true);
      e((await rootList('slaveserver')).map((r) => r.url)).not.toContain(params.url);
    });
  }

  it('every allowed request that creates, deletes or suspends was proven above', () => {
    const later = CELLS.filter((c) => c.outcome === L).map((c) => `${c.row.func}|${c.row.what}|${c.caller}|${c.target ?? ''}`);
    expect(later.filter((k) => !covered.has(k))).toEqual([]);
  });
});

describe('the panel\'s administrators', () => {
  // The panel's admin has no account here; a login a reseller creates must not become who the admin is.
  it('a reseller cannot turn the panel\'s admin into one of its users by taking the login', async () => {
    for (const login of ['admin', 'root']) {
      const made = await ask(AUTH.r1, 'user.edit', { name: login, passwd: 'x-secret', ...ok });
      expect(made.error, made.xml).toBe('exists');
    }
    expect((await ask(AUTH.admin, 'user', {})).error).toBeUndefined();
    expect(names((await ask(AUTH.admin, 'domain', {})).rows)).toEqual(TARGETS.flatMap((l) => [zoneOf(l), masterOf(l)]).sort());
  });

});

/** The zone of account l answers on its own address, as named serves it to the world. */
async function servedIn(l: Login): Promise<boolean> {
  const a = await dig(net.slave, world[l].ip, world[l].zone, 'SOA');
  return a.status === 'NOERROR' && a.aa;
}

describe('afterwards', () => {
  it('every account is still there and every zone is still served in its owner\'s view only', async () => {
    expect(names(await rootList('user'))).toEqual(['u0', 'u1a', 'u1b', 'u2a']);
    expect(names(await rootList('reseller'))).toEqual(['r1', 'r2']);
    expect(names(await rootList('domain'))).toEqual(TARGETS.flatMap((l) => [zoneOf(l), masterOf(l)]).sort());
    for (const l of TARGETS) {
      expect(await waitFor(() => servedIn(l), { timeoutMs: 10_000, what: `${world[l].zone} served` })).toBe(true);
      const other = TARGETS.find((o) => o !== l) as Login;
      expect((await dig(net.slave, world[other].ip, world[l].zone, 'SOA')).status).toBe('REFUSED');
    }
  });
});
