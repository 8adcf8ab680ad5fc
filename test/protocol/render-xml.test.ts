import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { DnsmgrError, ExistsError } from '../../src/errors';
import { verbatim } from '../../src/i18n/msg';
import { renderXml } from '../../src/protocol/render-xml';
import type { Doc } from '../../src/protocol/types';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  textNodeName: '#text',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true, // decodes the numeric character references (&#13;) the renderer writes
  isArray: (name) => ['elem', 'slist', 'val', 'param'].includes(name),
});

interface Parsed {
  doc: Record<string, unknown>;
}

function parse(xml: string): Parsed {
  expect(XMLValidator.validate(xml)).toBe(true);
  return parser.parse(xml) as Parsed;
}

/** Text of a parsed element: a bare string, or "#text" beside attributes; an empty element has none. */
function text(node: unknown): string {
  if (typeof node === 'string') return node;
  const value = (node as Record<string, unknown>)['#text'];
  return typeof value === 'string' ? value : '';
}

describe('renderXml', () => {
  it('renders a list as elem elements with one child per column, in column order', () => {
    const doc: Doc = { kind: 'list', rows: [{ name: 'example.com', status: 'ok' }, { name: 'example.net', status: '' }] };
    expect(renderXml(doc)).toBe(
      `${PROLOG}<doc><elem><name>example.com</name><status>ok</status></elem>` +
        '<elem><name>example.net</name><status/></elem></doc>\n',
    );
  });

  it('renders an empty list as an empty doc', () => {
    expect(renderXml({ kind: 'list', rows: [] })).toBe(`${PROLOG}<doc/>\n`);
  });

  it('renders form fields directly under doc, followed by one slist per select', () => {
    const doc: Doc = {
      kind: 'form',
      fields: { name: 'example.com', dtype: 'slave' },
      slists: { dtype: [{ key: 'slave', label: 'Slave' }, { key: 'master', label: 'Master' }] },
    };
    expect(renderXml(doc)).toBe(
      `${PROLOG}<doc><name>example.com</name><dtype>slave</dtype>` +
        '<slist name="dtype"><val key="slave">Slave</val><val key="master">Master</val></slist></doc>\n',
    );
  });

  it('renders ok and auth', () => {
    expect(renderXml({ kind: 'ok' })).toBe(`${PROLOG}<doc><ok/></doc>\n`);
    expect(renderXml({ kind: 'auth', key: 'KEY', level: 16 })).toBe(`${PROLOG}<doc><auth id="KEY" level="16">KEY</auth></doc>\n`);
  });

  it('renders an error in the panel shape', () => {
    const xml = renderXml({ kind: 'error', error: new ExistsError('domain', 'example.com') });
    expect(xml).toBe(
      `${PROLOG}<doc><error type="exists" object="domain" lang="en">` +
        '<param name="object" type="msg" msg="domain">domain</param><param name="value">example.com</param>' +
        '<msg>Domain &apos;example.com&apos; already exists</msg></error></doc>\n',
    );
  });

  it('refuses a field name that is not an XML name rather than print broken XML', () => {
    expect(() => renderXml({ kind: 'form', fields: { 'bad name': 'x' } })).toThrow(/not a valid XML name/);
  });
});

// Every character that can break XML, plus ones that tempt double decoding.
const NASTY_PIECES = [
  ...Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)),
  '<', '>', '&', '"', "'", ']]>', '&amp;', '&#13;', '&nbsp;', '<![CDATA[', '-->',
  '\ud83d\ude00', '\ud800', '\ufffe', '\udfff', '\uffff', '\u007f', '\u0085', '\u2028', 'é', 'a', ' ',
];

/** What a value must read back as: an independent statement of the XML 1.0 Char production. */
function sanitized(value: string): string {
  let out = '';
  for (const ch of value) {
    const cp = ch.codePointAt(0) ?? 0;
    const allowed =
      cp === 0x9 || cp === 0xa || cp === 0xd || (cp >= 0x20 && cp <= 0xd7ff) || (cp >= 0xe000 && cp <= 0xfffd) || cp >= 0x10000;
    out += allowed ? ch : '\ufffd';
  }
  return out;
}

/** Deterministic so a failure reproduces; mulberry32. */
function randomValues(count: number, seed: number): string[] {
  let state = seed;
  const next = (): number => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return Array.from({ length: count }, () =>
    Array.from({ length: Math.floor(next() * 24) }, () => NASTY_PIECES[Math.floor(next() * NASTY_PIECES.length)]).join(''),
  );
}

const VALUES = [NASTY_PIECES.join(''), ...NASTY_PIECES, ...randomValues(300, 20240601)];
// Forbidden in XML 1.0 output, whatever the input.
const INVALID_IN_OUTPUT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uD800-\uDFFF\uFFFE\uFFFF]/u;

describe('renderXml with arbitrary values', () => {
  it(`parses back to the sanitized value, for ${VALUES.length} nasty values in text and attributes`, () => {
    VALUES.forEach((value, i) => expectRoundTrip(value, `value #${i} ${JSON.stringify(value)}`));
  });
});

function expectRoundTrip(value: string, label: string): void {
  const want = sanitized(value);
  const docs: Doc[] = [
    { kind: 'list', rows: [{ name: value, other: value }] },
    { kind: 'form', fields: { name: value }, slists: { owner: [{ key: value, label: value }] } },
    { kind: 'auth', key: value, level: 16 },
    { kind: 'error', error: new DnsmgrError('exists', 'domain', value, verbatim(value)) },
  ];
  const [list, form, auth, error] = docs.map((doc) => {
    const xml = renderXml(doc);
    expect(xml, label).not.toMatch(INVALID_IN_OUTPUT);
    return parse(xml).doc;
  }) as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];

  const elem = (list.elem as Record<string, unknown>[])[0] ?? {};
  expect([text(elem.name), text(elem.other)], label).toEqual([want, want]);

  const val = ((form.slist as Record<string, unknown>[])[0]?.val as Record<string, unknown>[])[0] ?? {};
  expect([text(form.name), val['@_key'], text(val)], label).toEqual([want, want, want]);

  const authNode = auth.auth as Record<string, unknown>;
  expect([authNode['@_id'], text(authNode)], label).toEqual([want, want]);

  const errorNode = error.error as Record<string, unknown>;
  const params = errorNode.param as Record<string, unknown>[];
  expect([text(params[1]), text(errorNode.msg)], label).toEqual([want, want]);
}
