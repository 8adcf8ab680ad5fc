// Escaping for the XML renderer. Values are arbitrary strings; the output must parse in any XML 1.0 parser.

// Characters XML 1.0 forbids: C0 controls other than \t \n \r, U+FFFE/U+FFFF, and (thanks to the `u` flag, which reads a
// valid surrogate pair as one code point) only the unpaired surrogate halves.
const INVALID_XML_CHARS = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/gu;

export function sanitizeXmlChars(value: string): string {
  return value.replace(INVALID_XML_CHARS, '\uFFFD');
}

const TEXT_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
  // A parser turns a literal CR (and CRLF) into LF; a character reference survives.
  '\r': '&#13;',
};

// Parsers also turn literal tabs and newlines inside attribute values into spaces.
const ATTR_ESCAPES: Record<string, string> = { ...TEXT_ESCAPES, '\t': '&#9;', '\n': '&#10;' };

// Whether a value has anything to replace at all: most have not (a list of 1,000 zones escapes 8,000 of them), and one
// test costs less than the two replacements that would give the value back unchanged.
const TEXT_WORK = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF&<>"'\r]/u;
const ATTR_WORK = /[\u0000-\u001F\uD800-\uDFFF\uFFFE\uFFFF&<>"']/u;

export function escapeXmlText(value: string): string {
  if (!TEXT_WORK.test(value)) return value;
  return sanitizeXmlChars(value).replace(/[&<>"'\r]/g, (c) => TEXT_ESCAPES[c] ?? c);
}

export function escapeXmlAttr(value: string): string {
  if (!ATTR_WORK.test(value)) return value;
  return sanitizeXmlChars(value).replace(/[&<>"'\t\n\r]/g, (c) => ATTR_ESCAPES[c] ?? c);
}
