// out=sjson: the JSON document (out=json) with every field value wrapped in an array, as ISPmanager hook scripts read
// it: doc.elem[0].name[0].$. The elements around the data stay objects (doc.auth.$id, doc.error.$type), so a script's
// `.doc.error` is null exactly when the request succeeded.
// Shapes from public clients: doc.elem[0].balance[0].$ and doc.auth.$id (a BILLmanager balance script), doc.error with
// its param array (an ISPmanager API wrapper).
import type { Lang } from '../i18n/msg';
import { jsonError, jsonSlist } from './render-json';
import type { Doc, Row } from './types';

type JsonNode = { [key: string]: string | JsonNode | JsonNode[] };

export function renderSjson(doc: Doc, lang: Lang = 'en'): string {
  return `${JSON.stringify({ doc: body(doc, lang) })}\n`;
}

function body(doc: Doc, lang: Lang): JsonNode {
  switch (doc.kind) {
    case 'list':
      return { elem: doc.rows.map(fields) };
    case 'form': {
      const slists = Object.entries(doc.slists ?? {});
      return slists.length === 0 ? fields(doc.fields) : { ...fields(doc.fields), slist: slists.map(([n, o]) => jsonSlist(n, o)) };
    }
    case 'ok':
      return doc.rows === undefined || doc.rows.length === 0 ? { ok: {} } : { ok: {}, elem: doc.rows.map(fields) };
    case 'auth':
      return { auth: { $id: doc.key, $level: String(doc.level), $: doc.key } };
    case 'error':
      return { error: jsonError(doc.error, lang) };
  }
}

function fields(row: Row): JsonNode {
  const node: JsonNode = {};
  for (const [name, value] of Object.entries(row)) node[name] = [{ $: value }];
  return node;
}
