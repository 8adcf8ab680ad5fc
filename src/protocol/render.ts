// One entry point for every front door: a Doc in the requested output format.
import type { Lang } from '../i18n/msg';
import type { Doc, OutFormat } from './types';
import { renderBjson } from './render-bjson';
import { renderJson } from './render-json';
import { renderJsonData } from './render-jsondata';
import { renderSjson } from './render-sjson';
import { renderText } from './render-text';
import { renderXml } from './render-xml';

/** `lang` is the request's language: the error message is written in it and the error says which. */
export function renderDoc(doc: Doc, out: OutFormat, lang: Lang = 'en'): string {
  switch (out) {
    case 'xml':
      return renderXml(doc, lang);
    case 'json':
      return renderJson(doc, lang);
    case 'text':
      return renderText(doc, lang);
    case 'sjson':
      return renderSjson(doc, lang);
    case 'bjson':
      return renderBjson(doc, lang);
    case 'JSONdata':
      return renderJsonData(doc, lang);
  }
}
