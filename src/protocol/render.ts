// One entry point for every front door: a Doc in the requested output format.
import type { Lang } from '../i18n/msg';
import type { Doc, OutFormat } from './types';
import { bjsonChunks } from './render-bjson';
import { jsonChunks } from './render-json';
import { jsonDataChunks } from './render-jsondata';
import { sjsonChunks } from './render-sjson';
import { textChunks } from './render-text';
import { xmlChunks } from './render-xml';
import { collect } from './stream';

/** `lang` is the request's language: the error message is written in it and the error says which. */
export function renderDoc(doc: Doc, out: OutFormat, lang: Lang = 'en'): string {
  return collect(renderChunks(doc, out, lang));
}

/** The document in pieces to write as they come: a long list is read row by row while it is written. */
export function renderChunks(doc: Doc, out: OutFormat, lang: Lang = 'en'): Generator<string, void, undefined> {
  switch (out) {
    case 'xml':
      return xmlChunks(doc, lang);
    case 'json':
      return jsonChunks(doc, lang);
    case 'text':
      return textChunks(doc, lang);
    case 'sjson':
      return sjsonChunks(doc, lang);
    case 'bjson':
      return bjsonChunks(doc, lang);
    case 'JSONdata':
      return jsonDataChunks(doc, lang);
  }
}
