// p_num, p_cnt, p_sort and p_order: what is accepted, what is refused (all problems at once), and filter → sort → page.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { applyListQuery, MAX_PAGE_ROWS, parseListQuery, sortRows } from '../../src/funcs/lists';
import type { Row } from '../../src/protocol/types';

const list = { name: 'namespace', columns: ['name', 'owner', 'domains'], params: [] };

function problems(raw: Record<string, string>): { param: string; value: string; reason: string }[] {
  try {
    parseListQuery(raw, list);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.problems.map((p) => ({ param: p.param, value: p.value, reason: p.reason.in('en') }));
  }
  throw new Error('no ValidationError');
}

describe('parseListQuery', () => {
  it('asks nothing without paging, sorting or filter parameters: the whole list as before', () => {
    expect(parseListQuery({}, list)).toEqual({});
    expect(parseListQuery({ p_num: '', p_cnt: ' ', p_sort: '', p_order: '' }, list)).toEqual({});
  });

  it('pages from p_num and p_cnt; either alone gives the other its default', () => {
    expect(parseListQuery({ p_num: '3', p_cnt: '25' }, list)).toEqual({ page: { num: 3, cnt: 25 } });
    expect(parseListQuery({ p_cnt: '25' }, list)).toEqual({ page: { num: 1, cnt: 25 } });
    expect(parseListQuery({ p_num: '2' }, list)).toEqual({ page: { num: 2, cnt: 100 } });
    expect(parseListQuery({ p_cnt: String(MAX_PAGE_ROWS) }, list).page?.cnt).toBe(MAX_PAGE_ROWS);
  });

  it('sorts by p_sort, ascending unless p_order=desc; p_order alone sorts by the first column', () => {
    expect(parseListQuery({ p_sort: 'owner' }, list)).toEqual({ sort: { column: 'owner', desc: false } });
    expect(parseListQuery({ p_sort: 'owner', p_order: 'DESC' }, list)).toEqual({ sort: { column: 'owner', desc: true } });
    expect(parseListQuery({ p_order: 'desc' }, list)).toEqual({ sort: { column: 'name', desc: true } });
    expect(parseListQuery({ p_order: 'asc' }, list)).toEqual({ sort: { column: 'name', desc: false } });
  });

  it('composes with filter=on, whose column parameters are not confused with the paging ones', () => {
    expect(parseListQuery({ filter: 'on', owner: 'bob', p_num: '1', p_cnt: '2', p_sort: 'name', p_order: 'desc' }, list)).toEqual({
      filter: [{ column: 'owner', value: 'bob', exact: false }], sort: { column: 'name', desc: true }, page: { num: 1, cnt: 2 },
    });
  });

  it.each([
    ['0'], ['-1'], ['1.5'], ['x'], ['1e3'], ['99999999999'], ['٣'],
  ])('refuses p_num=%s', (v) => {
    expect(problems({ p_num: v })).toEqual([{ param: 'p_num', value: v, reason: 'expected a page number from 1' }]);
  });

  it.each([['0'], [String(MAX_PAGE_ROWS + 1)], ['ten'], ['+5']])('refuses p_cnt=%s', (v) => {
    expect(problems({ p_cnt: v })).toEqual([{ param: 'p_cnt', value: v, reason: `expected rows per page from 1 to ${MAX_PAGE_ROWS} (without p_cnt the whole list is returned)` }]);
  });

  it('refuses an unknown sort column naming the columns, and an unknown order', () => {
    expect(problems({ p_sort: 'nosuch' })).toEqual([{ param: 'p_sort', value: 'nosuch', reason: "'nosuch' is not a column of 'namespace'; its columns are name, owner, domains" }]);
    expect(problems({ p_order: 'up' })).toEqual([{ param: 'p_order', value: 'up', reason: "expected 'asc' (ascending) or 'desc' (descending)" }]);
  });

  it('reports every bad parameter together, the filter\'s too', () => {
    expect(problems({ filter: 'on', nosuch: 'x', p_num: '0', p_cnt: 'x', p_sort: 'y', p_order: 'z' }).map((p) => p.param))
      .toEqual(['nosuch', 'p_num', 'p_cnt', 'p_sort', 'p_order']);
  });
});

describe('sortRows and applyListQuery', () => {
  const rows: Row[] = [
    { name: 'b', owner: 'x', domains: '10' },
    { name: 'a', owner: 'y', domains: '9' },
    { name: 'c', owner: 'x', domains: '' },
    { name: 'd', owner: 'y', domains: '100' },
  ];

  it('sorts whole numbers as numbers and keeps ties in the list\'s own order both ways', () => {
    expect(sortRows(rows, { column: 'domains', desc: false }).map((r) => r.name)).toEqual(['c', 'a', 'b', 'd']);
    expect(sortRows(rows, { column: 'domains', desc: true }).map((r) => r.name)).toEqual(['d', 'b', 'a', 'c']);
    expect(sortRows(rows, { column: 'owner', desc: false }).map((r) => r.name)).toEqual(['b', 'c', 'a', 'd']);
    expect(sortRows(rows, { column: 'owner', desc: true }).map((r) => r.name)).toEqual(['a', 'd', 'b', 'c']);
  });

  it('filters, then sorts, then cuts the page, saying the total of the filtered list', () => {
    const q = { filter: [{ column: 'owner', value: 'y', exact: false }], sort: { column: 'name', desc: true }, page: { num: 1, cnt: 1 } };
    expect(applyListQuery(rows, q)).toEqual({ kind: 'list', rows: [{ name: 'd', owner: 'y', domains: '100' }], page: { num: 1, cnt: 1, elems: 2 } });
    expect(applyListQuery(rows, { ...q, page: { num: 2, cnt: 1 } }).rows).toEqual([rows[1]]);
    expect(applyListQuery(rows, { ...q, page: { num: 3, cnt: 1 } })).toEqual({ kind: 'list', rows: [], page: { num: 3, cnt: 1, elems: 2 } });
  });

  it('pages that concatenate to the sorted list', () => {
    const sorted = sortRows(rows, { column: 'name', desc: false });
    const pages = [1, 2, 3].flatMap((num) => [...applyListQuery(rows, { sort: { column: 'name', desc: false }, page: { num, cnt: 3 } }).rows]);
    expect(pages).toEqual(sorted);
  });
});
