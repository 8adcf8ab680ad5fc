// A COREmanager document as mgrctl prints it (out=text): one line per list row or form field.
import type { DnsmgrError } from '../errors';
import type { Lang } from '../i18n/msg';
import { collect, listChunks, pagePairs } from './stream';
import type { Doc, Row } from './types';

export function renderText(doc: Doc, lang: Lang = 'en'): string {
  return collect(textChunks(doc, lang));
}

/** A paged list starts with one line of its paging facts, `p_num=2 p_cnt=100 p_elems=1234`, then a line per row. */
export function* textChunks(doc: Doc, lang: Lang = 'en'): Generator<string, void, undefined> {
  if (doc.kind !== 'list') {
    yield body(doc, lang);
    return;
  }
  yield* listChunks(doc.rows, doc.page, {
    open: (page) => (page === undefined ? '' : lines([pagePairs(page).map(([n, v]) => `${n}=${v}`).join(' ')])),
    row: (row) => `${pairs(row).join(' ')}\n`,
    close: '',
  });
}

function body(doc: Exclude<Doc, { kind: 'list' }>, lang: Lang): string {
  switch (doc.kind) {
    case 'form':
      return lines(pairs(doc.fields));
    case 'ok':
      return lines(['OK', ...(doc.rows ?? []).map((row) => pairs(row).join(' '))]);
    case 'auth':
      return lines([`auth=${oneLine(doc.key)} level=${doc.level}`]);
    case 'error':
      return lines([errorLine(doc.error, lang)]);
  }
}

function errorLine(err: DnsmgrError, lang: Lang): string {
  const value = err.value === '' ? '' : `, '${err.value}'`;
  return oneLine(`ERROR ${err.type}(${err.object}${value}): ${err.messageIn(lang)}`);
}

function pairs(row: Row): string[] {
  return Object.entries(row).map(([key, value]) => `${key}=${oneLine(value)}`);
}

function lines(list: string[]): string {
  return list.map((line) => `${line}\n`).join('');
}

// One row must stay one line for scripts that read mgrctl output line by line. Unpaired surrogates become U+FFFD here,
// as they would anyway when written out as UTF-8, so the string returned is exactly what gets printed.
function oneLine(value: string): string {
  // Almost every value is plain: one test, not three replacements (a 100,000-zone list has 800,000 values).
  if (!NEEDS_ESCAPE.test(value)) return value;
  return value.replace(/\n/g, '\\n').replace(/\r/g, '\\r').replace(/[\uD800-\uDFFF]/gu, '\uFFFD');
}

const NEEDS_ESCAPE = /[\n\r\uD800-\uDFFF]/;
