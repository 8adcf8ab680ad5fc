// One entry point for every front door: a Doc in the requested output format.
import type { Lang } from '../i18n/msg';
import type { Doc, OutFormat } from './types';
import { renderJson } from './render-json';
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
  }
}
