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
