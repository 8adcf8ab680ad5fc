import { describe, expect, it } from 'vitest';
import { parseLogin, parsePassword } from '../../src/model/account-name';
import { expectInvalid } from './expect-invalid';

describe('parseLogin', () => {
  const good = ['admin', 'Admin', 'p192.0.2.1', 'User_1', 'a', 'A-b.c', '0day', 'a'.repeat(64), 'a..b'];
  it.each(good)('accepts %j as given', (raw) => {
    expect(parseLogin(raw)).toBe(raw);
  });

  it.each([
    ['', /empty/],
    ['.', /not a valid login/],
    ['..', /not a valid login/],
    ['.hidden', /starting with a letter or digit/],
    ['-a', /starting with a letter or digit/],
    ['_a', /starting with a letter or digit/],
    [' admin', /expected letters/],
    ['admin ', /expected letters/],
    ['a b', /expected letters/],
    ['a/b', /expected letters/],
    ['a:b', /expected letters/],
    ['a;b', /expected letters/],
    ['a\nb', /expected letters/],
    ['a\u0000', /expected letters/],
    ['é', /expected letters/],
    ['a'.repeat(65), /longer than 64/],
  ])('rejects %j (%s)', (raw, reason) => {
    const err = expectInvalid(() => parseLogin(raw), 'name');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
  });

  it('names the parameter it was given', () => {
    expectInvalid(() => parseLogin('a b', 'owner'), 'owner');
  });
});

describe('parsePassword', () => {
  const good = ['secret', ' spaces are fine ', 'a'.repeat(72), 'п'.repeat(36), '🔑'.repeat(18), 'quote"and;brace}'];
  it.each(good)('accepts %j', (raw) => {
    expect(parsePassword(raw)).toBe(raw);
  });

  it.each([
    ['', /'passwd' is required/],
    ['a'.repeat(73), /is 73 bytes in UTF-8; bcrypt uses at most 72 bytes/],
    ['п'.repeat(37), /is 74 bytes.*bcrypt/],
    ['🔑'.repeat(19), /bcrypt/],
    ['a\u0000b', /control character \(U\+0000\)/],
    ['a\nb', /control character/],
    ['tab\there', /control character/],
    ['del\u007f', /control character/],
    ['c1\u0085', /control character/],
    ['half\ud800', /unpaired surrogate/],
  ])('rejects %j (%s)', (raw, reason) => {
    const err = expectInvalid(() => parsePassword(raw), 'passwd');
    expect(String(err.problems[0]?.reason)).toMatch(reason);
  });

  it('never puts the control characters it found into the message', () => {
    const err = expectInvalid(() => parsePassword('x\u0000y\n'), 'passwd');
    expect(err.message).not.toMatch(/[\u0000-\u001f]/);
  });
});
