// The streamed documents are the string documents: for every format, a list given as an array or as a one-pass
// generator, long enough to come in many chunks, paged or not, empty or not, renders the same bytes both ways; the
// other documents come in one chunk equal to the string.
import { describe, expect, it } from 'vitest';
import { ExistsError } from '../../src/errors';
import { renderChunks, renderDoc } from '../../src/protocol/render';
import type { Doc, OutFormat, Row } from '../../src/protocol/types';

const FORMATS: OutFormat[] = ['xml', 'json', 'text', 'sjson', 'bjson', 'JSONdata'];

function rowsOf(n: number): Row[] {
  return Array.from({ length: n }, (_, i) => ({ name: `z${i}.example`, owner: i % 2 === 0 ? 'alice' : 'bob&<"\'>', note: i % 7 === 0 ? 'line\nbreak' : '' }));
}

function* once(rows: readonly Row[]): Generator<Row> {
  yield* rows;
}

const LISTS: [string, Row[], Extract<Doc, { kind: 'list' }>['page']][] = [
  ['empty', [], undefined],
  ['empty page', [], { num: 5, cnt: 10, elems: 3 }],
  ['one row', rowsOf(1), undefined],
  ['many chunks', rowsOf(5000), undefined],
  ['a page', rowsOf(20), { num: 2, cnt: 20, elems: 5000 }],
];

describe('renderChunks', () => {
  describe.each(FORMATS)('out=%s', (out) => {
    it.each(LISTS)('%s: the chunks of a streamed list are the string of the array', (_name, rows, page) => {
      const doc: Doc = { kind: 'list', rows, ...(page ? { page } : {}) };
      const chunks = [...renderChunks({ kind: 'list', rows: once(rows), ...(page ? { page } : {}) }, out)];
      expect(chunks.join('')).toBe(renderDoc(doc, out));
      if (rows.length === 5000) expect(chunks.length).toBeGreaterThan(3);
      for (const c of chunks.slice(0, -1)) expect(c.length).toBeGreaterThan(0);
    });

    it.each<[string, Doc]>([
      ['ok', { kind: 'ok', rows: [{ name: 'a' }] }],
      ['form', { kind: 'form', fields: { name: 'a' }, slists: { dtype: [{ key: 'slave', label: 'Slave' }] } }],
      ['auth', { kind: 'auth', key: 'k', level: 16 }],
      ['error', { kind: 'error', error: new ExistsError('domain', 'example.com') }],
    ])('%s comes in one chunk', (_name, doc) => {
      const chunks = [...renderChunks(doc, out)];
      expect(chunks).toEqual([renderDoc(doc, out)]);
    });

    it('stops reading the rows when the reader stops, and lets the source close', () => {
      let read = 0;
      let closed = false;
      function* source(): Generator<Row> {
        try {
          for (const row of rowsOf(50_000)) {
            read++;
            yield row;
          }
        } finally {
          closed = true;
        }
      }
      const chunks = renderChunks({ kind: 'list', rows: source() }, out);
      chunks.next();
      chunks.return();
      expect(closed).toBe(true);
      expect(read).toBeLessThan(50_000);
    });
  });

  it('writes the paging facts before the rows in every format but JSONdata, which stays the array of rows', () => {
    const doc: Doc = { kind: 'list', rows: [{ name: 'z0.example' }], page: { num: 2, cnt: 1, elems: 7 } };
    expect(renderDoc(doc, 'xml')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc><p_num>2</p_num><p_cnt>1</p_cnt><p_elems>7</p_elems><elem><name>z0.example</name></elem></doc>\n');
    expect(JSON.parse(renderDoc(doc, 'json'))).toEqual({ doc: { p_num: { $: '2' }, p_cnt: { $: '1' }, p_elems: { $: '7' }, elem: [{ name: { $: 'z0.example' } }] } });
    expect(JSON.parse(renderDoc(doc, 'sjson'))).toEqual({ doc: { p_num: { $: '2' }, p_cnt: { $: '1' }, p_elems: { $: '7' }, elem: [{ name: [{ $: 'z0.example' }] }] } });
    expect(JSON.parse(renderDoc(doc, 'bjson'))).toEqual({ p_num: '2', p_cnt: '1', p_elems: '7', elem: [{ name: 'z0.example' }] });
    expect(JSON.parse(renderDoc(doc, 'JSONdata'))).toEqual([{ name: 'z0.example' }]);
    expect(renderDoc(doc, 'text')).toBe('p_num=2 p_cnt=1 p_elems=7\nname=z0.example\n');
  });
});
