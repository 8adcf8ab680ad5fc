// out=bjson: BILLmanager's plain JSON. No doc around it and no "$": a value is a string, an attribute a plain key.
//   success of an action  {"ok":true}                 (a certificate tool's DNSmanager hook looks for "ok":true)
//   a list                {"elem":[{"name":"example.com",…}]}   (the same hook finds a zone by "name":"<zone>")
//   form values           {"model":{"name":…},"slist":{"dtype":[{"k":"slave","v":"Slave"}]}}
//   a session key         {"model":{"auth":"KEY","level":"16"}}  (BILLmanager clients read model.auth)
//   an error              {"error":{"type":…,"object":…,"value":…,"lang":…,"msg":"…"}}  (clients read error.msg)
// model, ok and error as public BILLmanager clients read them; the list's "elem" and the slist's k/v are UNCONFIRMED
// (no client found that reads them) and follow the XML document's names.
// Values are JSON strings, so an echoed value can never put a bare "ok":true or "name":"…" into an error.
import type { DnsmgrError } from '../errors';
import type { Lang } from '../i18n/msg';
import { collect, listChunks, pagePairs } from './stream';
import type { Doc } from './types';

export function renderBjson(doc: Doc, lang: Lang = 'en'): string {
  return collect(bjsonChunks(doc, lang));
}

/** A paged list: {"p_num":"2","p_cnt":"100","p_elems":"1234","elem":[…]}, the facts as plain strings like every value. */
export function* bjsonChunks(doc: Doc, lang: Lang = 'en'): Generator<string, void, undefined> {
  if (doc.kind !== 'list') {
    yield `${JSON.stringify(body(doc, lang))}\n`;
    return;
  }
  yield* listChunks(doc.rows, doc.page, {
    open: (page) => `{${page === undefined ? '' : pagePairs(page).map(([n, v]) => `${JSON.stringify(n)}:${JSON.stringify(v)},`).join('')}"elem":[`,
    row: (row, first) => (first ? '' : ',') + JSON.stringify(row),
    close: ']}\n',
  });
}

function body(doc: Exclude<Doc, { kind: 'list' }>, lang: Lang): unknown {
  switch (doc.kind) {
    case 'form': {
      const slists = Object.entries(doc.slists ?? {});
      if (slists.length === 0) return { model: doc.fields };
      return { model: doc.fields, slist: Object.fromEntries(slists.map(([name, options]) => [name, options.map((o) => ({ k: o.key, v: o.label }))])) };
    }
    case 'ok':
      return doc.rows === undefined || doc.rows.length === 0 ? { ok: true } : { ok: true, elem: doc.rows };
    case 'auth':
      return { model: { auth: doc.key, level: String(doc.level) } };
    case 'error':
      return { error: flatError(doc.error, lang) };
  }
}

/** The error as plain strings; out=JSONdata has the same. */
export function flatError(err: DnsmgrError, lang: Lang): Record<string, string> {
  return { type: err.type, object: err.object, value: err.value, lang, msg: err.messageIn(lang) };
}
