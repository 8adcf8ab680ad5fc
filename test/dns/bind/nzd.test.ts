import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../../src/errors';
import { listNzdZones, mergeNzdDump, parseNzf } from '../../../src/dns/bind/nzd';

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

describe('mergeNzdDump', () => {
  const dump = [
    'VERSION=3', 'format=print', 'type=btree', 'mapsize=33554432', 'maxreaders=126', 'db_pagesize=4096', 'HEADER=END',
    ' a.example', ' { type slave; file "/z/a.example.db"; masters { 192.0.2.1; }; }',
    ' b.example', ' { type slave; file "/z/b.example.db"; masters { 192.0.2.1; }; }',
    ' odd\\5cname', ' { type slave; file "/z/odd.db"; masters { 192.0.2.1; }; }',
    'DATA=END', '',
  ].join('\n');
  const clause = (name: string, master: string): string => `{ type slave; file "/z/${name}.db"; masters { ${master}; }; };`;

  it('puts, replaces and removes zones, keeping the rest as they were, in mdb_load\'s form with the given map size', () => {
    const { text, held } = mergeNzdDump(dump, {
      put: [{ name: 'b.example', clause: clause('b.example', '192.0.2.2') }, { name: 'c.example', clause: clause('c.example', '192.0.2.3') }],
      remove: ['a.example', 'missing.example'],
    }, 1024 ** 3);
    expect([...held]).toEqual(['a.example', 'b.example', 'odd\\name']);
    expect(text).toBe([
      'VERSION=3', 'format=print', 'type=btree', 'mapsize=1073741824', 'HEADER=END',
      ' b.example', ' { type slave; file "/z/b.example.db"; masters { 192.0.2.2; }; }',
      ' odd\\5cname', ' { type slave; file "/z/odd.db"; masters { 192.0.2.1; }; }',
      ' c.example', ' { type slave; file "/z/c.example.db"; masters { 192.0.2.3; }; }',
      'DATA=END', '',
    ].join('\n'));
  });

  it('puts a change marked ifHeld only over a zone the database has', () => {
    const { text } = mergeNzdDump(dump, { put: [{ name: 'gone.example', clause: clause('gone.example', '192.0.2.9'), ifHeld: true }], remove: [] }, 1);
    expect(text).not.toContain('gone.example');
  });

  it('writes bytes outside printable ASCII, and backslashes, escaped', () => {
    const { text } = mergeNzdDump('HEADER=END\nDATA=END\n', { put: [{ name: 'x\\y', clause: '{ a;\n}' }], remove: [] }, 1);
    expect(text).toContain(' x\\\\y\n { a;\\0a}\n');
  });

  it('reads an empty database', () => {
    expect(mergeNzdDump('VERSION=3\nformat=print\nHEADER=END\nDATA=END\n', { put: [], remove: ['a'] }, 1)).toEqual({
      text: 'VERSION=3\nformat=print\ntype=btree\nmapsize=1\nHEADER=END\nDATA=END\n', held: new Set(),
    });
  });
});
