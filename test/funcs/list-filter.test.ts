// filter=on&<column>=<value>: which parameters are columns, what is refused, and how a value matches.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { filterRows, parseListFilter } from '../../src/funcs/lists';

const list = { name: 'domain.check', columns: ['master', 'source', 'result'], params: [{ name: 'owner' }] };

function problems(raw: Record<string, string>): { param: string; value: string }[] {
  try {
    parseListFilter(raw, list);
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    return err.problems.map((p) => ({ param: p.param, value: p.value }));
  }
  throw new Error('no ValidationError');
}

describe('parseListFilter', () => {
  it('is off without filter=on: column parameters then mean nothing', () => {
    expect(parseListFilter({ master: 'x' }, list)).toBeUndefined();
    expect(parseListFilter({ filter: 'off', master: 'x', nosuch: 'y' }, list)).toBeUndefined();
    expect(parseListFilter({ filter: '', master: 'x' }, list)).toBeUndefined();
  });

  it('takes every column given; the list\'s own parameters and the reserved ones are not columns', () => {
    expect(parseListFilter({ filter: 'ON', func: 'domain.check', su: 'alice', elid: 'a.example', owner: 'bob', sok: 'ok', master: '192.0.2.1', result: '"OK"' }, list))
      .toEqual([{ column: 'master', value: '192.0.2.1', exact: false }, { column: 'result', value: 'ok', exact: true }]);
  });

  it('looks for a name typed in Unicode by its punycode, the form names are stored and listed in', () => {
    expect(parseListFilter({ filter: 'on', master: 'пример.рф' }, list)).toEqual([{ column: 'master', value: 'xn--e1afmkfd.xn--p1ai', exact: false }]);
    expect(parseListFilter({ filter: 'on', master: '"ПРИМЕР.рф"' }, list)).toEqual([{ column: 'master', value: 'xn--e1afmkfd.xn--p1ai', exact: true }]);
    expect(parseListFilter({ filter: 'on', master: 'sub.пример.рф.' }, list)).toEqual([{ column: 'master', value: 'sub.xn--e1afmkfd.xn--p1ai.', exact: false }]);
  });

  it('ignores an empty value, but not an empty quoted one', () => {
    expect(parseListFilter({ filter: 'on', master: '', result: '""' }, list)).toEqual([{ column: 'result', value: '', exact: true }]);
  });

  it('refuses every parameter that is not a column, together, and a filter mode it does not know', () => {
    expect(problems(Object.fromEntries([['filter', 'on'], ['mastr', 'x'], ['__proto__', 'y']]))).toEqual([{ param: 'mastr', value: 'x' }, { param: '__proto__', value: 'y' }]);
    expect(problems({ filter: 'yes' })).toEqual([{ param: 'filter', value: 'yes' }]);
  });
});

describe('filterRows', () => {
  const rows = [{ master: '192.0.2.1', result: 'OK' }, { master: '192.0.2.10', result: 'refused' }, { master: 'Ä', result: 'ok' }];
  it('keeps the rows every condition accepts: contains, ASCII case ignored; exact in quotes', () => {
    const f = (raw: Record<string, string>) => filterRows(rows, parseListFilter({ filter: 'on', ...raw }, list) ?? []);
    expect(f({ master: '192.0.2.1' })).toEqual(rows.slice(0, 2));
    expect(f({ master: '"192.0.2.1"' })).toEqual(rows.slice(0, 1));
    expect(f({ result: 'ok', master: '192' })).toEqual(rows.slice(0, 1));
    // Only ASCII letters fold, as in SQLite: Ä is not ä.
    expect(f({ master: 'ä' })).toEqual([]);
    expect(f({})).toEqual(rows);
  });
});
