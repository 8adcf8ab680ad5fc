// A COREmanager document as XML: what a handler prints and what the HTTP API answers with out=xml.
// Hand-built rather than with XMLBuilder: its one entity table serves text and attributes alike (so tabs and newlines in
// attributes would be normalized away) and it prints an attribute whose value is "true" as a bare, invalid `name`.
import type { DnsmgrError } from '../errors';
import { msg } from '../i18n/msg';
import { InternalError } from '../errors';
import type { Lang } from '../i18n/msg';
import { collect, listChunks, pagePairs } from './stream';
import type { ListShape } from './stream';
import type { Doc, Row, SelectOption } from './types';
import { escapeXmlAttr, escapeXmlText } from './xml-escape';

const PROLOG = '<?xml version="1.0" encoding="UTF-8"?>\n';
// Element and attribute names come from our own code; checking them keeps the "always parses" promise unconditional.
const XML_NAME = /^[A-Za-z_][A-Za-z0-9_.-]*$/;

export function renderXml(doc: Doc, lang: Lang = 'en'): string {
  return collect(xmlChunks(doc, lang));
}

/** A list's paging facts (p_num, p_cnt, p_elems) come first, so they are written before the rows are read. */
const LIST: ListShape = {
  open: (page) => `${PROLOG}<doc>${page === undefined ? '' : pagePairs(page).map(([name, value]) => textElement(name, value)).join('')}`,
  row: (row) => element('elem', {}, fields(row)),
  close: '</doc>\n',
  empty: `${PROLOG}<doc/>\n`,
};

export function* xmlChunks(doc: Doc, lang: Lang = 'en'): Generator<string, void, undefined> {
  if (doc.kind === 'list') yield* listChunks(doc.rows, doc.page, LIST);
  else yield `${PROLOG}${element('doc', {}, body(doc, lang))}\n`;
}

function body(doc: Exclude<Doc, { kind: 'list' }>, lang: Lang): string {
  switch (doc.kind) {
    case 'form':
      return fields(doc.fields) + Object.entries(doc.slists ?? {}).map(([name, options]) => slist(name, options)).join('');
    case 'ok':
      return element('ok', {}, '') + (doc.rows ?? []).map((row) => element('elem', {}, fields(row))).join('');
    case 'auth':
      return textElement('auth', doc.key, { id: doc.key, level: String(doc.level) });
    case 'error':
      return error(doc.error, lang);
  }
}

function fields(row: Row): string {
  return Object.entries(row).map(([name, value]) => textElement(name, value)).join('');
}

function slist(name: string, options: SelectOption[]): string {
  return element('slist', { name }, options.map((o) => textElement('val', o.label, { key: o.key })).join(''));
}

/** The exact shape the panel itself emits, so its clients find type, object and value where they expect them. */
function error(err: DnsmgrError, lang: Lang): string {
  const params =
    textElement('param', err.object, { name: 'object', type: 'msg', msg: err.object }) +
    textElement('param', err.value, { name: 'value' });
  return element('error', { type: err.type, object: err.object, lang }, params + textElement('msg', err.messageIn(lang)));
}

function textElement(name: string, text: string, attrs: Record<string, string> = {}): string {
  return element(name, attrs, escapeXmlText(text));
}

/** `inner` is already XML; an element without content is written self-closed. */
function element(name: string, attrs: Record<string, string>, inner: string): string {
  let open = checkedName(name);
  for (const [attr, value] of Object.entries(attrs)) open += ` ${checkedName(attr)}="${escapeXmlAttr(value)}"`;
  return inner === '' ? `<${open}/>` : `<${open}>${inner}</${name}>`;
}

/** Names already checked: a list writes the same few thousands of times. */
const goodNames = new Set<string>();

function checkedName(name: string): string {
  if (goodNames.has(name)) return name;
  if (!XML_NAME.test(name)) throw new InternalError(msg`not a valid XML name for a field: '${name}'`);
  goodNames.add(name);
  return name;
}
