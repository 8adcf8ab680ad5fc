import { describe, expect, it } from 'vitest';
import { DnsmgrError, NotFoundError } from '../../src/errors';
import { verbatim } from '../../src/i18n/msg';
import { renderJson } from '../../src/protocol/render-json';
import type { Doc } from '../../src/protocol/types';

describe('renderJson', () => {
  it('renders a list with elem always an array, one line ending in a newline', () => {
    expect(renderJson({ kind: 'list', rows: [{ name: 'x' }] })).toBe('{"doc":{"elem":[{"name":{"$":"x"}}]}}\n');
    expect(renderJson({ kind: 'list', rows: [] })).toBe('{"doc":{"elem":[]}}\n');
  });

  it('renders form fields, and slists only when there are some', () => {
    const doc: Doc = { kind: 'form', fields: { name: 'x' }, slists: { f: [{ key: 'k', label: 'label' }] } };
    expect(renderJson(doc)).toBe('{"doc":{"name":{"$":"x"},"slist":[{"$name":"f","val":[{"$key":"k","$":"label"}]}]}}\n');
    expect(renderJson({ kind: 'form', fields: { name: 'x' }, slists: {} })).toBe('{"doc":{"name":{"$":"x"}}}\n');
  });

  it('renders ok and auth', () => {
    expect(renderJson({ kind: 'ok' })).toBe('{"doc":{"ok":{},"messages":{}}}\n');
    expect(renderJson({ kind: 'auth', key: 'KEY', level: 16 })).toBe('{"doc":{"auth":{"$id":"KEY","$level":"16","$":"KEY"}}}\n');
  });

  it('renders an error with type, object and value where clients look for them', () => {
    const parsed = JSON.parse(renderJson({ kind: 'error', error: new NotFoundError('user', 'bob') }));
    expect(parsed).toEqual({
      doc: {
        error: {
          $type: 'missed',
          $object: 'user',
          $lang: 'en',
          param: [{ $name: 'object', $type: 'msg', $msg: 'user', $: 'user' }, { $name: 'value', $: 'bob' }],
          msg: { $: "User 'bob' does not exist" },
        },
      },
    });
  });

  it('keeps every value exact, including control characters and lone surrogates, on one line', () => {
    const value = `${Array.from({ length: 32 }, (_, i) => String.fromCharCode(i)).join('')}<>&"' ]]> \ud83d\ude00 \ud800 \uffff`;
    const out = renderJson({ kind: 'list', rows: [{ name: value }] });
    expect(out.indexOf('\n')).toBe(out.length - 1);
    expect(JSON.parse(out).doc.elem[0].name.$).toBe(value);
    const err = JSON.parse(renderJson({ kind: 'error', error: new DnsmgrError('value', 'name', value, verbatim(value)) }));
    expect([err.doc.error.param[1].$, err.doc.error.msg.$]).toEqual([value, value]);
  });
});
