// The order every list sorts a column in: a total order, and SQLite sorting by sqlListOrder gives the very order
// compareListValues gives (real SQLite, in memory).
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { compareListValues, sqlListOrder } from '../../src/model/list-order';

/** Values a column may mix: empty, whole numbers (leading zeros, 15 and 16 digits), text starting with digits, record values, Unicode either side of U+E000 and beyond U+FFFF. */
const SAMPLES = [
  '', '0', '00', '7', '9', '10', '010', '100', '999999999999999', '1000000000000000', '10 mail.example.com.', '9a', '1a',
  '192.0.2.1', '2001:db8::1', ' 12', '-1', '1e5', 'ns1.example.com.', 'Zeta', 'alpha', '"quoted"', 'tok\u00e9n', '\u4e2d\u6587',
  '\ue000private', '\uffe0wide', '\ud83d\ude00smile', '\ud800\udc00first beyond', '0 issue "ca.example.net"', '10 0 5060 sip.example.com.',
];

/** A deterministic mix of the samples and some made from them, so the checks below see ties and near misses. */
function values(): string[] {
  const out = [...SAMPLES];
  let seed = 7;
  const next = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  for (let i = 0; i < 300; i++) {
    const a = SAMPLES[next(SAMPLES.length)] ?? '';
    const b = SAMPLES[next(SAMPLES.length)] ?? '';
    out.push(next(3) === 0 ? a : next(2) === 0 ? `${a}${b}` : a.slice(0, next(a.length + 1)));
  }
  return out;
}

describe('compareListValues', () => {
  it('puts the empty value first, whole numbers by value, then text by code point', () => {
    const sorted = ['b', '10', '', '9', 'a', '10 mail.example.com.', '1a', '\ud83d\ude00', '\ue000'].sort(compareListValues);
    expect(sorted).toEqual(['', '9', '10', '10 mail.example.com.', '1a', 'a', 'b', '\ue000', '\ud83d\ude00']);
    expect(compareListValues('010', '10')).toBe(0);
    expect(compareListValues('1000000000000000', '999999999999999')).toBeGreaterThan(0); // 16 digits: text, after the numbers
  });

  it('is a total order: antisymmetric and transitive over every triple of a mixed column', () => {
    const vs = [...new Set(values())].slice(0, 120);
    const broken: string[] = [];
    for (const a of vs) {
      for (const b of vs) {
        const ab = Math.sign(compareListValues(a, b));
        if (ab !== -Math.sign(compareListValues(b, a))) broken.push(`${a} | ${b}`);
        if (ab > 0) continue;
        for (const c of vs) if (compareListValues(b, c) <= 0 && compareListValues(a, c) > 0) broken.push(`${a} <= ${b} <= ${c}`);
      }
    }
    expect(vs.length).toBe(120);
    expect(broken).toEqual([]);
  });
});

describe('sqlListOrder', () => {
  const db = new Database(':memory:');
  afterAll(() => db.close());
  db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT NOT NULL)');
  const insert = db.prepare('INSERT INTO t (id, v) VALUES (?, ?)');
  const all = values();
  all.forEach((v, i) => insert.run(i, v));

  it.each([false, true])('sorts in SQLite as compareListValues does, ties in the list\'s own order (desc: %s)', (desc) => {
    const sql = db.prepare(`SELECT v FROM t ORDER BY ${sqlListOrder('v', desc)}, id`).pluck().all();
    const js = all.map((v, i) => ({ v, i })).sort((a, b) => (desc ? -1 : 1) * compareListValues(a.v, b.v) || a.i - b.i).map((r) => r.v);
    expect(sql).toEqual(js);
  });
});
