// A COREmanager document as JSON (out=json): an element's text is "$", an attribute "$<name>", and elements that may
// repeat (elem, slist, val, param) are always arrays so clients need not special-case one or none.
import type { DnsmgrError } from '../errors';
import type { Lang } from '../i18n/msg';
import { collect, listChunks, pagePairs } from './stream';
import type { ListShape } from './stream';
import type { Doc, Row, SelectOption } from './types';

export type JsonNode = { [key: string]: string | JsonNode | JsonNode[] };

/** How a field's value is written: `{"$": v}` for json; out=sjson wraps it in an array. */
export type FieldValue = (value: string) => JsonNode | JsonNode[];

const plain: FieldValue = (value) => ({ $: value });

export function renderJson(doc: Doc, lang: Lang = 'en', value: FieldValue = plain): string {
  return collect(jsonChunks(doc, lang, value));
}

/**
 * A list as JSON.stringify would write {"doc":{…,"elem":[…]}}, a row at a time; the paging facts are elements of the
 * document ({"$": "2"} in json and sjson alike: they are not field values) and come before the rows.
 */
export function* jsonChunks(doc: Doc, lang: Lang = 'en', value: FieldValue = plain): Generator<string, void, undefined> {
  if (doc.kind !== 'list') {
    yield `${JSON.stringify({ doc: body(doc, lang, value) })}\n`;
    return;
  }
  const fields = fieldsOf(value);
  yield* listChunks(doc.rows, doc.page, {
    open: (page) => `{"doc":{${page === undefined ? '' : pagePairs(page).map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify({ $: v })},`).join('')}"elem":[`,
    row: (row, first) => (first ? '' : ',') + JSON.stringify(fields(row)),
    close: ']}}\n',
  } satisfies ListShape);
}

function fieldsOf(value: FieldValue): (row: Row) => JsonNode {
  return (row) => {
    const node: JsonNode = {};
    for (const [name, v] of Object.entries(row)) node[name] = value(v);
    return node;
  };
}

function body(doc: Exclude<Doc, { kind: 'list' }>, lang: Lang, value: FieldValue): JsonNode {
  const fields = fieldsOf(value);
  switch (doc.kind) {
    case 'form': {
      const slists = Object.entries(doc.slists ?? {});
      return slists.length === 0 ? fields(doc.fields) : { ...fields(doc.fields), slist: slists.map(([n, o]) => slist(n, o)) };
    }
    case 'ok':
      // `messages` is there only when the request succeeded: some JSON clients take doc.messages for "done".
      return doc.rows === undefined || doc.rows.length === 0 ? { ok: {}, messages: {} } : { ok: {}, messages: {}, elem: doc.rows.map(fields) };
    case 'auth':
      return { auth: { $id: doc.key, $level: String(doc.level), $: doc.key } };
    case 'error':
      return { error: error(doc.error, lang) };
  }
}

function slist(name: string, options: SelectOption[]): JsonNode {
  return { $name: name, val: options.map((o) => ({ $key: o.key, $: o.label })) };
}

function error(err: DnsmgrError, lang: Lang): JsonNode {
  return {
    $type: err.type,
    $object: err.object,
    $lang: lang,
    param: [
      { $name: 'object', $type: 'msg', $msg: err.object, $: err.object },
      { $name: 'value', $: err.value },
    ],
    msg: { $: err.messageIn(lang) },
  };
}
