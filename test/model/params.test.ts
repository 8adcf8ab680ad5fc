import { describe, expect, it } from 'vitest';
import { parseIntInRange, parseOneOf, parseYesNo, requireParam } from '../../src/model/params';
import { expectInvalid } from './expect-invalid';

describe('parseYesNo', () => {
  it.each([
    ['on', true], ['off', false], ['yes', true], ['no', false], ['true', true], ['false', false],
    ['1', true], ['0', false], ['ON', true], [' Off ', false],
  ])('%j → %j', (raw, expected) => {
    expect(parseYesNo(raw, 'enabled')).toBe(expected);
  });

  it.each(['', 'y', 'n', '2', 'checked', 'on;'])('rejects %j', (raw) => {
    const err = expectInvalid(() => parseYesNo(raw, 'enabled'), 'enabled');
    expect(String(err.problems[0]?.reason)).toMatch(/on\/off/);
  });
});

describe('parseOneOf', () => {
  const kinds = ['slave', 'stub'] as const;

  it('returns the matching value, typed', () => {
    const kind: 'slave' | 'stub' = parseOneOf('stub', 'kind', kinds);
    expect(kind).toBe('stub');
  });

  it.each(['', 'master', 'SLAVE', ' slave'])('rejects %j and lists the choices', (raw) => {
    const err = expectInvalid(() => parseOneOf(raw, 'kind', kinds), 'kind');
    expect(String(err.problems[0]?.reason)).toBe("expected one of 'slave', 'stub'");
  });
});

describe('parseIntInRange', () => {
  it.each([
    ['5', 5], [' 7 ', 7], ['0', 0], ['100', 100], ['-3', -3], ['007', 7],
  ])('%j → %j', (raw, expected) => {
    expect(parseIntInRange(raw, 'n', -10, 100)).toBe(expected);
  });

  const bad = ['', '101', '-11', '1.5', '1e2', '0x10', '+5', '5 5', 'NaN', 'Infinity', '9'.repeat(20)];
  it.each(bad)('rejects %j', (raw) => {
    const err = expectInvalid(() => parseIntInRange(raw, 'n', -10, 100), 'n');
    expect(String(err.problems[0]?.reason)).toBe('expected a whole number from -10 to 100');
  });
});

describe('requireParam', () => {
  const params: Record<string, string> = { name: 'example.com', blank: '', spaces: '  ', passwd: ' keep me ' };

  it('returns the value untouched', () => {
    expect(requireParam(params, 'name')).toBe('example.com');
    expect(requireParam(params, 'passwd')).toBe(' keep me ');
  });

  it.each(['missing', 'blank', 'spaces', 'toString', '__proto__'])('%j is required', (name) => {
    const err = expectInvalid(() => requireParam(params, name), name);
    expect(err.message).toBe(`'${name}' is required`);
  });
});
