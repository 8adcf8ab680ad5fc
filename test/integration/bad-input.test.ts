// Bad input at every front door: each malformed parameter is refused where it enters, with a COREmanager error that
// names the parameter and echoes the value, and nothing changes — not the database, not named's configuration, not the
// files under the root, and named itself is never asked about the bad names.
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { waitFor } from '../helpers/named';
import type { Instance, Result } from '../helpers/dnsmgr';
import { NAME_SERVER } from '../helpers/dnsmgr';
import { eachLimited, httpBatch, parseError } from '../helpers/front-doors';
import type { HttpAnswer, SeenError } from '../helpers/front-doors';


interface BadCase {
  /** Printable description for the test name. */
  title: string;
  func: string;
  params: Record<string, string>;
  /** Accepted error types; the first decides the expected CLI exit status. */
  types: readonly string[];
  object: string;
  /** The offending input, for checking the echoed value. */
  input: string;
  /** A password: whether and how it is echoed is not asserted (better not at all). */
  secret?: boolean;
}


const MASTER_IP = '198.51.100.1';
/** alice's namespace address: in this server's own pool, so never a master. */
const ALICE_IP = '192.0.2.10';
/** The one real zone, owned by alice: it must come through the whole matrix untouched. */
const KEPT_ZONE = 'kept.example';
/** A valid zone name used beside a bad parameter: if it ever reached named, the request was not refused. */
const VALID_ZONE = 'untouched.example';
const SERVE_PORT = 1500;
const EXIT_CODES: Record<string, number> = { value: 4, missed: 3, access: 6 };

const LABEL_64 = `${'a'.repeat(64)}.com`;
const NAME_254 = [63, 63, 63, 62].map((n) => 'b'.repeat(n)).join('.');
const BAD_ZONE_NAMES: readonly [string, string][] = [
  ['a"b.com', 'a double quote'],
  ['x;y.com', 'a semicolon'],
  ['a{b}.com', 'braces'],
  ['../etc/passwd', 'a path traversal'],
  ['a/b.com', 'a slash'],
  ['ex%41mple.com', 'a percent escape'],
  ['*.example.com', 'a wildcard'],
  [LABEL_64, 'a 64-character label'],
  [NAME_254, 'a 254-character name'],
  ['', 'empty'],
  ['a\nb.com', 'a newline'],
  ['a b.com', 'a space'],
  ['example.com; }; zone "evil" {', 'a named.conf injection'],
];
const BAD_MASTERS = ['999.1.1.1', '1.2.3', 'localhost', '192.0.2.1; }', '', '0.0.0.0', 'fe80::1%eth0'];
const BAD_LOGINS = ['../x', 'a b', 'a"b', 'u'.repeat(65)];
const BAD_USER_IPS = ['999.1.1.1', '192.0.2.1; }'];
const LONG_PASSWORDS: readonly [string, string][] = [['p'.repeat(73), '73 ASCII bytes'], ['ж'.repeat(37), '74 bytes in 37 characters']];
/** The zone-health functions get a sample of the bad names (every door, every format multiplies them). */
const SOME_BAD_ZONE_NAMES = BAD_ZONE_NAMES.filter(([bad]) =>
  ['a"b.com', 'x;y.com', '../etc/passwd', LABEL_64, '', 'a\nb.com', 'example.com; }; zone "evil" {'].includes(bad));
/** Lists beside the kept zone: if a bad item were let through, named would be asked about the kept zone. */
const BAD_ZONE_LISTS: readonly [string, string][] = [
  [`${KEPT_ZONE},a"b.com`, 'a good name, then a double quote'],
  [`x;y.com,${KEPT_ZONE}`, 'a semicolon, then a good name'],
  [`${KEPT_ZONE}, ../etc/passwd`, 'a good name, then a path traversal'],
  [',,', 'commas only'],
];
const ZONE_LIST_FUNCS = ['domain.retransfer', 'domain.refresh', 'domain.resume'] as const;
const BAD_LANGS = ['de', '../x', 'en;', 'english'];
/** Masters that cannot work: this server itself (loopback, its own pool) or link-local without a scope. */
const UNUSABLE_MASTERS = ['127.0.0.1', '127.1.2.3', '::1', '::ffff:127.0.0.1', '169.254.1.1', 'fe80::1', ALICE_IP, `::ffff:${ALICE_IP}`,
  `${MASTER_IP}, ${ALICE_IP}`];

const shown = (s: string): string => (s.length > 40 ? `${s.length}-char ${JSON.stringify(s.slice(0, 12))}…` : JSON.stringify(s));
// Everything but the bad parameter is valid and names alice, who has a namespace: if validation let the bad value
// through, the request would really change something.
const addZone = (extra: Record<string, string>) => ({ name: VALID_ZONE, masterip: MASTER_IP, owner: 'alice', sok: 'ok', ...extra });
const addUser = (extra: Record<string, string>) => ({ name: 'bob', passwd: 'bob-pw', ip: '192.0.2.20', sok: 'ok', ...extra });
const valueError = (title: string, func: string, params: Record<string, string>, object: string, input: string): BadCase =>
  ({ title, func, params, types: ['value'], object, input });

const CASES: readonly BadCase[] = [
  ...BAD_ZONE_NAMES.map(([bad, what]) => valueError(`domain.edit name= with ${what} ${shown(bad)}`, 'domain.edit', addZone({ name: bad }), 'name', bad)),
  // An empty elid on domain.edit means "add a zone", so it is not a bad elid there.
  ...BAD_ZONE_NAMES.filter(([bad]) => bad !== '').map(([bad, what]) =>
    valueError(`domain.edit elid= with ${what} ${shown(bad)}`, 'domain.edit', { elid: bad, masterip: MASTER_IP, sok: 'ok' }, 'elid', bad)),
  ...BAD_ZONE_NAMES.map(([bad, what]) => valueError(`domain.delete elid= with ${what} ${shown(bad)}`, 'domain.delete', { elid: bad }, 'elid', bad)),
  ...BAD_MASTERS.map((bad) => valueError(`domain.edit masterip=${shown(bad)}`, 'domain.edit', addZone({ masterip: bad }), 'masterip', bad)),
  valueError("domain.edit dtype='stub' (slave or master only)", 'domain.edit', addZone({ dtype: 'stub' }), 'dtype', 'stub'),
  valueError('domain.edit dtype=master with masters (a master zone has none)', 'domain.edit', addZone({ dtype: 'master' }), 'masterip', MASTER_IP),
  valueError("domain.edit dtype=master email='a@b@c'", 'domain.edit', { name: VALID_ZONE, dtype: 'master', ip: '192.0.2.10', email: 'a@b@c', owner: 'alice', sok: 'ok' }, 'email', 'a@b@c'),
  valueError("domain.edit owner='../x'", 'domain.edit', addZone({ owner: '../x' }), 'owner', '../x'),
  valueError('domain.edit su=\'a"b\'', 'domain.edit', addZone({ su: 'a"b' }), 'su', 'a"b'),
  { title: "domain.edit su='nosuchuser'", func: 'domain.edit', params: addZone({ su: 'nosuchuser' }), types: ['missed', 'access'], object: 'user', input: 'nosuchuser' },
  ...BAD_LOGINS.map((bad) => valueError(`user.edit name=${shown(bad)}`, 'user.edit', addUser({ name: bad }), 'name', bad)),
  ...BAD_USER_IPS.map((bad) => valueError(`user.edit ip=${shown(bad)}`, 'user.edit', addUser({ ip: bad }), 'ip', bad)),
  ...LONG_PASSWORDS.map(([bad, what]): BadCase =>
    ({ ...valueError(`user.edit passwd= of ${what}`, 'user.edit', addUser({ passwd: bad }), 'passwd', bad), secret: true })),
  // Zone health: every new parameter of every new function.
  ...ZONE_LIST_FUNCS.flatMap((func) => [...SOME_BAD_ZONE_NAMES, ...BAD_ZONE_LISTS].map(([bad, what]) =>
    valueError(`${func} elid= with ${what} ${shown(bad)}`, func, { elid: bad }, 'elid', bad))),
  ...SOME_BAD_ZONE_NAMES.map(([bad, what]) => valueError(`domain.check elid= with ${what} ${shown(bad)}`, 'domain.check', { elid: bad }, 'elid', bad)),
  valueError('domain.check elid= with two zones', 'domain.check', { elid: `${KEPT_ZONE},${VALID_ZONE}` }, 'elid', `${KEPT_ZONE},${VALID_ZONE}`),
  ...BAD_LANGS.map((bad) => valueError(`domain.check lang=${shown(bad)}`, 'domain.check', { elid: KEPT_ZONE, lang: bad }, 'lang', bad)),
  ...(['domain.check', ...ZONE_LIST_FUNCS] as const).flatMap((func) => ['../x', 'a"b'].map((bad) =>
    valueError(`${func} owner=${shown(bad)}`, func, { elid: KEPT_ZONE, owner: bad }, 'owner', bad))),
  ...UNUSABLE_MASTERS.map((bad) => valueError(`domain.edit masterip=${shown(bad)} (a new zone)`, 'domain.edit', addZone({ masterip: bad }), 'masterip', bad)),
  ...[ALICE_IP, '127.0.0.1', 'fe80::1'].map((bad) => valueError(`domain.edit elid=${KEPT_ZONE} masterip=${shown(bad)} (new masters)`, 'domain.edit',
    { elid: KEPT_ZONE, masterip: bad, sok: 'ok', su: 'alice' }, 'masterip', bad)),
  ...['no.such.func', '../etc/passwd'].map((func): BadCase =>
    ({ title: `unknown function ${shown(func)}`, func, params: {}, types: ['missed'], object: 'func', input: func })),
];

/** Strings that must never reach named or the file system: one per bad case, plus the valid name beside bad values. */
const NEVER_SEEN = ['evil', 'a"b', 'x;y', 'a{b', 'ex%41', '*.example', 'a/b.com', 'a b.com', 'a\nb', 'aaaaaaaaaaaa', 'bbbbbbbbbbbb',
  VALID_ZONE, 'nosuchuser', '999.1.1.1', '%eth0', 'uuuuuuuuuuuu'];

let net: TestNet;
let dm: Instance;
let world: World;
let before: Snapshot;

beforeAll(async () => {
  // One health refresh only, the one serve makes as it starts: the zone list (status, serial, updated) stays as the
  // snapshot took it for the whole matrix.
  world = await startWorld('badinput', [{ name: KEPT_ZONE, serial: 42 }], 'NetworkInterface veth-s\nOption AllowIpV6\nHealthInterval 86400\n');
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  const r = await dm.cli(['domain.edit', `name=${KEPT_ZONE}`, `masterip=${MASTER_IP}`, 'sok=ok', 'su=alice']);
  expect(r.stdout.trim(), r.stderr).toBe('OK');
  await waitFor(async () => dm.transferred(KEPT_ZONE), { timeoutMs: 10_000, what: 'the kept zone transferred' });
  await dm.startServe(SERVE_PORT);
  await waitFor(async () => (await dm.cli(['domain'])).stdout.includes(`name=${KEPT_ZONE} owner=alice dtype=slave masterip=${MASTER_IP} status=ok`),
    { timeoutMs: 15_000, what: 'the kept zone ok after the first health refresh' });
  before = await snapshot();
}, 60_000);

afterAll(async () => {
  await world?.stop();
});

it('every case has a title of its own (results are looked up by it)', () => {
  expect(new Set(CASES.map((c) => c.title)).size).toBe(CASES.length);
});

describe('command line (mgrctl style)', () => {
  const rows = CASES.flatMap((c) => (['text', 'xml', 'json'] as const).map((format) => ({ ...c, format, name: `-o ${format}: ${c.title}` })));
  const results = new Map<string, Result>();

  beforeAll(async () => {
    await eachLimited(rows, async (row) => {
      const args = [row.func, ...Object.entries(row.params).map(([k, v]) => `${k}=${v}`)];
      results.set(row.name, await dm.cli(args, row.format === 'text' ? undefined : { out: row.format }));
    });
  }, 240_000);

  it.each(rows)('$name', (row) => {
    const r = results.get(row.name) as Result;
    expectError(parseError(r.stdout, row.format), row);
    expect(r.exitCode).toBe(EXIT_CODES[row.types[0] as string]);
  });
});

describe('COREmanager handler', () => {
  const results = new Map<string, Result>();

  beforeAll(async () => {
    await eachLimited(CASES, async (c) => {
      results.set(c.title, await dm.handler({ func: c.func, ...c.params }, { user: 'root', level: 30 }));
    });
  }, 120_000);

  it.each(CASES)('$title', (c) => {
    const r = results.get(c.title) as Result;
    expect(r.exitCode, 'the panel reads the error from the document, not the exit status').toBe(0);
    expectError(parseError(r.stdout, 'xml'), c);
  });
});

describe('HTTP API', () => {
  const rows = CASES.flatMap((c) => (['GET', 'POST'] as const).flatMap((method) =>
    (['xml', 'json', 'text'] as const).map((format) => ({ ...c, method, format, name: `${method} out=${format}: ${c.title}` }))));
  const results = new Map<string, HttpAnswer>();

  beforeAll(async () => {
    const login = await dm.http({ func: 'auth', username: 'root', password: 'root-secret', out: 'json' }, 'POST');
    const key = (JSON.parse(login.body) as { doc: { auth: { $: string } } }).doc.auth.$;
    const answers = await httpBatch(net.slave, SERVE_PORT, rows.map((row) => ({ method: row.method, params: { func: row.func, ...row.params, auth: key, out: row.format } })));
    rows.forEach((row, i) => results.set(row.name, answers[i] as HttpAnswer));
  }, 60_000);

  it.each(rows)('$name', (row) => {
    const r = results.get(row.name) as HttpAnswer;
    expect(r.status).toBe(200);
    expectError(parseError(r.body, row.format), row);
  });

  it.each(['GET', 'POST'] as const)('refuses a bad value with authinfo= as well (%s)', async (method) => {
    const bad = 'example.com; }; zone "evil" {';
    const r = await dm.http({ func: 'domain.edit', ...addZone({ name: bad }), authinfo: 'root:root-secret', out: 'json' }, method);
    expectError(parseError(r.body, 'json'), { types: ['value'], object: 'name', input: bad });
  });
});

describe('after the whole matrix', () => {
  it('lists, views file, new-zones database, zone files, the tree under the root and rndc commands are unchanged', async () => {
    const after = await snapshot();
    expect(after.domains).toContain(`name=${KEPT_ZONE} owner=alice`);
    // The one zone change the name server ever got is the kept zone's add (PowerDNS: its API requests of that add).
    expect(after.zoneCommands).toEqual(NAME_SERVER === 'bind' ? [expect.stringContaining(`'addzone ${KEPT_ZONE} IN _dnsmgr`)] : [
      expect.stringContaining('"POST /api/v1/servers/localhost/zones HTTP'),
      expect.stringContaining(`/zones/${KEPT_ZONE}./metadata/ALLOW-AXFR-FROM HTTP`),
      expect.stringContaining(`"PUT /api/v1/servers/localhost/zones/${KEPT_ZONE}./axfr-retrieve HTTP`),
    ]);
    expect(after).toEqual(before);
  });

  it('created no file or directory named after a bad value', () => {
    for (const path of walk(dm.root)) {
      expect(path).not.toMatch(/["';{}%*\s\\]/);
      for (const s of NEVER_SEEN) expect(path).not.toContain(s);
    }
  });

  it('never asked the name server about a bad name or address', () => {
    const log = dm.nameServerLog();
    expect(log).toContain(KEPT_ZONE);
    for (const s of NEVER_SEEN) expect(log).not.toContain(s);
  });
});

// ---- helpers -------------------------------------------------------------------------------------------------------

interface Snapshot {
  domains: string;
  users: string;
  nameServer: string;
  slaveFiles: Record<string, string>;
  paths: string[];
  zoneCommands: string[];
}

async function snapshot(): Promise<Snapshot> {
  const slaveDir = join(dm.root, 'var', 'named', 'slave');
  return {
    domains: (await dm.cli(['domain'])).stdout,
    users: (await dm.cli(['user'])).stdout,
    nameServer: await dm.snapshot(),
    slaveFiles: Object.fromEntries((existsSync(slaveDir) ? walk(slaveDir) : []).filter((p) => statSync(join(slaveDir, p)).isFile())
      .map((p) => [p, createHash('sha256').update(readFileSync(join(slaveDir, p))).digest('hex')])),
    // Logs and SQLite's WAL files come and go with every request; what matters is that nothing else appears.
    paths: walk(dm.root).filter((p) => !/\.log$|-wal$|-shm$/.test(p)),
    zoneCommands: dm.zoneCommands(),
  };
}

/** Every path under `dir`, relative to it, sorted. */
function walk(dir: string): string[] {
  const out: string[] = [];
  const visit = (d: string): void => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      const full = join(d, entry.name);
      out.push(relative(dir, full));
      if (entry.isDirectory()) visit(full);
    }
  };
  visit(dir);
  return out.sort();
}

/** Type and object exactly; the value echoed (control characters shown as '?', possibly shortened); a message. */
function expectError(seen: SeenError, c: Pick<BadCase, 'types' | 'object' | 'input' | 'secret'>): void {
  expect(c.types).toContain(seen.type);
  expect(seen.object).toBe(c.object);
  if (c.secret) {
    // nothing about the value: a password should not be echoed at all
  } else if (c.input === '') {
    expect(seen.value).toBe('');
  } else {
    const echoed = seen.value.replace(/…$/, '');
    expect(echoed.length).toBeGreaterThan(0);
    expect(seen.value.length).toBeLessThanOrEqual(100);
    expect(c.input.replace(/[\u0000-\u001f\u007f]/g, '?')).toContain(echoed);
  }
  expect(seen.message.length).toBeGreaterThan(10);
}
