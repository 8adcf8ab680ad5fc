// dnsmgr.conf codec. Golden cases in test/golden/conf/NNN-what/: input.conf must survive parse → render byte for
// byte, entries.json records which lines are entries, and edit cases apply edits.json and compare with expected.conf.
//
// Line endings: the text is split on \n only, so a CRLF file keeps each \r as the last character of its raw line and
// renders back unchanged; values never include it. An edited line keeps its \r, and lines added to a CRLF file get one.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ConfDoc, ConfKind } from '../../src/files/conf-codec';
import { getConf, hasOption, parseConf, renderConf, setConf, setOption } from '../../src/files/conf-codec';
import { DEFAULT_DNSMGR_CONF } from '../../src/files/default-conf';
import { expectGolden } from '../helpers/golden';

const CONF_GOLDEN_DIR = fileURLToPath(new URL('../golden/conf/', import.meta.url));

type Edit =
  | { op: 'set'; kind: ConfKind; name: string; value: string }
  | { op: 'remove'; kind: ConfKind; name: string }
  | { op: 'option'; name: string; on: boolean };

interface ConfCase {
  name: string;
  dir: string;
  input: string;
  edits?: Edit[];
}

const cases: ConfCase[] = readdirSync(CONF_GOLDEN_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(CONF_GOLDEN_DIR, entry.name, 'input.conf')))
  .map((entry) => entry.name)
  .sort()
  .map((name) => {
    const dir = join(CONF_GOLDEN_DIR, name);
    const editsFile = join(dir, 'edits.json');
    const input = readFileSync(join(dir, 'input.conf'), 'utf8');
    return existsSync(editsFile)
      ? { name, dir, input, edits: JSON.parse(readFileSync(editsFile, 'utf8')) as Edit[] }
      : { name, dir, input };
  });
const editCases = cases.filter((c): c is ConfCase & { edits: Edit[] } => c.edits !== undefined);

function applyEdits(doc: ConfDoc, edits: readonly Edit[]): ConfDoc {
  return edits.reduce((d, e) => {
    switch (e.op) {
      case 'set': return setConf(d, e.kind, e.name, e.value);
      case 'remove': return setConf(d, e.kind, e.name, undefined);
      case 'option': return setOption(d, e.name, e.on);
    }
  }, doc);
}

/** The parsed entries with their 1-based line numbers: what the file means, as the golden entries.json records it. */
function describeEntries(doc: ConfDoc): string {
  const entries = doc.lines.flatMap((l, i) => (l.entry ? [{ line: i + 1, ...l.entry }] : []));
  return `${JSON.stringify(entries, null, 2)}\n`;
}

/** Entries only, without line numbers or raw text: what a round trip must preserve. */
function entriesOf(doc: ConfDoc): unknown[] {
  return doc.lines.flatMap((l) => (l.entry ? [l.entry] : []));
}

function touches(line: ConfDoc['lines'][number], edits: readonly Edit[]): boolean {
  const e = line.entry;
  if (!e) return false;
  return edits.some((edit) => {
    const kind = edit.op === 'option' ? 'option' : edit.kind;
    return e.kind === kind && e.name.toLowerCase() === edit.name.toLowerCase();
  });
}

describe('dnsmgr.conf golden cases', () => {
  it('finds the cases', () => {
    if (cases.length === 0) throw new Error(`no case folders with input.conf under ${CONF_GOLDEN_DIR}`);
    expect(editCases.length).toBeGreaterThan(0);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    it('renders back byte for byte', () => {
      expect(renderConf(parseConf(c.input))).toBe(c.input);
    });

    it('parses to the recorded entries', () => {
      expectGolden(join(c.dir, 'entries.json'), describeEntries(parseConf(c.input)));
    });
  });

  describe.each(editCases.map((c) => [c.name, c] as const))('%s edits', (_name, c) => {
    const once = renderConf(applyEdits(parseConf(c.input), c.edits));

    it('give the expected file', () => {
      expectGolden(join(c.dir, 'expected.conf'), once);
    });

    it('are idempotent: applying them again changes nothing', () => {
      expect(renderConf(applyEdits(parseConf(once), c.edits))).toBe(once);
      expect(renderConf(applyEdits(applyEdits(parseConf(c.input), c.edits), c.edits))).toBe(once);
    });

    it('leave every line they do not edit byte-identical and in order', () => {
      const untouched = (text: string): string[] => parseConf(text).lines.filter((l) => !touches(l, c.edits)).map((l) => l.raw);
      expect(untouched(once)).toEqual(untouched(c.input));
    });

    it('produce a file that parses to what the edited document holds', () => {
      const edited = applyEdits(parseConf(c.input), c.edits);
      expect(entriesOf(parseConf(renderConf(edited)))).toEqual(entriesOf(edited));
    });
  });
});

describe('getConf and hasOption', () => {
  const doc = parseConf(readFileSync(join(CONF_GOLDEN_DIR, '003-option-path-unknown-duplicates', 'input.conf'), 'utf8'));

  it('lets the last of duplicate keys win, names compared without case', () => {
    expect(getConf(doc, 'key', 'RndcPort')).toBe('955');
    expect(getConf(doc, 'key', 'RNDCPORT')).toBe('955');
  });

  it('keeps keys, options and paths apart', () => {
    expect(getConf(doc, 'path', 'NamedConf')).toBe('/etc/bind/named.conf');
    expect(getConf(doc, 'key', 'NamedConf')).toBeUndefined();
    expect(getConf(doc, 'path', 'NamedViews')).toBe('/etc/bind/dnsmgr-views.conf');
    expect(getConf(doc, 'path', 'EmptyPath')).toBe('');
    expect(hasOption(doc, 'forcereconfig')).toBe(true);
    expect(hasOption(doc, 'Upper')).toBe(true);
    expect(hasOption(doc, 'RndcPort')).toBe(false);
  });

  it('keeps unknown keys, with the whole rest of the line as the value', () => {
    expect(getConf(doc, 'key', 'SomethingUnknown')).toBe('with several words of value');
    expect(getConf(doc, 'key', 'BareKey')).toBe('');
  });

  it('does not see keys inside block comments', () => {
    const hidden = parseConf(readFileSync(join(CONF_GOLDEN_DIR, '005-key-in-block-comment', 'input.conf'), 'utf8'));
    expect(getConf(hidden, 'key', 'NetworkInterface')).toBeUndefined();
    expect(getConf(hidden, 'key', 'RndcServer')).toBeUndefined();
    expect(getConf(hidden, 'key', 'Hidden')).toBeUndefined();
    expect(getConf(hidden, 'key', 'RndcPort')).toBe('953');
    expect(getConf(hidden, 'key', 'Visible')).toBe('yes');
  });

  it('reads CRLF files without the \\r in values', () => {
    const crlf = parseConf('NetworkInterface eth1\r\nOption ForceReconfig\r\npath Database /srv/db\r\n');
    expect(getConf(crlf, 'key', 'NetworkInterface')).toBe('eth1');
    expect(getConf(crlf, 'path', 'Database')).toBe('/srv/db');
    expect(hasOption(crlf, 'ForceReconfig')).toBe(true);
  });
});

describe('setConf and setOption', () => {
  it('do not change the document they are given', () => {
    const text = 'RndcPort 953\nOption A\n';
    const doc = parseConf(text);
    setConf(doc, 'key', 'RndcPort', '954');
    setConf(doc, 'key', 'New', 'x');
    setOption(doc, 'A', false);
    expect(renderConf(doc)).toBe(text);
  });

  it('return the same document when the option is already as asked', () => {
    const doc = parseConf('Option A\n');
    expect(setOption(doc, 'a', true)).toBe(doc);
    expect(setOption(doc, 'B', false)).toBe(doc);
  });

  it('give a CRLF file without a final newline CRLF line endings when appending', () => {
    const doc = setConf(parseConf('A 1\r\nB 2'), 'key', 'C', '3');
    expect(renderConf(doc)).toBe('A 1\r\nB 2\r\nC 3');
    expect(getConf(doc, 'key', 'B')).toBe('2');
  });

  it('append LF lines to a file whose line endings are mixed', () => {
    expect(renderConf(setConf(parseConf('A 1\r\nB 2\n'), 'key', 'C', '3'))).toBe('A 1\r\nB 2\nC 3\n');
  });

  it('write a key with an empty value as the bare key', () => {
    const doc = setConf(parseConf(''), 'key', 'BareKey', '');
    expect(renderConf(doc)).toBe('BareKey\n');
    expect(getConf(parseConf(renderConf(doc)), 'key', 'BareKey')).toBe('');
  });
});

describe('the default dnsmgr.conf', () => {
  it('round-trips and sets nothing: every setting in it is a commented-out example', () => {
    const doc = parseConf(DEFAULT_DNSMGR_CONF);
    expect(renderConf(doc)).toBe(DEFAULT_DNSMGR_CONF);
    expect(entriesOf(doc)).toEqual([]);
  });

  it('takes a setting and keeps its comments', () => {
    const text = renderConf(setConf(parseConf(DEFAULT_DNSMGR_CONF), 'key', 'RndcPort', '9953'));
    expect(text).toBe(`${DEFAULT_DNSMGR_CONF}RndcPort 9953\n`);
  });
});
