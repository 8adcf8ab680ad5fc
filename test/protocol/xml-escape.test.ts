import { describe, expect, it } from 'vitest';
import { escapeXmlAttr, escapeXmlText, sanitizeXmlChars } from '../../src/protocol/xml-escape';

describe('sanitizeXmlChars', () => {
  it('replaces characters XML 1.0 forbids with U+FFFD', () => {
    expect(sanitizeXmlChars('a\u0000b\u0008c\u000bd\u000ce\u001ff\ufffeg\uffff')).toBe('a\ufffdb\ufffdc\ufffdd\ufffde\ufffdf\ufffdg\ufffd');
  });

  it('keeps tab, newline, carriage return and other controls XML allows', () => {
    expect(sanitizeXmlChars('\t\n\r\u007f\u0085')).toBe('\t\n\r\u007f\u0085');
  });

  it('replaces lone surrogates but keeps pairs', () => {
    expect(sanitizeXmlChars('\ud83d\ude00 \ud800 \udc00 \ude00\ud83d')).toBe('\ud83d\ude00 \ufffd \ufffd \ufffd\ufffd');
  });
});

describe('escapeXmlText', () => {
  it('escapes markup characters and ]]>', () => {
    expect(escapeXmlText(`<a href="x">'&'</a> ]]>`)).toBe('&lt;a href=&quot;x&quot;&gt;&apos;&amp;&apos;&lt;/a&gt; ]]&gt;');
  });

  it('escapes an ampersand that already looks like an entity', () => {
    expect(escapeXmlText('&amp; &#13;')).toBe('&amp;amp; &amp;#13;');
  });

  it('writes CR as a character reference so parsers do not fold it into LF', () => {
    expect(escapeXmlText('a\r\nb\tc')).toBe('a&#13;\nb\tc');
  });
});

describe('escapeXmlAttr', () => {
  it('also writes tab and newline as character references', () => {
    expect(escapeXmlAttr('a\tb\nc\rd"e')).toBe('a&#9;b&#10;c&#13;d&quot;e');
  });
});

describe('values with nothing to escape', () => {
  // Every character that may need work, alone, among plain text and beside a valid surrogate pair: the quick test that
  // lets a plain value through must agree with sanitizing and escaping it in full.
  const escapes = { text: { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;', '\r': '&#13;' } as Record<string, string>, attr: {} as Record<string, string> };
  escapes.attr = { ...escapes.text, '\t': '&#9;', '\n': '&#10;' };
  const full = (value: string, table: Record<string, string>): string => [...sanitizeXmlChars(value)].map((c) => table[c] ?? c).join('');
  const samples: string[] = ['', 'example.com', 'ns1.example.com. 198.51.100.1', 'Пример ✓ \ud83d\ude00', '\t\n', 'a\tb\nc'];
  for (let code = 0; code < 0x80; code++) samples.push(`x${String.fromCharCode(code)}y`);
  for (const odd of ['\ud800', '\udfff', '\ud83d', '\ude00', '\ufffe', '\uffff', '\ud83d\ude00\ud800', '\u0085', '\u2028']) samples.push(`a${odd}b`);

  it('come back as they are, and every other is escaped as in full', () => {
    for (const s of samples) {
      expect(escapeXmlText(s)).toBe(full(s, escapes.text));
      expect(escapeXmlAttr(s)).toBe(full(s, escapes.attr));
    }
    expect(escapeXmlText('plain.example')).toBe('plain.example');
    expect(escapeXmlAttr('a\tb')).toBe('a&#9;b');
  });
});
