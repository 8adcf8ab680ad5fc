// Issue 9: p_num/p_cnt and p_sort/p_order through the HTTP API (serve) and the command line, on a domain list of a few
// hundred zones: pages concatenate to the whole list in order, both ways, with filter=on; the whole list (streamed,
// chunked over HTTP) is what it was; bad values are refused with a value error and change nothing. Most zones are put
// into the database directly, as bench-zones does (the list reads the database; adding them is the bulk path's test),
// one is added through domain.edit and served, so the list also holds a real one.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseError } from '../helpers/front-doors';
import type { Instance } from '../helpers/dnsmgr';
import { parseTextRows } from '../helpers/dnsmgr';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const ROOT_AUTH = 'root:root-secret';
const ALICE_AUTH = 'alice:alice-pw';
let world: World;
let dm: Instance;

beforeAll(async () => {
  world = await startWorld('paging', [{ name: 'real.example', serial: 7 }]);
  dm = world.dm;
  await dm.addUser('alice', 'alice-pw', '192.0.2.20');
  await dm.addUser('bob', 'bob-pw', '192.0.2.21');
  const added = await dm.cli(['domain.edit', 'sok=ok', 'name=real.example', `masterip=${world.net.masterIp}`, 'owner=alice']);
  expect(added.stdout).toBe('OK\n');
  const db = new Database(join(dm.root, 'var', 'dnsmgr.db'));
  try {
    const insert = db.prepare(`INSERT INTO zone (name, namespace_id, owner_id, masters, applied_masters, created_at, updated_at)
      SELECT ?, namespace_id, id, '198.51.100.9', '198.51.100.9', 0, 0 FROM account WHERE name = ?`);
    db.transaction(() => {
      // Names out of order, both accounts interleaved.
      for (let i = 0; i < 330; i++) insert.run(`p${String((i * 101) % 330).padStart(3, '0')}.example`, i % 3 === 0 ? 'bob' : 'alice');
    })();
  } finally {
    db.close();
  }
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

type Rows = Record<string, string>[];

async function bjson(params: Record<string, string>, auth = ROOT_AUTH): Promise<{ status: number; body: Record<string, unknown> & { elem?: Rows } }> {
  const r = await dm.http({ authinfo: auth, out: 'bjson', ...params }, 'POST');
  return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> & { elem?: Rows } };
}

async function allPages(params: Record<string, string>, cnt: number, auth = ROOT_AUTH): Promise<Rows> {
  const rows: Rows = [];
  for (let num = 1; ; num++) {
    const { body } = await bjson({ func: 'domain', ...params, p_num: String(num), p_cnt: String(cnt) }, auth);
    expect(body.p_num).toBe(String(num));
    expect(body.p_cnt).toBe(String(cnt));
    rows.push(...(body.elem ?? []));
    if (num * cnt >= Number(body.p_elems)) {
      expect(rows).toHaveLength(Number(body.p_elems));
      return rows;
    }
  }
}

const names = (rows: Rows): string[] => rows.map((r) => `${r.name}/${r.owner}`);

describe('the domain list paged over HTTP', () => {
  it('without paging parameters it is the whole list, by name, with no paging facts (as before)', async () => {
    const { body } = await bjson({ func: 'domain' });
    expect(Object.keys(body)).toEqual(['elem']);
    expect(body.elem).toHaveLength(331);
    expect(names(body.elem ?? [])).toEqual(names(body.elem ?? []).sort());
    expect(body.elem?.find((r) => r.name === 'real.example')?.status).toBeDefined();
  });

  it('pages concatenate to the whole list, in every order asked, both ways', async () => {
    const whole = (await bjson({ func: 'domain' })).body.elem ?? [];
    // Names and owners: real.example's health may change between two requests (serve refreshes it).
    expect(names(await allPages({}, 47))).toEqual(names(whole));
    expect(names(await allPages({ p_sort: 'name', p_order: 'desc' }, 100))).toEqual(names(whole).reverse());
    const byOwner = await allPages({ p_sort: 'owner' }, 64);
    expect(byOwner.map((r) => r.owner)).toEqual(whole.map((r) => r.owner).sort());
    expect(names(byOwner.filter((r) => r.owner === 'bob'))).toEqual(names(whole.filter((r) => r.owner === 'bob')));
    const unpagedDesc = (await bjson({ func: 'domain', p_sort: 'owner', p_order: 'desc' })).body.elem ?? [];
    expect(names(await allPages({ p_sort: 'owner', p_order: 'desc' }, 64))).toEqual(names(unpagedDesc));
  });

  it('filters, then sorts, then pages; a page past the end is empty with the total', async () => {
    const filtered = (await bjson({ func: 'domain', filter: 'on', name: 'p1' })).body.elem ?? [];
    expect(filtered.length).toBe(100);
    expect(names(await allPages({ filter: 'on', name: 'p1', p_order: 'desc' }, 30))).toEqual(names(filtered).reverse());
    const past = await bjson({ func: 'domain', filter: 'on', name: 'p1', p_num: '99', p_cnt: '30' });
    expect(past.body).toEqual({ p_num: '99', p_cnt: '30', p_elems: '100', elem: [] });
  });

  it('an account pages its own zones only', async () => {
    const mine = await allPages({}, 50, ALICE_AUTH);
    expect(mine).toHaveLength(221);
    expect(new Set(mine.map((r) => r.owner))).toEqual(new Set(['alice']));
  });

  it('every other list pages and sorts too (in JavaScript: they are short)', async () => {
    const { body } = await bjson({ func: 'user', p_sort: 'name', p_order: 'desc', p_cnt: '1', p_num: '2' });
    expect(body.p_elems).toBe('2');
    expect(body.elem?.map((r) => r.name)).toEqual(['alice']);
  });

  it.each(['xml', 'json', 'text', 'sjson', 'JSONdata'])('out=%s: a page and the whole list come in the format', async (out) => {
    const page = await dm.http({ authinfo: ROOT_AUTH, func: 'domain', out, p_num: '2', p_cnt: '3' });
    expect(page.status).toBe(200);
    const whole = await dm.http({ authinfo: ROOT_AUTH, func: 'domain', out });
    if (out === 'xml') expect(page.body).toContain('<p_num>2</p_num><p_cnt>3</p_cnt><p_elems>331</p_elems><elem>');
    if (out === 'json') expect((JSON.parse(page.body) as { doc: { p_elems: { $: string }; elem: unknown[] } }).doc.elem).toHaveLength(3);
    if (out === 'text') expect(page.body.split('\n')[0]).toBe('p_num=2 p_cnt=3 p_elems=331');
    if (out === 'JSONdata') expect((JSON.parse(page.body) as Rows).map((r) => r.name)).toEqual((JSON.parse(whole.body) as Rows).slice(3, 6).map((r) => r.name));
    if (out === 'sjson') expect((JSON.parse(whole.body) as { doc: { elem: unknown[] } }).doc.elem).toHaveLength(331);
  });

  it.each<[Record<string, string>, string, string]>([
    [{ p_num: '0' }, 'p_num', '0'],
    [{ p_cnt: '10001' }, 'p_cnt', '10001'],
    [{ p_cnt: 'all' }, 'p_cnt', 'all'],
    [{ p_sort: 'nosuch' }, 'p_sort', 'nosuch'],
    [{ p_order: 'sideways' }, 'p_order', 'sideways'],
  ])('%o is a value error', async (params, param, value) => {
    const r = await dm.http({ authinfo: ROOT_AUTH, func: 'domain', out: 'xml', ...params });
    const e = parseError(r.body, 'xml');
    expect(e.type).toBe('value');
    expect(r.body).toContain(param);
    expect(e.value).toBe(value);
    if (param === 'p_sort') expect(e.message).toContain('name, owner, dtype, masterip, status, reason, serial, updated');
  });
});

describe('the domain list paged on the command line', () => {
  it('pages of text concatenate to the whole list; bad values exit with a value error', async () => {
    const whole = await dm.cli(['domain']);
    expect(whole.exitCode).toBe(0);
    const rows: Rows = [];
    for (let num = 1; num <= 4; num++) {
      const r = await dm.cli(['domain', `p_num=${num}`, 'p_cnt=100']);
      const [facts, ...lines] = r.stdout.split('\n');
      expect(facts).toBe(`p_num=${num} p_cnt=100 p_elems=331`);
      rows.push(...parseTextRows(lines.join('\n')));
    }
    expect(names(rows)).toEqual(names(parseTextRows(whole.stdout)));
    const bad = await dm.cli(['domain', 'p_cnt=0', 'p_sort=x']);
    expect(bad.exitCode).not.toBe(0);
    expect(bad.stdout).toMatch(/^ERROR value/);
  });

  it('the panel\'s handler pages in XML', async () => {
    const r = await dm.handler({ func: 'domain', p_num: '4', p_cnt: '100', p_sort: 'name' }, { user: 'root', level: 30 });
    expect(r.stdout).toContain('<p_num>4</p_num><p_cnt>100</p_cnt><p_elems>331</p_elems>');
    expect(r.stdout.match(/<elem>/g)).toHaveLength(31);
  });
});
