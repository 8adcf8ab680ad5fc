// Issue 8: request shapes real DNSmanager clients send, through the HTTP door as they send them, each answered in the
// shape the client reads, with the success test that client really uses (../shared/reference/clients.md).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseError } from '../helpers/front-doors';
import type { Instance } from '../helpers/dnsmgr';
import { parseTextRows } from '../helpers/dnsmgr';
import { dig, waitFor } from '../helpers/named';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const ALICE = '192.0.2.10';
const BOB = '192.0.2.11';
/** пример.рф as named and the domain list know it. */
const IDN = 'xn--e1afmkfd.xn--p1ai';
let world: World;
let net: TestNet;
let dm: Instance;

beforeAll(async () => {
  world = await startWorld('shapes', [
    { name: 'legacy.example', serial: 11 }, { name: 'yes.example', serial: 12 }, { name: 'bjson.example', serial: 13 },
    { name: 'jsondata.example', serial: 14 }, { name: 'sjson.example', serial: 15 }, { name: 'bob.example', serial: 16 },
    { name: IDN, serial: 17 },
  ]);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE);
  await dm.addUser('bob', 'bob-pw', BOB);
  expect((await dm.cli(['bindip'])).stdout.split('\n')[0]).toBe('OK');
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

async function served(zone: string, on = ALICE): Promise<number> {
  return waitFor(async () => {
    const a = await dig(net.master, on, zone, 'SOA');
    return a.status === 'NOERROR' && a.aa ? a.serial : undefined;
  }, { timeoutMs: 10_000, what: `${zone} served` });
}

describe('older integrations', () => {
  it('master= is the legacy name of masterip, sok=yes submits, and /manager/dnsmgr is the API too', async () => {
    const r = await dm.http({ func: 'domain.edit', sok: 'yes', name: 'legacy.example', master: net.masterIp, authinfo: 'alice:alice-pw', out: 'xml' }, 'GET', '/manager/dnsmgr');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<ok/>');
    expect(await served('legacy.example')).toBe(11);
  });

  it("the panel web interface's own parameters are accepted and mean nothing; any non-empty sok submits", async () => {
    const r = await dm.http({
      func: 'domain.edit', sok: '1', name: 'yes.example', masterip: net.masterIp, sform: 'domain.edit', clicked_button: 'ok',
      progressid: 'x1', 'zoom-ip': ALICE, authinfo: 'alice:alice-pw', out: 'text',
    }, 'POST');
    expect(r.body).toBe('OK\n');
    expect(await served('yes.example')).toBe(12);
    const list = parseTextRows((await dm.http({ func: 'domain', authinfo: 'alice:alice-pw', out: 'text' }, 'GET', '/manager/dnsmgr/')).body);
    expect(list.map((z) => z.name)).toEqual(['legacy.example', 'yes.example']);
  });

  it('a bad master= is refused under its own name and changes nothing', async () => {
    const r = await dm.http({ func: 'domain.edit', sok: 'ok', name: 'bad.example', master: '127.0.0.1', authinfo: 'alice:alice-pw', out: 'xml' });
    expect(parseError(r.body, 'xml')).toMatchObject({ type: 'value', object: 'master', value: '127.0.0.1' });
    expect((await dm.cli(['domain'])).stdout).not.toContain('bad.example');
  });

  it('any other path is not the API', async () => {
    expect((await dm.http({ func: 'domain' }, 'GET', '/manager/ispmgr')).status).toBe(404);
  });
});

const ALICE_AUTH = 'alice:alice-pw';

/** What the hook's _contains sees: the raw body, searched for a literal string. */
function contains(body: string, needle: string): boolean {
  return body.includes(needle);
}

describe('out=bjson, as a certificate tool\'s DNSmanager hook (dns_dnsmgr) uses it', () => {
  it('a form submit answers "ok":true and the zone is served', async () => {
    const r = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.edit', sok: 'ok', name: 'bjson.example', masterip: net.masterIp, out: 'bjson' }, 'POST');
    expect(r.status).toBe(200);
    expect(contains(r.body, '"ok":true'), r.body).toBe(true);
    expect(JSON.parse(r.body)).toEqual({ ok: true });
    expect(await served('bjson.example')).toBe(13);
  });

  it('finds the zone of a name as _get_root does: filter=on&name=<candidate>, looking for "name":"<candidate>"', async () => {
    // _acme-challenge.www.bjson.example: the hook tries www.bjson.example, then bjson.example, then example.
    const found: string[] = [];
    for (const candidate of ['www.bjson.example', 'bjson.example', 'example']) {
      const r = await dm.http({ authinfo: ALICE_AUTH, func: 'domain', filter: 'on', out: 'bjson', name: candidate }, 'POST');
      expect(JSON.parse(r.body).error, r.body).toBeUndefined();
      if (contains(r.body, `"name":"${candidate}"`)) found.push(candidate);
    }
    expect(found).toEqual(['bjson.example']);
  });

  it('a failed submit never says "ok":true: a refused master, a wrong password, a missing function', async () => {
    const refused = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.edit', sok: 'ok', name: 'other.example', masterip: '127.0.0.1', out: 'bjson' }, 'POST');
    expect(contains(refused.body, '"ok":true'), refused.body).toBe(false);
    expect(JSON.parse(refused.body).error).toMatchObject({ type: 'value', object: 'masterip', value: '127.0.0.1' });
    const wrong = await dm.http({ authinfo: 'alice:"ok":true', func: 'domain.edit', sok: 'ok', name: 'other.example', masterip: net.masterIp, out: 'bjson' }, 'POST');
    expect(contains(wrong.body, '"ok":true'), wrong.body).toBe(false);
    expect(JSON.parse(wrong.body).error.type).toBe('auth');
    const missing = await dm.http({ authinfo: ALICE_AUTH, func: '"ok":true', out: 'bjson' }, 'POST');
    expect(contains(missing.body, '"ok":true'), missing.body).toBe(false);
    expect(JSON.parse(missing.body).error.type).toBe('missed');
    expect(parseTextRows((await dm.cli(['domain'])).stdout).map((z) => z.name)).not.toContain('other.example');
  });

  it('the CLI prints the same shape with -o bjson', async () => {
    const r = await dm.cli(['-o', 'bjson', 'domain', 'filter=on', 'name="bjson.example"']);
    expect(JSON.parse(r.stdout).elem.map((z: { name: string }) => z.name)).toEqual(['bjson.example']);
    expect(contains((await dm.cli(['-o', 'bjson', 'domain.edit', 'name=x.example', 'masterip=127.0.0.1', 'sok=ok', 'su=alice'])).stdout, '"ok":true')).toBe(false);
  });
});

describe('out=JSONdata, as another fork of that hook and a billing addon use it', () => {
  it('a submit answers "ok":"", a failure does not', async () => {
    const ok = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.edit', sok: 'ok', name: 'jsondata.example', masterip: net.masterIp, out: 'JSONdata' }, 'POST');
    expect(contains(ok.body, '"ok":""'), ok.body).toBe(true);
    expect(await served('jsondata.example')).toBe(14);
    const bad = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.edit', sok: 'ok', name: '"ok":"".example', masterip: net.masterIp, out: 'JSONdata' }, 'POST');
    expect(contains(bad.body, '"ok":""'), bad.body).toBe(false);
    expect(JSON.parse(bad.body).error).toMatchObject({ type: 'value', object: 'name' });
  });

  it('a list is an array of plain rows: the hook greps "name":"…" and the addon iterates the rows', async () => {
    const r = await dm.http({ authinfo: ALICE_AUTH, func: 'domain', out: 'JSONdata' });
    const names = [...r.body.matchAll(/"name":"([^"]+)"/g)].map((m) => m[1]);
    expect(names).toContain('jsondata.example');
    const rows = JSON.parse(r.body) as Record<string, string>[];
    expect(Array.isArray(rows)).toBe(true);
    expect(rows.find((z) => z.name === 'jsondata.example')).toMatchObject({ owner: 'alice', dtype: 'slave', masterip: net.masterIp });
    expect(contains(r.body, '"ok":""')).toBe(false);
  });
});

describe('out=sjson, as ISPmanager hook scripts read it', () => {
  it('logs in (doc.auth.$id), lists with every value in an array (doc.elem[i].name[0].$), .doc.error null on success', async () => {
    const auth = JSON.parse((await dm.http({ func: 'auth', username: 'alice', password: 'alice-pw', out: 'sjson' }, 'POST')).body);
    const key = auth.doc.auth.$id as string;
    expect(key).toMatch(/^[0-9a-f]{48}$/);
    const add = JSON.parse((await dm.http({ auth: key, func: 'domain.edit', sok: 'ok', name: 'sjson.example', masterip: net.masterIp, out: 'sjson' }, 'POST')).body);
    expect(add.doc.error ?? null).toBeNull();
    expect(add).toEqual({ doc: { ok: {}, messages: {} } });
    expect(await served('sjson.example')).toBe(15);
    const list = JSON.parse((await dm.http({ auth: key, func: 'domain', out: 'sjson' })).body);
    expect(list.doc.error ?? null).toBeNull();
    const names = (list.doc.elem as { name: { $: string }[] }[]).map((e) => e.name[0]?.$);
    expect(names).toContain('sjson.example');
  });

  it('.doc.error is there when the request failed', async () => {
    const r = JSON.parse((await dm.http({ authinfo: ALICE_AUTH, func: 'domain.edit', sok: 'ok', name: 'sjson.example', masterip: '127.0.0.1', out: 'sjson' }, 'POST')).body);
    expect(r.doc.error).toMatchObject({ $type: 'value', $object: 'masterip' });
    expect(r.doc.ok).toBeUndefined();
  });
});

describe('every format says success exactly when the request succeeded', () => {
  const success = { authinfo: ALICE_AUTH, func: 'domain.edit', sok: 'ok', name: 'legacy.example' };
  const formats: [string, (body: string) => boolean][] = [
    ['xml', (b) => !b.includes('<error')],
    ['json', (b) => JSON.parse(b).doc.error === undefined],
    ['text', (b) => b.includes('OK') && !b.includes('ERROR')],
    ['sjson', (b) => JSON.parse(b).doc.error === undefined],
    ['bjson', (b) => b.includes('"ok":true')],
    ['JSONdata', (b) => b.includes('"ok":""')],
  ];

  it.each(formats)('out=%s', async (out, succeeded) => {
    // The same zone with the same master again changes nothing and succeeds; a master on loopback is refused.
    const good = await dm.http({ ...success, masterip: net.masterIp, out }, 'POST');
    expect(succeeded(good.body), good.body).toBe(true);
    const bad = await dm.http({ ...success, masterip: '127.0.0.1', out }, 'POST');
    expect(succeeded(bad.body), bad.body).toBe(false);
    const unauthenticated = await dm.http({ ...success, masterip: net.masterIp, authinfo: 'alice:wrong', out }, 'POST');
    expect(succeeded(unauthenticated.body), unauthenticated.body).toBe(false);
  });

  it('an unknown out is refused in XML, the panel default, which every client can read', async () => {
    const r = await dm.http({ authinfo: ALICE_AUTH, func: 'domain', out: 'yaml' });
    expect(r.status).toBe(200);
    expect(parseError(r.body, 'xml')).toMatchObject({ type: 'value', object: 'out', value: 'yaml' });
    expect(r.body).toContain('JSONdata');
  });
});

// A client that types an IDN into a URL sends its UTF-8 bytes as they are; fetch would %-encode them, so a raw socket.
const RAW_CLIENT = `
const net = require('node:net');
const request = Buffer.from(process.argv[1], 'base64');
// "half": the client's side ends right after the request, as \`printf … | nc\` does.
const socket = net.connect(Number(process.argv[2]), '127.0.0.1', () => (process.argv[3] === 'half' ? socket.end(request) : socket.write(request)));
const chunks = [];
socket.on('data', (c) => chunks.push(c));
socket.on('end', () => process.stdout.write(Buffer.concat(chunks).toString('base64')));
socket.on('error', (e) => { process.stderr.write(String(e)); process.exit(2); });
`;

/** Sends the bytes as they are and returns the status and the body (chunked transfer decoded). */
async function rawHttp(request: Buffer, halfClose = false): Promise<{ status: number; body: string }> {
  const r = await nsExec(dm.ns, process.execPath, ['-e', RAW_CLIENT, request.toString('base64'), '1500', ...(halfClose ? ['half'] : [])], { timeout: 30_000 });
  const response = Buffer.from(String(r.stdout), 'base64');
  const split = response.indexOf('\r\n\r\n');
  expect(split, response.toString('utf8')).toBeGreaterThan(0);
  const head = response.subarray(0, split).toString('latin1');
  let body = response.subarray(split + 4);
  if (/^transfer-encoding: chunked$/im.test(head)) {
    const parts: Buffer[] = [];
    for (let at = 0; ;) {
      const eol = body.indexOf('\r\n', at);
      const size = parseInt(body.subarray(at, eol).toString('latin1'), 16);
      if (!size) break;
      parts.push(body.subarray(eol + 2, eol + 2 + size));
      at = eol + 2 + size + 2;
    }
    body = Buffer.concat(parts);
  }
  return { status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), body: body.toString('utf8') };
}

function rawGet(query: string): Buffer {
  return Buffer.from(`GET /dnsmgr?${query} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n`, 'utf8');
}

describe('raw UTF-8 in the query string', () => {
  it('an IDN typed into the URL is read as UTF-8: the zone is added under its punycode name and served', async () => {
    const r = await rawHttp(rawGet(`func=domain.edit&sok=ok&name=пример.рф&masterip=${net.masterIp}&authinfo=${ALICE_AUTH}&out=xml`));
    expect(r.status).toBe(200);
    expect(r.body).toContain('<ok/>');
    expect(await served(IDN)).toBe(17);
  });

  it('a list filtered by a raw name answers normally, in any format', async () => {
    const r = await rawHttp(rawGet(`func=domain&filter=on&name=${IDN}&comment=тест&authinfo=${ALICE_AUTH}&out=bjson`));
    expect(JSON.parse(r.body).error).toMatchObject({ type: 'value', object: 'comment', value: 'тест' });
    const ok = await rawHttp(rawGet(`func=domain&filter=on&name=${IDN}&authinfo=${ALICE_AUTH}&out=bjson`));
    expect(JSON.parse(ok.body).elem.map((z: { name: string }) => z.name)).toEqual([IDN]);
  });

  it('a client that half-closes after its request still gets the answer, raw bytes or not', async () => {
    // authinfo= costs a bcrypt check: the answer comes well after the client's FIN.
    const ascii = await rawHttp(rawGet(`func=domain&authinfo=${ALICE_AUTH}&out=text`), true);
    expect(ascii.status).toBe(200);
    expect(ascii.body).toMatch(/^name=/m);
    const raw = await rawHttp(rawGet(`func=domain&filter=on&name=${IDN}&comment=тест&authinfo=${ALICE_AUTH}&out=bjson`), true);
    expect(JSON.parse(raw.body).error).toMatchObject({ type: 'value', object: 'comment' });
  });

  it('bytes that are not UTF-8 get a COREmanager error, not an empty reply', async () => {
    const latin1 = Buffer.concat([Buffer.from('GET /dnsmgr?func=domain.edit&sok=ok&name=caf'), Buffer.from([0xe9]), Buffer.from(`.example&masterip=${net.masterIp}&authinfo=${ALICE_AUTH} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`)]);
    const r = await rawHttp(latin1);
    expect(r.status).toBe(200);
    expect(parseError(r.body, 'xml')).toMatchObject({ type: 'value', object: 'name' });
  });

  it('a POST whose address holds raw bytes is read with its body: the delete report names the zone', async () => {
    const body = `authinfo=${ALICE_AUTH}&out=text`;
    const request = Buffer.from(`POST /dnsmgr?func=domain.delete&elid=пример.рф HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`, 'utf8');
    const r = await rawHttp(request);
    expect(r.body).toBe(`OK\ndeleted=${IDN}\n`);
    expect(parseTextRows((await dm.cli(['domain'])).stdout).map((z) => z.name)).not.toContain(IDN);
  });
});

describe('lists filtered with filter=on', () => {
  const names = async (params: Record<string, string>, auth = ALICE_AUTH): Promise<string[]> => {
    const r = await dm.http({ authinfo: auth, out: 'text', ...params });
    expect(r.body, r.body).not.toMatch(/^ERROR/);
    return parseTextRows(r.body).map((row) => row.name ?? '');
  };

  it('a value matches the rows whose column contains it, letters in any case; in double quotes, the whole column', async () => {
    expect(await names({ func: 'domain', filter: 'on', name: 'legacy.example' })).toEqual(['legacy.example']);
    expect(await names({ func: 'domain', filter: 'on', name: 'JsOn' })).toEqual(['bjson.example', 'jsondata.example', 'sjson.example']);
    expect(await names({ func: 'domain', filter: 'on', name: 'SON.EXAMPLE' })).toEqual(['bjson.example', 'sjson.example']);
    expect(await names({ func: 'domain', filter: 'on', name: '"JSON.example"' })).toEqual([]);
    expect(await names({ func: 'domain', filter: 'on', name: '"SJSON.example"' })).toEqual(['sjson.example']);
  });

  it('any column, several at once (all must match); an empty value asks nothing', async () => {
    expect(await names({ func: 'domain', filter: 'on', name: 'json', owner: '"alice"', dtype: 'slave', status: '' })).toEqual(['bjson.example', 'jsondata.example', 'sjson.example']);
    expect(await names({ func: 'domain', filter: 'on', masterip: '127.0.0.1' })).toEqual([]);
  });

  it("never shows another account's zones", async () => {
    expect((await dm.http({ authinfo: 'bob:bob-pw', func: 'domain.edit', sok: 'ok', name: 'bob.example', masterip: net.masterIp, out: 'text' })).body).toBe('OK\n');
    expect(await served('bob.example', BOB)).toBe(16);
    expect(await names({ func: 'domain', filter: 'on', name: 'bob.example' })).toEqual([]);
    expect(await names({ func: 'domain', filter: 'on', name: 'bob.example' }, 'bob:bob-pw')).toEqual(['bob.example']);
  });

  it('without filter=on the column parameters mean nothing, as before', async () => {
    expect((await names({ func: 'domain', name: 'legacy.example' })).length).toBeGreaterThan(1);
    expect((await names({ func: 'domain', filter: 'off', name: 'legacy.example' })).length).toBeGreaterThan(1);
  });

  it('every list: accounts, addresses, namespaces', async () => {
    expect(await names({ func: 'user', filter: 'on', name: 'ali' }, 'root:root-secret')).toEqual(['alice']);
    expect(await names({ func: 'ipaddr', filter: 'on', name: `"${BOB}"` }, 'root:root-secret')).toEqual([BOB]);
    expect((await names({ func: 'namespace', filter: 'on', owner: 'bob' }, 'root:root-secret')).length).toBe(1);
  });

  it('a column the list does not have, or a filter that is neither on nor off, is a value error that names it', async () => {
    const unknown = await dm.http({ authinfo: ALICE_AUTH, func: 'domain', filter: 'on', nosuch: 'x', out: 'json' });
    expect(parseError(unknown.body, 'json')).toMatchObject({ type: 'value', object: 'nosuch', value: 'x' });
    expect(parseError(unknown.body, 'json').message).toContain('name, owner, dtype');
    const mode = await dm.http({ authinfo: ALICE_AUTH, func: 'domain', filter: 'maybe', out: 'xml' });
    expect(parseError(mode.body, 'xml')).toMatchObject({ type: 'value', object: 'filter', value: 'maybe' });
    const cli = await dm.cli(['user', 'filter=on', 'nme=alice']);
    expect(parseError(cli.stdout, 'text')).toMatchObject({ type: 'value', object: 'nme' });
  });
});

describe('deleting names', () => {
  it("another account's zone answers exactly as a name that does not exist, in every format, and stays", async () => {
    for (const out of ['xml', 'json', 'text', 'sjson', 'bjson', 'JSONdata']) {
      const foreign = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'bob.example', out });
      const missing = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'missing.example', out });
      expect(foreign.body, out).toBe(missing.body);
    }
    expect((await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'bob.example', out: 'text' })).body).toBe('OK\n');
    expect((await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'bob.example', out: 'bjson' })).body).toBe('{"ok":true}\n');
    expect(await served('bob.example', BOB)).toBe(16);
  });

  it('the answer lists the names actually deleted, after the ok every client looks for', async () => {
    const r = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'yes.example, missing.example, bob.example', out: 'json' });
    expect(JSON.parse(r.body)).toEqual({ doc: { ok: {}, messages: {}, elem: [{ deleted: { $: 'yes.example' } }] } });
    const b = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'legacy.example', out: 'bjson' });
    expect(contains(b.body, '"ok":true')).toBe(true);
    expect(JSON.parse(b.body).elem).toEqual([{ deleted: 'legacy.example' }]);
    const x = await dm.http({ authinfo: ALICE_AUTH, func: 'domain.delete', elid: 'jsondata.example', out: 'xml' });
    expect(x.body).toContain('<doc><ok/><elem><deleted>jsondata.example</deleted></elem></doc>');
    expect(await served('bob.example', BOB)).toBe(16);
    expect(parseTextRows((await dm.cli(['domain', 'su=alice'])).stdout).map((z) => z.name)).toEqual(['bjson.example', 'sjson.example']);
  });
});

describe('ending a session', () => {
  const login = async (user: string, password: string): Promise<string> =>
    JSON.parse((await dm.http({ func: 'auth', username: user, password, out: 'json' }, 'POST')).body).doc.auth.$ as string;
  const works = async (key: string): Promise<boolean> => {
    const r = await dm.http({ auth: key, func: 'domain', out: 'json' });
    return JSON.parse(r.body).doc.error?.$type !== 'auth';
  };

  it('func=logout ends the session given as auth=; the key is refused afterwards', async () => {
    const key = await login('alice', 'alice-pw');
    expect(await works(key)).toBe(true);
    const r = await dm.http({ auth: key, func: 'logout', out: 'bjson' });
    expect(contains(r.body, '"ok":true'), r.body).toBe(true);
    const after = await dm.http({ auth: key, func: 'domain', out: 'xml' });
    expect(parseError(after.body, 'xml').type).toBe('auth');
    expect(parseError((await dm.http({ auth: key, func: 'logout', out: 'xml' })).body, 'xml').type).toBe('auth');
  });

  it('session.delete ends the sessions named: the caller\'s own, anyone\'s for an administrator', async () => {
    const a1 = await login('alice', 'alice-pw');
    const a2 = await login('alice', 'alice-pw');
    const b1 = await login('bob', 'bob-pw');
    expect((await dm.http({ auth: a1, func: 'session.delete', elid: `${a2}, ${b1}`, out: 'text' })).body).toBe('OK\n');
    expect([await works(a1), await works(a2), await works(b1)]).toEqual([true, false, true]);
    expect((await dm.http({ authinfo: 'root:root-secret', func: 'session.delete', elid: b1, out: 'text' })).body).toBe('OK\n');
    expect(await works(b1)).toBe(false);
    const bad = await dm.http({ auth: a1, func: 'session.delete', elid: 'not-a-key', out: 'xml' });
    expect(parseError(bad.body, 'xml')).toMatchObject({ type: 'value', object: 'elid', value: 'not-a-key' });
    expect(await works(a1)).toBe(true);
  });
});
