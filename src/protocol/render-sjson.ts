// out=sjson: the JSON document (out=json) with every field value wrapped in an array, as ISPmanager hook scripts read
// it: doc.elem[0].name[0].$. The elements around the data stay objects (doc.auth.$id, doc.error.$type), so a script's
// `.doc.error` is null exactly when the request succeeded.
// Shapes from public clients: doc.elem[0].balance[0].$ and doc.auth.$id (a BILLmanager balance script), doc.error with
// its param array (an ISPmanager API wrapper).
import type { Lang } from '../i18n/msg';
import { jsonChunks, renderJson } from './render-json';
import type { JsonNode } from './render-json';
import type { Doc } from './types';

const inArray = (value: string): JsonNode[] => [{ $: value }];

export function renderSjson(doc: Doc, lang: Lang = 'en'): string {
  return renderJson(doc, lang, inArray);
}

export function sjsonChunks(doc: Doc, lang: Lang = 'en'): Generator<string, void, undefined> {
  return jsonChunks(doc, lang, inArray);
}
