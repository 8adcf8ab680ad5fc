// Issue 8, client envelope item 4: lang=ru|en on any request, DefaultLang as the default, at every front door — the
// HTTP API, the panel's handler and the command line — and -i descriptions in the language asked for.
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseError } from '../helpers/front-doors';
import type { Instance } from '../helpers/dnsmgr';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const ALICE = '192.0.2.40';
let world: World;
let net: TestNet;
let dm: Instance;
let conf: string;

const EXISTS_EN = "Domain 'taken.example' already exists; edit it (elid=taken.example) to change its masters";
const EXISTS_RU = "Домен 'taken.example' уже существует; чтобы сменить его первичные серверы, измените его (elid=taken.example)";
const NOT_FOUND_RU = "Домен 'nowhere.example' не существует";

/** The request that fails the same way at every door: alice adds the zone she already has, with other masters. */
const TAKEN = { func: 'domain.edit', name: 'taken.example', masterip: '198.51.100.77', sok: 'ok' };

async function setDefaultLang(lang: 'ru' | undefined): Promise<void> {
  await writeFile(join(dm.root, 'etc', 'dnsmgr.conf'), lang === undefined ? conf : `${conf}DefaultLang ${lang}\n`);
}

beforeAll(async () => {
  world = await startWorld('i18n', []);
  ({ net, dm } = world);
  conf = await readFile(join(dm.root, 'etc', 'dnsmgr.conf'), 'utf8');
  await dm.addUser('alice', 'alice-pw', ALICE);
  expect((await dm.cli(['domain.edit', 'name=taken.example', `masterip=${net.masterIp}`, 'su=alice', 'sok=ok'])).stdout).toBe('OK\n');
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('the HTTP API', () => {
  const asAlice = { ...TAKEN, authinfo: 'alice:alice-pw' };

  it('answers in English by default and in Russian for lang=ru, the error saying which, in every format', async () => {
    const en = await dm.http({ ...asAlice, out: 'xml' });
    expect(en.body).toContain('<error type="exists" object="domain" lang="en">');
    expect(parseError(en.body, 'xml').message).toBe(EXISTS_EN);
    const ru = await dm.http({ ...asAlice, out: 'xml', lang: 'ru' });
    expect(ru.body).toContain('<error type="exists" object="domain" lang="ru">');
    expect(parseError(ru.body, 'xml').message).toBe(EXISTS_RU);
    const json = JSON.parse((await dm.http({ ...asAlice, out: 'json', lang: 'ru' }, 'POST')).body) as { doc: { error: { $lang: string; msg: { $: string } } } };
    expect(json.doc.error).toMatchObject({ $lang: 'ru', msg: { $: EXISTS_RU } });
    expect((await dm.http({ ...asAlice, out: 'text', lang: 'RU' })).body).toBe(`ERROR exists(domain, 'taken.example'): ${EXISTS_RU}\n`);
  });

  it('says authentication and validation errors in Russian too, and never passes lang on to a function', async () => {
    const auth = await dm.http({ func: 'domain', authinfo: 'alice:wrong', out: 'text', lang: 'ru' });
    expect(auth.body).toBe('ERROR auth(auth): Ошибка авторизации: неверное имя пользователя или пароль\n');
    const value = await dm.http({ func: 'domain.edit', name: 'bad..name', masterip: net.masterIp, sok: 'ok', authinfo: 'alice:alice-pw', out: 'text', lang: 'ru' });
    expect(value.body).toBe("ERROR value(name, 'bad..name'): Неверное значение 'bad..name' параметра 'name': пустая метка (точка в начале или две точки подряд)\n");
    // A list filter refuses every parameter that is not a column: lang is the door's, so the list just answers.
    const list = await dm.http({ func: 'domain', filter: 'on', name: 'taken', authinfo: 'alice:alice-pw', out: 'text', lang: 'ru' });
    expect(list.body).toMatch(/^name=taken\.example owner=alice /);
  });

  it('says an error about a request it could not read in the lang that request asked for', async () => {
    // The query does not parse, so neither does out=: the door's own XML, in the lang the request gave.
    const r = await dm.http({}, 'GET', '/dnsmgr?func=domain&authinfo=alice:alice-pw&lang=ru&name=%zz');
    expect(r.body).toContain('<error type="value" object="name" lang="ru">');
    expect(parseError(r.body, 'xml').message).toBe("Неверное значение '%zz' параметра 'name': неверное %-кодирование");
    const badOut = await dm.http({ func: 'domain', out: 'yaml', lang: 'ru' });
    expect(parseError(badOut.body, 'xml')).toMatchObject({ type: 'value', object: 'out' });
    expect(badOut.body).toContain('lang="ru"');
  });

  it('says where the API is in the lang asked for, for a path that is not the API', async () => {
    expect(await dm.http({}, 'GET', '/nothing-here?lang=ru')).toEqual({ status: 404, body: 'не найдено: API находится по адресу /dnsmgr (или /manager/dnsmgr)\n' });
    expect((await dm.http({}, 'GET', '/nothing-here')).body).toBe('not found: the API is at /dnsmgr (or /manager/dnsmgr)\n');
  });

  it('refuses a lang that is no language of ours, saying so in the default language', async () => {
    const r = await dm.http({ ...asAlice, out: 'text', lang: 'de' });
    expect(r.body).toBe("ERROR value(lang, 'de'): Invalid value 'de' of parameter 'lang': expected one of en, ru\n");
  });
});

describe('DefaultLang in dnsmgr.conf', () => {
  beforeAll(() => setDefaultLang('ru'));
  afterAll(() => setDefaultLang(undefined));

  it('is the language of every door when the request names none, and lang=en overrides it', async () => {
    const http = await dm.http({ ...TAKEN, authinfo: 'alice:alice-pw', out: 'xml' });
    expect(http.body).toContain('lang="ru"');
    expect(parseError(http.body, 'xml').message).toBe(EXISTS_RU);
    expect((await dm.http({ ...TAKEN, authinfo: 'alice:alice-pw', out: 'text', lang: 'en' })).body).toBe(`ERROR exists(domain, 'taken.example'): ${EXISTS_EN}\n`);

    const cli = await dm.cli(['domain.edit', 'elid=nowhere.example', `masterip=${net.masterIp}`, 'sok=ok']);
    expect(cli.stdout).toBe(`ERROR missed(domain, 'nowhere.example'): ${NOT_FOUND_RU}\n`);
    expect(cli.exitCode).toBe(3);
    expect((await dm.cli(['domain.edit', 'elid=nowhere.example', `masterip=${net.masterIp}`, 'sok=ok', 'lang=en'])).stdout)
      .toBe("ERROR missed(domain, 'nowhere.example'): Domain 'nowhere.example' does not exist\n");

    const handler = await dm.handler({ ...TAKEN }, { user: 'alice', level: 16 });
    expect(handler.stdout).toContain('<error type="exists" object="domain" lang="ru">');
    expect(parseError(handler.stdout, 'xml').message).toBe(EXISTS_RU);
    const handlerEn = await dm.handler({ ...TAKEN, lang: 'en' }, { user: 'alice', level: 16 });
    expect(handlerEn.stdout).toContain('lang="en"');
    expect(parseError(handlerEn.stdout, 'xml').message).toBe(EXISTS_EN);
  });

  it('says a lang that is no language of ours in Russian then', async () => {
    const r = await dm.handler({ func: 'domain', lang: 'xx' }, { user: 'alice', level: 16 });
    // The panel reads the error from the document, as for any bad parameter.
    expect(r.exitCode).toBe(0);
    expect(parseError(r.stdout, 'xml')).toMatchObject({ type: 'value', object: 'lang', message: "Неверное значение 'xx' параметра 'lang': ожидается одно из: en, ru" });
  });

  it('describes functions in Russian, -i lang=en in English', async () => {
    const ru = await dm.cli(['-i', 'domain.edit']);
    const [head, desc] = ru.stdout.split('\n');
    expect(head).toBe('domain.edit (форма; доступ: пользователь и выше)');
    expect(desc).toMatch(/^  Добавить вторичную зону \(без elid\) или изменить её первичные серверы \(elid=<зона>\); без sok=ok возвращает значения формы\. Несколько зон сразу/);
    expect((await dm.cli(['-i', 'lang=en', 'domain.edit'])).stdout).toMatch(/^domain\.edit \(form, user and above\)\n  Add a slave zone/);
  });
});

describe('the command line and the panel, with DefaultLang English', () => {
  it('-i lang=ru describes a function and its parameters in Russian, as mgrctl -i lang=ru does', async () => {
    const r = await dm.cli(['-i', 'lang=ru', 'domain.edit']);
    expect(r.exitCode).toBe(0);
    expect(r.stdout).toContain('  masterip     вторичные зоны: адреса мастеров (первичных серверов), IPv4 или IPv6, через запятую или пробел (старые клиенты: master)\n');
    expect(r.stdout).toContain('  lang         язык ответа: en или ru (по умолчанию DefaultLang)\n');
    expect(r.stdout).not.toMatch(/zone|master \(primary\)/);
    // After the function name as well, and for the list of all functions.
    expect((await dm.cli(['-i', 'domain.edit', 'lang=ru'])).stdout).toBe(r.stdout);
    expect((await dm.cli(['-i', 'lang=ru'])).stdout).toMatch(/^domain {11}список {3}Вторичные зоны/);
  });

  it('a lang= word gives the answer in Russian, before or after the function', async () => {
    const after = await dm.cli(['domain.edit', 'elid=nowhere.example', `masterip=${net.masterIp}`, 'sok=ok', 'lang=ru'], { out: 'json' });
    expect(JSON.parse(after.stdout)).toMatchObject({ doc: { error: { $lang: 'ru', msg: { $: NOT_FOUND_RU } } } });
    const before = await dm.cli(['lang=ru', 'nosuch.func']);
    expect(before.stdout).toBe("ERROR missed(func, 'nosuch.func'): Функция 'nosuch.func' не существует\n");
    // An error in the command line itself is still said in the language it asked for.
    expect((await dm.cli(['lang=ru', '-x'])).stdout).toMatch(/^ERROR value\(\(option\), '-x'\): Неверное значение '-x' параметра '\(option\)': неизвестный параметр/);
  });

  it("the panel's PARAM_lang=ru gives the handler's answer in Russian", async () => {
    const r = await dm.handler({ ...TAKEN, lang: 'ru' }, { user: 'alice', level: 16 });
    expect(r.stdout).toContain('<error type="exists" object="domain" lang="ru">');
    expect(parseError(r.stdout, 'xml').message).toBe(EXISTS_RU);
  });
});
