import { describe, expect, it } from 'vitest';
import { AuthError, ExistsError } from '../../src/errors';
import { verbatim } from '../../src/i18n/msg';
import { renderText } from '../../src/protocol/render-text';
import type { Doc } from '../../src/protocol/types';

describe('renderText', () => {
  it('prints one line per row, columns in row order', () => {
    const rows = [{ name: 'example.com', status: 'ok' }, { status: 'refresh failed', name: 'example.net' }];
    expect(renderText({ kind: 'list', rows })).toBe('name=example.com status=ok\nstatus=refresh failed name=example.net\n');
  });

  it('prints nothing for an empty list', () => {
    expect(renderText({ kind: 'list', rows: [] })).toBe('');
  });

  it('prints one line per form field and leaves slists out', () => {
    const doc: Doc = { kind: 'form', fields: { name: 'x', masterip: '' }, slists: { dtype: [{ key: 'slave', label: 'Slave' }] } };
    expect(renderText(doc)).toBe('name=x\nmasterip=\n');
  });

  it('prints OK and the auth key', () => {
    expect(renderText({ kind: 'ok' })).toBe('OK\n');
    expect(renderText({ kind: 'auth', key: 'KEY', level: 16 })).toBe('auth=KEY level=16\n');
  });

  it('prints an error on one line, with the value only when there is one', () => {
    expect(renderText({ kind: 'error', error: new ExistsError('domain', 'example.com') })).toBe(
      "ERROR exists(domain, 'example.com'): Domain 'example.com' already exists\n",
    );
    expect(renderText({ kind: 'error', error: new AuthError() })).toBe(
      'ERROR auth(auth): Authentication failed: wrong user name or password\n',
    );
  });

  it('keeps a multi-line value on one line', () => {
    expect(renderText({ kind: 'list', rows: [{ a: 'x\ny\r\nz', b: 'ok' }] })).toBe('a=x\\ny\\r\\nz b=ok\n');
    const err = new ExistsError('domain', 'd', verbatim('line one\nline two'));
    expect(renderText({ kind: 'error', error: err })).toBe("ERROR exists(domain, 'd'): line one\\nline two\n");
  });

  it('prints a lone surrogate as U+FFFD, as it would be encoded anyway', () => {
    expect(renderText({ kind: 'form', fields: { a: 'x\ud800\ud83d\ude00' } })).toBe('a=x\ufffd\ud83d\ude00\n');
  });
});
