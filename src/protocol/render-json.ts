// A COREmanager document as JSON (out=json): an element's text is "$", an attribute "$<name>", and elements that may
// repeat (elem, slist, val, param) are always arrays so clients need not special-case one or none.
import type { DnsmgrError } from '../errors';
import type { Lang } from '../i18n/msg';
import type { Doc, Row, SelectOption } from './types';

export type JsonNode = { [key: string]: string | JsonNode | JsonNode[] };

/** How a field's value is written: `{"$": v}` for json; out=sjson wraps it in an array. */
export type FieldValue = (value: string) => JsonNode | JsonNode[];

const plain: FieldValue = (value) => ({ $: value });

export function renderJson(doc: Doc, lang: Lang = 'en', value: FieldValue = plain): string {
  return `${JSON.stringify({ doc: body(doc, lang, value) })}\n`;
}

function body(doc: Doc, lang: Lang, value: FieldValue): JsonNode {
  const fields = (row: Row): JsonNode => {
    const node: JsonNode = {};
    for (const [name, v] of Object.entries(row)) node[name] = value(v);
    return node;
  };
  switch (doc.kind) {
    case 'list':
      return { elem: doc.rows.map(fields) };
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
