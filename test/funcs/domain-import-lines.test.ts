// domain.import's lines: `name masters [owner]`, every bad line reported with its number and every reason.
import { describe, expect, it } from 'vitest';
import { MAX_IMPORT_LINES, parseImportLines, terminalBar } from '../../src/funcs/domain-import';

const reasons = (text: string): string[] => parseImportLines(text).bad.map((b) => `${b.line}: ${b.reason.in('en')}`);

describe('parseImportLines', () => {
  it('reads names, masters joined by , or ; and an optional owner; skips blank lines and # comments', () => {
    const { lines, bad } = parseImportLines('# zones of 2026\n\nExample.COM 198.51.100.1\n  b.example\t198.51.100.1;2001:db8::1,203.0.113.5  alice \r\nпример.рф 198.51.100.2 bob\n');
    expect(bad).toEqual([]);
    expect(lines).toEqual([
      { line: 3, name: 'example.com', masters: ['198.51.100.1'] },
      { line: 4, name: 'b.example', masters: ['198.51.100.1', '2001:db8::1', '203.0.113.5'], owner: 'alice' },
      { line: 5, name: 'xn--e1afmkfd.xn--p1ai', masters: ['198.51.100.2'], owner: 'bob' },
    ]);
  });

  it('reports every bad line with its number, and every reason of a line', () => {
    expect(reasons([
      'good.example 198.51.100.1',
      'bad..example 198.51.100.1',
      'only-a-name.example',
      'x.example 198.51.100.1 alice extra',
      'y.example 127.0.0.1;999.1.1.1 -bad-owner-',
      'good.example 198.51.100.9',
      'z.example ;',
    ].join('\n'))).toEqual([
      "2: zone name 'bad..example': empty label (a leading dot or two dots in a row)",
      "3: expected 'name masters [owner]', got 1 fields",
      "4: expected 'name masters [owner]', got 4 fields",
      expect.stringMatching(/^5: master '127\.0\.0\.1': /),
      expect.stringMatching(/^5: master '999\.1\.1\.1': /),
      expect.stringMatching(/^5: owner '-bad-owner-': /),
      "6: 'good.example' is already on line 1",
      expect.stringMatching(/^7: master '.*': /),
    ]);
  });

  it('keeps the good lines beside the bad ones (skip_bad uses them)', () => {
    const { lines, bad } = parseImportLines('a.example 198.51.100.1\nb..example 198.51.100.1\nc.example 198.51.100.1\n');
    expect(lines.map((l) => `${l.line} ${l.name}`)).toEqual(['1 a.example', '3 c.example']);
    expect(bad.map((b) => b.line)).toEqual([2]);
  });

  it('refuses a text of more lines than it takes at once', () => {
    expect(() => parseImportLines('\n'.repeat(MAX_IMPORT_LINES))).toThrow(/expected at most 200000 lines, got 200001/);
  });
});

describe('the progress bar of domain.import on a terminal', () => {
  it('redraws one line at most ten times a second, always the last step, and ends it with a newline', () => {
    const written: string[] = [];
    let now = 1_000;
    const bar = terminalBar({ write: (s: string) => { written.push(s); return true; } }, () => now);
    now = 2_000;
    bar(500, 1000);
    now = 2_050;
    bar(501, 1000);
    now = 3_000;
    bar(1000, 1000);
    expect(written).toEqual([
      `\r[${'#'.repeat(15)}${'.'.repeat(15)}] 500/1000 zones  500/s`,
      `\r[${'#'.repeat(30)}] 1000/1000 zones  500/s\n`,
    ]);
  });
});
