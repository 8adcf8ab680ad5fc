// One entry point for every front door: a Doc in the requested output format.
import type { Doc, OutFormat } from './types';
import { renderJson } from './render-json';
import { renderText } from './render-text';
import { renderXml } from './render-xml';

export function renderDoc(doc: Doc, out: OutFormat): string {
  switch (out) {
    case 'xml':
      return renderXml(doc);
    case 'json':
      return renderJson(doc);
    case 'text':
      return renderText(doc);
  }
}
