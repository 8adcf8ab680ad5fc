// Bad input to the account functions at every front door: the address pool, users and resellers, namespaces,
// restricted names and the settings form. Each malformed parameter is refused with a `value` error that names it
// (CLI exit 4), and nothing changes: not the lists, the views file, dnsmgr.conf, dnsmgr.passwd or the interface.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestNet, nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { createInstance } from '../helpers/dnsmgr';
import type { Instance, Result } from '../helpers/dnsmgr';
import { eachLimited, httpBatch, parseError } from '../helpers/front-doors';
import type { Format, HttpAnswer, SeenError } from '../helpers/front-doors';

interface BadCase {
  title: string;
  func: string;
  params: Record<string, string>;
  /** The parameter the error must name. */
  param: string;
  input: string;
}

const SERVE_PORT = 1500;
const ALICE_IP = '192.0.2.10';
const R_IP = '192.0.2.30';
const FREE_V4 = '192.0.2.11';
const FREE_V6 = '2001:db8:10::11';

const BAD_ADDRESSES = ['999.1.1.1', '192.0.2.256', '192.0.2.011', '192.0.2.1; }', '192.0.2.0/24', 'fe80::1%eth0', '2001:db8::g', 'localhost'];
const BAD_LIMITS = ['-1', 'abc', '1.5', '1000001', '5; rm -rf /'];
const BAD_LOGINS = ['../x', 'a b', 'a"b'];

// Everything but the bad parameter is valid: if validation let it through, the request would really change something.
const addAccount = (name: string) => (x: Record<string, string>) => ({ name, passwd: `${name}-pw`, ip: FREE_V4, sok: 'ok', ...x });
const editAccount = (elid: string) => (x: Record<string, string>) => ({ elid, sok: 'ok', ...x });
const ACCOUNT_FORMS = [
  { func: 'user.edit', how: 'new', params: addAccount('bob') },
  { func: 'user.edit', how: 'edit', params: editAccount('alice') },
  { func: 'reseller.edit', how: 'new', params: addAccount('r2') },
  { func: 'reseller.edit', how: 'edit', params: editAccount('r') },
];
const NEW_ACCOUNT_FORMS = ACCOUNT_FORMS.filter((f) => f.how === 'new');

const bad = (func: string, param: string, input: string, params: Record<string, string>): BadCase =>
  ({ title: `${func} ${param}=${shown(input)}${params.elid !== undefined && param !== 'elid' ? ` (elid=${params.elid})` : ''}`, func, params, param, input });

const CASES: readonly BadCase[] = [
  // The address pool.
  ...[...BAD_ADDRESSES, ''].map((v) => bad('ipaddr.edit', 'name', v, { name: v, sok: 'ok' })),
  ...['192.0.2.1; }', 'x', `${FREE_V4}/32`].map((v) => bad('ipaddr.edit', 'elid', v, { elid: v, status: 'shared', sok: 'ok' })),
  ...['public', 'FREE', 'free; rm -rf /'].flatMap((v) => [
    bad('ipaddr.edit', 'status', v, { elid: FREE_V4, status: v, sok: 'ok' }),
    bad('ipaddr.edit', 'status', v, { name: '192.0.2.14', status: v, sok: 'ok' }),
  ]),
  ...BAD_LOGINS.map((v) => bad('ipaddr.edit', 'assignee', v, { elid: FREE_V4, status: 'assigned', assignee: v, sok: 'ok' })),
  ...['ipv5', '4', 'IPV6'].map((v) => bad('ipaddr.edit', 'family', v, { name: 'auto', family: v, sok: 'ok', su: 'r' })),
  // Users and resellers: where the namespace goes, and the limits.
  ...NEW_ACCOUNT_FORMS.flatMap((f) => [
    ...['private', 'SHARED', 'own;'].map((v) => bad(f.func, 'nstype', v, f.params({ nstype: v }))),
    ...['999.1.1.1', '192.0.2.0/24', '192.0.2.1; }', FREE_V6].map((v) => bad(f.func, 'ip', v, f.params({ ip: v }))),
    ...['2001:db8::zz', '2001:db8::1; }', '192.0.2.12'].map((v) => bad(f.func, 'ip6', v, f.params({ ip6: v }))),
    ...BAD_LOGINS.map((v) => bad(f.func, 'namespace', v, f.params({ nstype: 'shared', ip: '', namespace: v }))),
  ]),
  ...ACCOUNT_FORMS.flatMap((f) => ['domain_limit', 'user_limit', 'ip_limit'].flatMap((param) =>
    BAD_LIMITS.map((v) => bad(f.func, param, v, f.params({ [param]: v }))))),
  // Namespaces.
  ...[...BAD_LOGINS, ''].map((v) => bad('namespace.edit', 'elid', v, { elid: v, allow_transfer: 'any', sok: 'ok' })),
  ...['192.0.2.1; }', 'any, none', '192.0.2.1/33', '192.0.2.1/24', '2001:db8::1/64', 'localhost', '0.0.0.0', '198.51.100.0/24; any']
    .map((v) => bad('namespace.edit', 'allow_transfer', v, { elid: 'alice', allow_transfer: v, sok: 'ok' })),
  // Restricted names.
  ...['a"b.com', 'x;y.com', '*.example.com', '../etc/passwd', 'a b.com', '']
    .map((v) => bad('restricted.edit', 'name', v, { name: v, sok: 'ok' })),
  // The settings form, each bad value beside a good one.
  ...([
    ['NetworkInterface', 'eth0; rm -rf /'], ['NetworkInterface', 'a-very-long-interface-name'], ['LogLevel', '10'], ['LogLevel', '-1'],
    ['LogLevel', 'x'], ['SharedDomains', 'a"b.com'], ['SharedDomains', 'ok.example x;y.com'], ['RestrictedDomains', '*.example.com'],
    ['LimitedResellers', '../x'], ['DefaultLang', 'de'], ['InsecureDomain', 'maybe'], ['AllowIpV6', 'sometimes'],
  ] as const).map(([param, v]) => bad('settings', param, v, { ...(param === 'LogLevel' ? { SharedDomains: 'example.net' } : { LogLevel: '7' }), [param]: v, sok: 'ok' })),
];

if (new Set(CASES.map((c) => c.title)).size !== CASES.length) throw new Error('every bad case needs a title of its own');

let net: TestNet;
let dm: Instance;
let before: Snapshot;

beforeAll(async () => {
  net = await createTestNet('badaccts');
  dm = await createInstance(net);
  await dm.startNamed();
  for (const [ip, status] of [[ALICE_IP, 'free'], [FREE_V4, 'free'], ['192.0.2.12', 'free'], ['192.0.2.13', 'hidden'], [FREE_V6, 'free'], [R_IP, 'free']]) {
    expectOk(await dm.cli(['ipaddr.edit', `name=${ip}`, `status=${status}`, 'sok=ok']));
  }
  expectOk(await dm.cli(['user.edit', 'name=alice', 'passwd=alice-pw', `ip=${ALICE_IP}`, 'domain_limit=3', 'sok=ok']));
  expectOk(await dm.cli(['reseller.edit', 'name=r', 'passwd=r-pw', `ip=${R_IP}`, 'user_limit=5', 'ip_limit=5', 'sok=ok']));
  expectOk(await dm.cli(['restricted.edit', 'name=restricted.example', 'sok=ok']));
  await dm.startServe(SERVE_PORT);
  before = await snapshot();
}, 60_000);

afterAll(async () => {
  await dm?.stop();
  await net?.destroy();
});

describe('command line (mgrctl style)', () => {
  const rows = CASES.flatMap((c) => (['text', 'json'] as const).map((format) => ({ ...c, format, name: `-o ${format}: ${c.title}` })));
  const results = new Map<string, Result>();

  beforeAll(async () => {
    await eachLimited(rows, async (row) => {
      const args = [row.func, ...Object.entries(row.params).map(([k, v]) => `${k}=${v}`)];
      results.set(row.name, await dm.cli(args, row.format === 'text' ? undefined : { out: row.format }));
    });
  }, 60_000);

  it.each(rows)('$name', (row) => {
    const r = results.get(row.name) as Result;
    expectValueError(parseError(r.stdout, row.format), row);
    expect(r.exitCode).toBe(4);
  });
});

describe('COREmanager handler', () => {
  const results = new Map<string, Result>();

  beforeAll(async () => {
    await eachLimited(CASES, async (c) => {
      results.set(c.title, await dm.handler({ func: c.func, ...c.params }, { user: 'root', level: 30 }));
    });
  }, 60_000);

  it.each(CASES)('$title', (c) => {
    const r = results.get(c.title) as Result;
    expect(r.exitCode, 'the panel reads the error from the document, not the exit status').toBe(0);
    expectValueError(parseError(r.stdout, 'xml'), c);
  });
});

describe('HTTP API (GET, out=json)', () => {
  const results = new Map<string, HttpAnswer>();

  beforeAll(async () => {
    const login = await dm.http({ func: 'auth', username: 'root', password: 'root-secret', out: 'json' }, 'POST');
    const key = (JSON.parse(login.body) as { doc: { auth: { $: string } } }).doc.auth.$;
    const answers = await httpBatch(net.slave, SERVE_PORT, CASES.map((c) => ({ method: 'GET' as const, params: { func: c.func, ...c.params, auth: key, out: 'json' } })));
    CASES.forEach((c, i) => results.set(c.title, answers[i] as HttpAnswer));
  }, 60_000);

  it.each(CASES)('$title', (c) => {
    const r = results.get(c.title) as HttpAnswer;
    expect(r.status).toBe(200);
    expectValueError(parseError(r.body, 'json' satisfies Format), c);
  });
});

describe('after the whole matrix', () => {
  it('lists, settings, views file, dnsmgr.conf, dnsmgr.passwd and the interface are unchanged', async () => {
    const after = await snapshot();
    expect(after.users).toContain('name=alice');
    expect(after).toEqual(before);
  });
});

// ---- helpers -------------------------------------------------------------------------------------------------------

interface Snapshot {
  lists: Record<string, string>;
  views: string;
  conf: string;
  passwd: string;
  users: string;
  bound: string[];
}

async function snapshot(): Promise<Snapshot> {
  const lists: Record<string, string> = {};
  for (const func of ['ipaddr', 'reseller', 'namespace', 'restricted', 'domain', 'settings', 'ipaddr su=r', 'user su=r']) {
    const r = await dm.cli(func.split(' '));
    expect(r.exitCode, r.stdout).toBe(0);
    lists[func] = r.stdout;
  }
  const read = (...path: string[]): string => readFileSync(join(dm.root, ...path), 'utf8');
  return {
    lists,
    users: (await dm.cli(['user'])).stdout,
    views: read('etc', 'named', 'dnsmgr-views.conf'),
    conf: read('etc', 'dnsmgr.conf'),
    passwd: read('etc', 'dnsmgr.passwd'),
    // Addresses only: the link-local one's flags change on their own.
    bound: [...(await nsExec(net.slave, 'ip', ['-o', 'addr', 'show', 'dev', net.slaveIface])).stdout.matchAll(/ inet6? (\S+)/g)].map((m) => m[1] as string),
  };
}

function expectOk(r: Result): void {
  expect(r.stdout, r.stderr).toBe('OK\n');
}

function shown(s: string): string {
  return JSON.stringify(s);
}

/** A value error naming the parameter, echoing (a possibly shortened) input, with a message that says more. */
function expectValueError(seen: SeenError, c: Pick<BadCase, 'param' | 'input'>): void {
  expect({ type: seen.type, object: seen.object }, seen.message).toEqual({ type: 'value', object: c.param });
  if (c.input === '') {
    expect(seen.value).toBe('');
  } else {
    const echoed = seen.value.replace(/…$/, '');
    expect(echoed.length).toBeGreaterThan(0);
    expect(c.input).toContain(echoed);
  }
  expect(seen.message).toContain(c.param);
}
