// out=JSONdata: the data alone, as a DNSmanager hook fork and a billing addon read it.
//   a list          [{"name":"example.com","rkey":"…",…}]   (rows as plain objects: the addon iterates them)
//   success         {"ok":""}                              (the hook greps for "ok":"")
//   form values     {"name":"example.com",…}
//   a session key   {"auth":"KEY","level":"16"}
//   an error        {"error":{"type":…,"object":…,"value":…,"lang":…,"msg":"…"}}
// The list and "ok":"" as those clients read them; form, auth and error shapes are UNCONFIRMED and follow the XML
// document (an element's text becomes a string). Select lists are interface data and are left out.
import type { Lang } from '../i18n/msg';
import { flatError } from './render-bjson';
import { collect, listChunks } from './stream';
import type { Doc } from './types';

export function renderJsonData(doc: Doc, lang: Lang = 'en'): string {
  return collect(jsonDataChunks(doc, lang));
}

/**
 * A list stays the array of rows even when paged: its clients iterate the document itself, so there is no place for
 * p_num/p_elems without changing the shape under them. A client paging in JSONdata reads pages until one is short.
 */
export function* jsonDataChunks(doc: Doc, lang: Lang = 'en'): Generator<string, void, undefined> {
  if (doc.kind !== 'list') {
    yield `${JSON.stringify(body(doc, lang))}\n`;
    return;
  }
  yield* listChunks(doc.rows, doc.page, {
    open: () => '[',
    row: (row, first) => (first ? '' : ',') + JSON.stringify(row),
    close: ']\n',
  });
}

function body(doc: Exclude<Doc, { kind: 'list' }>, lang: Lang): unknown {
  switch (doc.kind) {
    case 'form':
      return doc.fields;
    case 'ok':
      return doc.rows === undefined || doc.rows.length === 0 ? { ok: '' } : { ok: '', elem: doc.rows };
    case 'auth':
      return { auth: doc.key, level: String(doc.level) };
    case 'error':
      return { error: flatError(doc.error, lang) };
  }
}
