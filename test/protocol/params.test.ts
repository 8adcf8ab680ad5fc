import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { paramsFromArgs, paramsFromEnv, paramsFromForm, parseOutFormat } from '../../src/protocol/params';

/** The ValidationError a call throws, so its problems can be inspected. */
function validationErrorOf(call: () => unknown): ValidationError {
  try {
    call();
  } catch (err) {
    if (err instanceof ValidationError) return err;
    throw err;
  }
  throw new Error('expected a ValidationError');
}

describe('paramsFromArgs', () => {
  it('reads key=value words; a value may be empty or contain =', () => {
    expect(paramsFromArgs(['name=example.com', 'comment=', 'expr=a=b=c', 'x.y_1=z'])).toEqual({
      name: 'example.com',
      comment: '',
      expr: 'a=b=c',
      'x.y_1': 'z',
    });
  });

  it('joins a repeated key with ", "', () => {
    expect(paramsFromArgs(['elid=a.com', 'elid=b.com', 'elid=c.com'])).toEqual({ elid: 'a.com, b.com, c.com' });
  });

  it('rejects words that are not key=value, reporting every one', () => {
    const err = validationErrorOf(() => paramsFromArgs(['name', 'ok=1', '=x', '1a=b', 'a-b=c']));
    expect(err.problems.map((p) => [p.param, p.value])).toEqual([
      ['(argument)', 'name'],
      ['(argument)', '=x'],
      ['(argument)', '1a=b'],
      ['(argument)', 'a-b=c'],
    ]);
  });

  it('rejects a NUL byte, naming the parameter', () => {
    const err = validationErrorOf(() => paramsFromArgs(['name=a\0b']));
    expect(err.problems.map((p) => ({ ...p, reason: String(p.reason) }))).toEqual([{ param: 'name', value: 'a\0b', reason: 'a NUL byte is not allowed' }]);
    expect(err.object).toBe('name');
    expect(validationErrorOf(() => paramsFromArgs(['na\0me=x'])).object).toBe('(argument)');
  });

  it('keeps prototype-looking keys as plain data', () => {
    const params = paramsFromArgs(['__proto__=x', 'constructor=y', 'constructor=z']);
    expect(Object.keys(params)).toEqual(['__proto__', 'constructor']);
    expect(params.constructor).toBe('y, z');
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });
});

describe('paramsFromEnv', () => {
  it('takes every PARAM_ variable and nothing else', () => {
    const env = { PARAM_func: 'domain.edit', PARAM_name: 'example.com', PARAM_sok: '', AUTH_USER: 'alice', PATH: '/bin' };
    expect(paramsFromEnv(env)).toEqual({ func: 'domain.edit', name: 'example.com', sok: '' });
  });

  it('ignores names that are not parameter names', () => {
    expect(paramsFromEnv({ PARAM_: 'x', 'PARAM_a-b': 'y', PARAM_1x: 'z', PARAM_ok: '1' })).toEqual({ ok: '1' });
  });

  it('rejects a NUL byte in a value', () => {
    expect(validationErrorOf(() => paramsFromEnv({ PARAM_name: 'a\0' })).object).toBe('name');
  });
});

describe('paramsFromForm', () => {
  it('decodes percent escapes and + as space', () => {
    expect(paramsFromForm('func=domain.edit&name=ex%C3%A9mple.com&comment=two+words%2B1&masterip=192.0.2.1')).toEqual({
      func: 'domain.edit',
      name: 'exémple.com',
      comment: 'two words+1',
      masterip: '192.0.2.1',
    });
  });

  it('accepts a query string with its leading ?, empty pairs, a key without = and values containing =', () => {
    expect(paramsFromForm('?a=1&&sok&b=x=y&c=')).toEqual({ a: '1', sok: '', b: 'x=y', c: '' });
  });

  it('returns nothing for an empty body', () => {
    expect(paramsFromForm('')).toEqual({});
  });

  it('joins a repeated key with ", "', () => {
    expect(paramsFromForm('elid=a.com&elid=b.com')).toEqual({ elid: 'a.com, b.com' });
  });

  it('turns a malformed percent escape into a ValidationError, not a crash', () => {
    for (const bad of ['name=%', 'name=%zz', 'name=%C3', 'name=%E0%A4%A']) {
      const err = validationErrorOf(() => paramsFromForm(bad));
      expect(err.problems[0]).toMatchObject({ param: 'name' });
      expect(String(err.problems[0]?.reason)).toBe('malformed percent-encoding');
    }
    expect(validationErrorOf(() => paramsFromForm('%zz=1')).object).toBe('(argument)');
  });

  it('rejects keys that are not parameter names', () => {
    expect(validationErrorOf(() => paramsFromForm('a%20b=1')).object).toBe('(argument)');
    expect(validationErrorOf(() => paramsFromForm('=1')).object).toBe('(argument)');
  });

  it('rejects an encoded NUL byte', () => {
    expect(validationErrorOf(() => paramsFromForm('name=a%00b')).object).toBe('name');
    expect(validationErrorOf(() => paramsFromForm('na%00me=x')).object).toBe('(argument)');
  });
});

describe('parseOutFormat', () => {
  it('accepts xml, json, text, sjson, bjson and JSONdata, spelled as the panel spells them', () => {
    expect(parseOutFormat('xml', 'text')).toBe('xml');
    expect(parseOutFormat('json', 'text')).toBe('json');
    expect(parseOutFormat('text', 'xml')).toBe('text');
    expect(parseOutFormat('sjson', 'xml')).toBe('sjson');
    expect(parseOutFormat('bjson', 'xml')).toBe('bjson');
    expect(parseOutFormat('JSONdata', 'xml')).toBe('JSONdata');
  });

  it('falls back when absent or empty', () => {
    expect(parseOutFormat(undefined, 'text')).toBe('text');
    expect(parseOutFormat('', 'xml')).toBe('xml');
  });

  it('rejects anything else as an invalid out', () => {
    for (const bad of ['XML', 'jsondata', 'devel', 'html', 'yaml']) {
      const err = validationErrorOf(() => parseOutFormat(bad, 'xml'));
      expect([err.type, err.object, err.value]).toEqual(['value', 'out', bad]);
    }
  });
});

describe("the panel web interface's own parameters", () => {
  it('are dropped unread at every door: sform, clicked_button, progressid, zoom-ip', () => {
    expect(paramsFromForm('func=domain&sform=domain.edit&clicked_button=ok&progressid=a1b2&zoom-ip=192.0.2.1&name=x.example'))
      .toEqual({ func: 'domain', name: 'x.example' });
    expect(paramsFromArgs(['sform=x', 'clicked_button=ok', 'progressid=1', 'zoom-ip=1', 'name=x.example'])).toEqual({ name: 'x.example' });
    expect(paramsFromEnv({ PARAM_sform: 'x', PARAM_clicked_button: 'ok', PARAM_progressid: '1', PARAM_name: 'x.example' })).toEqual({ name: 'x.example' });
  });

  it('other names with a hyphen are still refused', () => {
    expect(validationErrorOf(() => paramsFromForm('zoom-ipx=1')).problems.map((p) => p.param)).toEqual(['(argument)']);
  });
});
