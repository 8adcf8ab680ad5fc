// Clients decide success by a marker in the body, not by parsing: "ok":true (bjson), "ok":"" (JSONdata), no .doc.error
// (json, sjson), no <error (xml), OK and no ERROR (text). Each marker must be there exactly when the document is a
// success, whatever the values in it say: values are echoed input, and input can be anything.
import { describe, expect, it } from 'vitest';
import { ExistsError, NotFoundError, ValidationError } from '../../src/errors';
import { verbatim } from '../../src/i18n/msg';
import { renderDoc } from '../../src/protocol/render';
import type { Doc, OutFormat } from '../../src/protocol/types';

const NASTY = ['"ok":true', '"ok":""', '<error type="x"/>', 'ERROR', '{"doc":{"error":1}}', '"name":"example.com"', '\n"ok":true\n'];

const SUCCESSES: [string, Doc][] = [
  ['ok', { kind: 'ok' }],
  ['ok with a report', { kind: 'ok', rows: NASTY.map((v) => ({ deleted: v })) }],
  ['auth', { kind: 'auth', key: 'a'.repeat(48), level: 16 }],
];
const READS: [string, Doc][] = [
  ['list', { kind: 'list', rows: NASTY.map((v) => ({ name: v, status: v })) }],
  ['form', { kind: 'form', fields: { name: NASTY.join(' '), ok: 'true' }, slists: { dtype: [{ key: '"ok":true', label: 'ERROR' }] } }],
];
const FAILURES: [string, Doc][] = NASTY.flatMap((v): [string, Doc][] => [
  [`value error echoing ${JSON.stringify(v)}`, { kind: 'error', error: new ValidationError({ param: 'name', value: v, reason: verbatim(v) }) }],
  [`missing ${JSON.stringify(v)}`, { kind: 'error', error: new NotFoundError('func', v) }],
  [`exists ${JSON.stringify(v)}`, { kind: 'error', error: new ExistsError('domain', v, verbatim(v)) }],
]);

const submitted: Record<OutFormat, (body: string) => boolean> = {
  xml: (b) => !b.includes('<error'),
  json: (b) => (JSON.parse(b) as { doc: { error?: unknown } }).doc.error === undefined,
  text: (b) => !b.startsWith('ERROR'),
  sjson: (b) => (JSON.parse(b) as { doc: { error?: unknown } }).doc.error === undefined,
  bjson: (b) => b.includes('"ok":true'),
  JSONdata: (b) => b.includes('"ok":""'),
};
const FORMATS = Object.keys(submitted) as OutFormat[];

describe('success markers', () => {
  describe.each(FORMATS)('out=%s', (out) => {
    it.each(SUCCESSES)('%s is a success', (_, doc) => {
      expect(submitted[out](renderDoc(doc, out)), renderDoc(doc, out)).toBe(out === 'bjson' || out === 'JSONdata' ? doc.kind === 'ok' : true);
    });
    it.each(FAILURES)('%s is not', (_, doc) => {
      const body = renderDoc(doc, out);
      expect(submitted[out](body), body).toBe(false);
      if (out === 'text') expect(body.startsWith('ERROR ')).toBe(true);
    });
    it.each(READS)('a %s carries no "ok" marker, and no error', (_, doc) => {
      const body = renderDoc(doc, out);
      // The JSON shapes escape a quote in a value; text and xml are not searched for "ok" by anyone.
      if (out !== 'text' && out !== 'xml') expect(body.includes('"ok":true') || body.includes('"ok":""'), body).toBe(false);
      if (out === 'json' || out === 'sjson') expect((JSON.parse(body) as { doc: { error?: unknown } }).doc.error).toBeUndefined();
      if (out === 'xml') expect(body.includes('<error')).toBe(false);
    });
  });

  it('json has doc.messages exactly when a submit succeeded (clients that take it for "done")', () => {
    const messages = (doc: Doc): unknown => (JSON.parse(renderDoc(doc, 'json')) as { doc: { messages?: unknown } }).doc.messages;
    for (const [, doc] of SUCCESSES.filter(([, d]) => d.kind === 'ok')) expect(messages(doc)).toEqual({});
    for (const [name, doc] of [...FAILURES, ...READS]) expect(messages(doc), name).toBeUndefined();
  });

  it('text says OK on the first line of a success, a report after it', () => {
    expect(renderDoc({ kind: 'ok', rows: [{ deleted: 'a.example' }, { deleted: 'b.example' }] }, 'text')).toBe('OK\ndeleted=a.example\ndeleted=b.example\n');
  });
});
