import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../../src/errors';
import { keepRewrite, listNzdZones, mergeNzdDump, parseNzf, restoreRewrite, rewriteNzd } from '../../../src/dns/bind/nzd';

// Captured from named-nzd2nzf (BIND 9.18) after `rndc addzone`/`modzone` of a slave and a secondary zone, the second
// with `primaries` and an IPv6 address, and of "Example.ORG.", which named stores lowercased without the final dot.
const NZD2NZF_OUTPUT = [
  'zone "example.com" { type slave; file "/tmp/x/slave/alice/example.com.db"; masters { 198.51.100.9; 198.51.100.10; }; };',
  'zone "example.net" { type secondary; file "/tmp/x/slave/alice/example.net.db"; primaries { 198.51.100.3; 2001:db8::1; }; };',
  'zone "example.org" { type slave; file "/tmp/x/slave/alice/example.org.db"; masters { 192.0.2.1; }; };',
].join('\n');

describe('parseNzf', () => {
  it('reads what named-nzd2nzf prints', () => {
    expect(parseNzf(NZD2NZF_OUTPUT)).toEqual([
      { name: 'example.com', masters: ['198.51.100.9', '198.51.100.10'], queryOn: [], allowTransfer: [] },
      { name: 'example.net', masters: ['198.51.100.3', '2001:db8::1'], queryOn: [], allowTransfer: [] },
      { name: 'example.org', masters: ['192.0.2.1'], queryOn: [], allowTransfer: [] },
    ]);
  });

  it('reads one zone with masters after the file', () => {
    const line = 'zone "example.com" { type slave; file "/tmp/x/slave/alice/example.com.db"; masters { 198.51.100.2; }; };';
    expect(parseNzf(line)).toEqual([{ name: 'example.com', masters: ['198.51.100.2'], queryOn: [], allowTransfer: [] }]);
  });

  it('reads primaries as masters', () => {
    const line = 'zone "example.com" { type secondary; file "/tmp/x/a.db"; primaries { 2001:db8::2; }; };';
    expect(parseNzf(line)).toEqual([{ name: 'example.com', masters: ['2001:db8::2'], queryOn: [], allowTransfer: [] }]);
  });

  it('reads the clause dnsmgr itself sends (masters before the file)', () => {
    const line = 'zone "example.com" { type slave; masters { 192.0.2.1; 2001:db8::1; }; file "/srv/a.db"; };';
    expect(parseNzf(line)).toEqual([{ name: 'example.com', masters: ['192.0.2.1', '2001:db8::1'], queryOn: [], allowTransfer: [] }]);
  });

  it('normalizes the name: lowercase, no final dot', () => {
    expect(parseNzf('zone "Example.COM." { type slave; masters { 192.0.2.1; }; };')).toEqual([
      { name: 'example.com', masters: ['192.0.2.1'], queryOn: [], allowTransfer: [] },
    ]);
  });

  it('tolerates a final newline, blank lines, surrounding white space and CRLF', () => {
    const text = `\n  ${NZD2NZF_OUTPUT.split('\n').join('\r\n')}\r\n\n`;
    expect(parseNzf(text).map((z) => z.name)).toEqual(['example.com', 'example.net', 'example.org']);
  });

  it('gives an empty masters list for a zone without one', () => {
    expect(parseNzf('zone "example.com" { type slave; file "/tmp/a.db"; };')).toEqual([{ name: 'example.com', masters: [], queryOn: [], allowTransfer: [] }]);
  });

  it('reads the ACLs as named writes them back: single addresses without /32 or /128, none as an empty list', () => {
    // Captured from named-nzd2nzf (BIND 9.18.49) after addzone with allow-query-on { 203.0.113.1; 2001:db8::1; } and
    // allow-transfer { none; }, and with allow-query-on { none; } and allow-transfer { 198.51.100.0/24; any; }.
    const text = [
      'zone "a.example" { type slave; file "a.db"; masters { 192.0.2.1; }; allow-query-on { 203.0.113.1/32; 2001:db8::1/128; }; allow-transfer  { "none"; }; };',
      'zone "b.example" { type slave; file "b.db"; masters { 192.0.2.1; }; allow-query-on { "none"; }; allow-transfer  { 198.51.100.0/24; "any"; }; };',
    ].join('\n');
    expect(parseNzf(text)).toEqual([
      { name: 'a.example', masters: ['192.0.2.1'], queryOn: ['203.0.113.1', '2001:db8::1'], allowTransfer: [] },
      { name: 'b.example', masters: ['192.0.2.1'], queryOn: [], allowTransfer: ['198.51.100.0/24', 'any'] },
    ]);
  });

  it('reads a master zone\'s transfer list without its slave servers\' nested list and dnsmgr\'s key', () => {
    // As rndc showzone printed a master zone with slave servers (BIND 9.18.49).
    const line = 'zone "early.example" { type master; file "e.db"; allow-query-on { 192.0.2.10/32; }; allow-transfer  { key "dnsmgr-update-_dnsmgr"; { 198.51.100.1/32; 203.0.113.53/32; }; 192.0.2.0/24; }; allow-update { key "dnsmgr-update-_dnsmgr"; }; also-notify { 203.0.113.53; }; notify explicit; notify-source 192.0.2.10; };';
    expect(parseNzf(line)).toEqual([{ name: 'early.example', type: 'master', masters: [], queryOn: ['192.0.2.10'], allowTransfer: ['192.0.2.0/24'] }]);
    expect(parseNzf(line.replace(' 192.0.2.0/24;', ''))[0]?.allowTransfer).toEqual([]);
  });

  it('skips lines that are not a zone statement', () => {
    expect(parseNzf('')).toEqual([]);
    expect(parseNzf('# comment\nnot a zone\nzone "broken" {')).toEqual([]);
  });
});

describe('listNzdZones', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-nzd-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  /** A stand-in for named-nzd2nzf: prints `stdout` or fails, and records the file it was given. */
  function fakeTool(name: string, script: string): string {
    const file = join(tmp, name);
    writeFileSync(file, `#!/bin/sh\n${script}\n`);
    chmodSync(file, 0o755);
    return file;
  }

  it('is empty without running the tool when the view has no database yet', async () => {
    await expect(listNzdZones(join(tmp, 'missing.nzd'), join(tmp, 'no-such-tool'))).resolves.toEqual([]);
  });

  it('parses what the tool prints for the database file', async () => {
    const nzd = join(tmp, '_dnsmgr.nzd');
    writeFileSync(nzd, '');
    writeFileSync(join(tmp, 'output.txt'), `${NZD2NZF_OUTPUT}\n`);
    const tool = fakeTool('nzd2nzf-ok', `[ "$1" = "${nzd}" ] || exit 9\ncat "${join(tmp, 'output.txt')}"`);
    const zones = await listNzdZones(nzd, tool);
    expect(zones.map((z) => z.name)).toEqual(['example.com', 'example.net', 'example.org']);
  });

  it('throws a ToolError when the tool fails', async () => {
    const nzd = join(tmp, 'bob.nzd');
    writeFileSync(nzd, '');
    const tool = fakeTool('nzd2nzf-fail', 'echo "mdb_env_open: No such file" >&2; exit 1');
    const err = await listNzdZones(nzd, tool).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).exitCode).toBe(1);
    expect((err as ToolError).stderr).toContain('mdb_env_open');
  });
});

describe('rewriteNzd, with the real mdb_dump and mdb_load', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-nzd-rewrite-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const tools = { load: 'mdb_load', dump: 'mdb_dump' };
  const clause = (name: string, master: string): string => `{ type slave; file "/z/${name}.db"; masters { ${master}; }; };`;
  /** The database's entries as named would read them: name -> clause. */
  const entries = (file: string): Map<string, string> => {
    const { text } = mergeNzdDump(execFileSync('mdb_dump', ['-n', file], { encoding: 'latin1' }), { put: [], remove: [] }, 1);
    rmSync(`${file}-lock`, { force: true });
    const lines = text.split('\n');
    const out = new Map<string, string>();
    for (let i = lines.indexOf('HEADER=END') + 1; lines[i] !== 'DATA=END'; i += 2) {
      out.set(Buffer.from((lines[i] as string).slice(1), 'hex').toString('latin1'), Buffer.from((lines[i + 1] as string).slice(1), 'hex').toString('latin1'));
    }
    return out;
  };
  /** A database made the way named would have it: zones put into an empty one. */
  const made = (file: string, put: { name: string; clause: string }[]): void => {
    execFileSync('mdb_load', ['-n', file], { input: mergeNzdDump('HEADER=END\nDATA=END\n', { put, remove: [] }, 1024 ** 3).text });
    rmSync(`${file}-lock`, { force: true });
  };

  it('puts, replaces and removes zones and keeps the rest byte for byte, backslashes and all, owner and mode kept', async () => {
    const file = join(dir, 'a.nzd');
    made(file, [
      { name: 'a.example', clause: clause('a.example', '192.0.2.1') },
      { name: 'b.example', clause: clause('b.example', '192.0.2.1') },
      { name: 'odd\\name', clause: '{ type slave; file "/z/x\\y.db"; masters { 192.0.2.1; }; }' },
    ]);
    chmodSync(file, 0o640);
    const held = await rewriteNzd(file, {
      put: [
        { name: 'b.example', clause: clause('b.example', '192.0.2.2') },
        { name: 'c.example', clause: clause('c.example', '192.0.2.3') },
        { name: 'gone.example', clause: clause('gone.example', '192.0.2.9'), ifHeld: true },
      ],
      remove: ['a.example', 'missing.example'],
    }, 1024 ** 3, tools);
    expect([...held].sort()).toEqual(['a.example', 'b.example', 'odd\\name']);
    expect(entries(file)).toEqual(new Map([
      ['b.example', '{ type slave; file "/z/b.example.db"; masters { 192.0.2.2; }; }'],
      ['c.example', '{ type slave; file "/z/c.example.db"; masters { 192.0.2.3; }; }'],
      ['odd\\name', '{ type slave; file "/z/x\\y.db"; masters { 192.0.2.1; }; }'],
    ]));
    expect(statSync(file).mode & 0o777).toBe(0o640);
    expect(readdirSync(dir).sort(), 'no dump, load or lock file left; the old database kept until named has read the new').toEqual(['a.nzd', 'a.nzd.dnsmgr-old']);
    expect(entries(`${file}.dnsmgr-old`).has('a.example')).toBe(true);
    keepRewrite(file);
    expect(readdirSync(dir)).toEqual(['a.nzd']);
  });

  it('puts the old database back when named refuses the new one', async () => {
    const file = join(dir, 'b.nzd');
    made(file, [{ name: 'a.example', clause: clause('a.example', '192.0.2.1') }]);
    await rewriteNzd(file, { put: [], remove: ['a.example'] }, 1024 ** 3, tools);
    expect(entries(file).size).toBe(0);
    restoreRewrite(file);
    expect([...entries(file).keys()]).toEqual(['a.example']);
  });

  it('fails, leaving the database as it was and no file beside it, when a tool fails', async () => {
    const file = join(dir, 'c.nzd');
    made(file, [{ name: 'a.example', clause: clause('a.example', '192.0.2.1') }]);
    const before = readFileSync(file);
    await expect(rewriteNzd(file, { put: [], remove: ['a.example'] }, 1024 ** 3, { ...tools, load: 'false' })).rejects.toBeInstanceOf(ToolError);
    expect(readFileSync(file).equals(before)).toBe(true);
    expect(readdirSync(dir).filter((f) => f.startsWith('c.nzd'))).toEqual(['c.nzd']);
  });
});

describe('mergeNzdDump', () => {
  it('reads mdb_dump\'s hex form and writes mdb_load\'s, with the given map size', () => {
    const hex = (t: string): string => Buffer.from(t, 'latin1').toString('hex');
    const dump = ['VERSION=3', 'format=bytevalue', 'type=btree', 'mapsize=33554432', 'maxreaders=126', 'db_pagesize=4096', 'HEADER=END',
      ` ${hex('a.example')}`, ` ${hex('{ a }')}`, 'DATA=END', ''].join('\n');
    expect(mergeNzdDump(dump, { put: [{ name: 'b.example', clause: '{ b };' }], remove: [] }, 7)).toEqual({
      text: ['VERSION=3', 'format=bytevalue', 'type=btree', 'mapsize=7', 'HEADER=END',
        ` ${hex('a.example')}`, ` ${hex('{ a }')}`, ` ${hex('b.example')}`, ` ${hex('{ b }')}`, 'DATA=END', ''].join('\n'),
      held: new Set(['a.example']),
    });
  });
});
