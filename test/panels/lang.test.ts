// The ISPmanager side answers its own functions in the panel's language: PARAM_lang, else SESSION_LANG, else English
// (ISPmanager speaks languages dnsmgr does not; those mean English here, never an error in the customer's panel).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ISPMANAGER } from '../../src/ispmgr/adapter';
import { runPanelPlugin } from '../../src/panels/main';

const runIspmgr = (root: string, env: NodeJS.ProcessEnv): Promise<string> => runPanelPlugin(ISPMANAGER, root, env);

const root = mkdtempSync(join(tmpdir(), 'dnsmgr-ispmgr-lang-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const request = (extra: Record<string, string>): NodeJS.ProcessEnv => ({ PARAM_func: 'dnsslave.queue.delete', AUTH_USER: 'root', AUTH_LEVEL: '30', ...extra });

describe('the ISPmanager side', () => {
  it('says its errors in the language the panel passes', async () => {
    expect(await runIspmgr(root, request({ PARAM_lang: 'ru' })))
      .toContain('<error type="value" object="elid" lang="ru"><param name="object" type="msg" msg="elid">elid</param><param name="value"/><msg>Параметр &apos;elid&apos; обязателен</msg></error>');
    expect(await runIspmgr(root, request({ SESSION_LANG: 'ru' }))).toContain('lang="ru"');
    const en = await runIspmgr(root, request({}));
    expect(en).toContain('<error type="value" object="elid" lang="en">');
    expect(en).toContain('<msg>&apos;elid&apos; is required</msg>');
  });

  it('answers in English for a language of the panel that dnsmgr does not speak', async () => {
    expect(await runIspmgr(root, request({ PARAM_lang: 'de' }))).toContain('<msg>&apos;elid&apos; is required</msg>');
    expect(await runIspmgr(root, request({ PARAM_lang: 'de', PARAM_elid: 'x' }))).toContain('lang="en"');
  });
});
