// The language a request is answered in, as each front door finds it.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { readDefaultLang } from '../../src/files/settings';
import { App } from '../../src/app';
import { defaultLang, fallbackLang, handlerLang, langInForm, requestLang } from '../../src/cli/request-lang';
import { describe as describeFuncs } from '../../src/cli/describe';

const dirs: string[] = [];
function rootWithConf(conf: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'dnsmgr-lang-'));
  dirs.push(root);
  if (conf !== undefined) {
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), conf);
  }
  return root;
}
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

describe('requestLang', () => {
  it('reads en and ru in any case, with spaces around; absent or empty names none', () => {
    expect(requestLang('ru')).toBe('ru');
    expect(requestLang(' RU ')).toBe('ru');
    expect(requestLang('en')).toBe('en');
    expect(requestLang(undefined)).toBeUndefined();
    expect(requestLang('')).toBeUndefined();
  });

  it('refuses any other value as a value error of lang', () => {
    for (const bad of ['de', 'ru_RU', 'russian', 'en,ru']) {
      const err = (() => { try { requestLang(bad); } catch (e) { return e; } return undefined; })();
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toBe(`Invalid value '${bad}' of parameter 'lang': expected one of en, ru`);
      expect((err as ValidationError).messageIn('ru')).toBe(`Неверное значение '${bad}' параметра 'lang': ожидается одно из: en, ru`);
    }
  });
});

describe('DefaultLang', () => {
  it('is read from dnsmgr.conf, en when absent, unreadable or not a language', () => {
    expect(readDefaultLang(rootWithConf('DefaultLang ru\n'))).toBe('ru');
    expect(readDefaultLang(rootWithConf('LogLevel 2\n'))).toBe('en');
    expect(readDefaultLang(rootWithConf(undefined))).toBe('en');
    expect(readDefaultLang(rootWithConf('DefaultLang de\n'))).toBe('en');
  });

  it('is found alone when another key makes the settings unreadable', () => {
    const root = rootWithConf('DefaultLang ru\nLogLevel 42\n');
    const app = new App(root);
    expect(() => app.settings).toThrow(ValidationError);
    expect(defaultLang(app)).toBe('ru');
    expect(defaultLang(new App(rootWithConf('DefaultLang ru\n')))).toBe('ru');
  });
});

describe('the lang of a request that could not be read whole', () => {
  it('is taken from the query string or the body when it can be read, and only then', () => {
    expect(langInForm('?func=domain&lang=ru&name=%zz')).toBe('ru');
    expect(langInForm('func=domain', 'out=xml&lang=RU')).toBe('ru');
    expect(langInForm('func=domain&lang=%zz')).toBeUndefined();
    expect(langInForm('func=domain&lang=de')).toBeUndefined();
    expect(langInForm('func=domain&xlang=ru')).toBeUndefined();
  });

  it('on the command line: a lang= word, else DefaultLang, else English', () => {
    expect(fallbackLang(['lang=ru', '-x'], {}, () => 'en')).toBe('ru');
    expect(fallbackLang(['-x'], {}, () => 'ru')).toBe('ru');
    expect(fallbackLang(['lang=de', '-x'], {}, () => 'ru')).toBe('ru');
    expect(fallbackLang(['-x'], {}, () => { throw new Error('no root'); })).toBe('en');
    // The panel's variables count only when the panel runs the handler.
    expect(fallbackLang([], { PARAM_lang: 'ru' }, () => 'en')).toBe('en');
    expect(fallbackLang([], { PARAM_func: 'domain', PARAM_lang: 'ru' }, () => 'en')).toBe('ru');
  });
});

describe("the panel's handler", () => {
  it('takes PARAM_lang, then SESSION_LANG, then DefaultLang', () => {
    expect(handlerLang({ PARAM_lang: 'ru', SESSION_LANG: 'en' }, () => 'en')).toBe('ru');
    expect(handlerLang({ SESSION_LANG: 'ru' }, () => 'en')).toBe('ru');
    expect(handlerLang({ SESSION_LANG: 'de' }, () => 'ru')).toBe('ru');
    expect(handlerLang({}, () => 'ru')).toBe('ru');
    expect(() => handlerLang({ PARAM_lang: 'de' }, () => 'en')).toThrow(ValidationError);
  });
});

describe('-i', () => {
  it('describes every function and its parameters in the language asked for', async () => {
    const en = await describeFuncs('user.edit', 'en');
    const ru = await describeFuncs('user.edit', 'ru');
    expect(en.split('\n')[0]).toBe('user.edit (form, reseller and above)');
    expect(ru.split('\n')[0]).toBe('user.edit (форма; доступ: реселлер и выше)');
    expect(ru).toContain('  elid         логин изменяемого пользователя; пусто — добавить нового\n');
    expect(ru).toContain('  su           действовать от имени учётной записи, которой вы управляете\n');
    // Every line of the Russian overview has Cyrillic in its description.
    for (const line of (await describeFuncs(undefined, 'ru')).trimEnd().split('\n')) expect(line).toMatch(/[а-яё]/);
  });
});
