// The settings form: validateSettingsChange turns the raw form into a SettingsChange, updateConf writes it into
// dnsmgr.conf. Golden cases are the folders of test/golden/conf/ that hold change.json: input.conf with the change
// applied must equal expected.conf (they also take part in the conf codec's round-trip cases via entries.json).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { InternalError, ValidationError } from '../../src/errors';
import type { ConfDoc } from '../../src/files/conf-codec';
import { parseConf, renderConf } from '../../src/files/conf-codec';
import type { Settings, SettingsChange } from '../../src/files/settings';
import { settingsFromConf, updateConf, validateSettingsChange } from '../../src/files/settings';
import type { Login } from '../../src/model/account-name';
import type { ZoneName } from '../../src/model/zone-name';
import { expectGolden } from '../helpers/golden';
import { expectInvalid } from '../model/expect-invalid';

const CONF_GOLDEN_DIR = fileURLToPath(new URL('../golden/conf/', import.meta.url));
const CHANGED_KEYS = new Set(['networkinterface', 'shareddomains', 'limitedresellers', 'restricteddomains', 'defaultlang', 'loglevel']);
const CHANGED_OPTIONS = new Set(['disableautoupdate', 'insecuredomain', 'allowipv6', 'alwaysallowsharedip']);

const cases = readdirSync(CONF_GOLDEN_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(CONF_GOLDEN_DIR, entry.name, 'change.json')))
  .map((entry) => entry.name)
  .sort()
  .map((name) => {
    const dir = join(CONF_GOLDEN_DIR, name);
    return {
      name,
      dir,
      input: readFileSync(join(dir, 'input.conf'), 'utf8'),
      change: JSON.parse(readFileSync(join(dir, 'change.json'), 'utf8')) as SettingsChange,
    };
  });

function settingsOf(doc: ConfDoc): Settings {
  return settingsFromConf('/opt/dnsmgr', '/opt/dnsmgr/etc/dnsmgr.conf', doc);
}

/** Lines updateConf may rewrite: the keys and options of the form, whatever the change. */
function isFormLine(line: ConfDoc['lines'][number]): boolean {
  const e = line.entry;
  if (!e) return false;
  return (e.kind === 'key' && CHANGED_KEYS.has(e.name.toLowerCase())) || (e.kind === 'option' && CHANGED_OPTIONS.has(e.name.toLowerCase()));
}

describe('updateConf golden cases', () => {
  it('finds the cases', () => {
    expect(cases.length).toBeGreaterThan(0);
  });

  describe.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const once = renderConf(updateConf(parseConf(c.input), c.change));

    it('gives the expected file', () => {
      expectGolden(join(c.dir, 'expected.conf'), once);
    });

    it('is idempotent: applying the change twice equals applying it once', () => {
      expect(renderConf(updateConf(updateConf(parseConf(c.input), c.change), c.change))).toBe(once);
      expect(renderConf(updateConf(parseConf(once), c.change))).toBe(once);
    });

    it('keeps every other line (comments, unknown keys, paths) byte-identical and in order', () => {
      const others = (text: string): string[] => parseConf(text).lines.filter((l) => !isFormLine(l)).map((l) => l.raw.replace(/\r$/, ''));
      expect(others(once)).toEqual(others(c.input));
    });

    it('gives settings that hold the change', () => {
      const s = settingsOf(parseConf(once));
      const ch = c.change;
      if (ch.NetworkInterface !== undefined) expect(s.networkInterface).toBe(ch.NetworkInterface);
      if (ch.SharedDomains !== undefined) expect(s.sharedDomains).toEqual(ch.SharedDomains);
      if (ch.LimitedResellers !== undefined) expect(s.limitedResellers).toEqual(ch.LimitedResellers);
      if (ch.RestrictedDomains !== undefined) expect(s.restrictedDomains).toEqual(ch.RestrictedDomains);
      if (ch.DefaultLang !== undefined) expect(s.defaultLang).toBe(ch.DefaultLang === '' ? 'en' : ch.DefaultLang);
      if (ch.LogLevel !== undefined) expect(s.logLevel).toBe(ch.LogLevel === '' ? 2 : ch.LogLevel);
      if (ch.DisableAutoUpdate !== undefined) expect(s.option.disableAutoUpdate).toBe(ch.DisableAutoUpdate);
      if (ch.InsecureDomain !== undefined) expect(s.option.insecureDomain).toBe(ch.InsecureDomain);
      if (ch.AllowIpV6 !== undefined) expect(s.option.allowIpV6).toBe(ch.AllowIpV6);
      if (ch.AlwaysAllowSharedIp !== undefined) expect(s.option.alwaysAllowSharedIp).toBe(ch.AlwaysAllowSharedIp);
    });
  });
});

describe('updateConf', () => {
  const text = '// c\nLogLevel 3\nOption InsecureDomain\n';

  it('does not change the document it is given', () => {
    const doc = parseConf(text);
    updateConf(doc, { LogLevel: 4, InsecureDomain: false, SharedDomains: ['a.example' as ZoneName], NetworkInterface: '' });
    expect(renderConf(doc)).toBe(text);
  });

  it('changes nothing for an empty change', () => {
    expect(renderConf(updateConf(parseConf(text), {}))).toBe(text);
  });

  it('removes every line of a key set to empty, duplicates included', () => {
    expect(renderConf(updateConf(parseConf('LogLevel 1\nX 1\nloglevel 2\n'), { LogLevel: '' }))).toBe('X 1\n');
  });

  it('appends new keys in a fixed order, whatever the order of the change', () => {
    const a = updateConf(parseConf(''), { AllowIpV6: true, RestrictedDomains: ['r.example' as ZoneName], LogLevel: 1, DefaultLang: 'ru' });
    const b = updateConf(parseConf(''), { DefaultLang: 'ru', LogLevel: 1, RestrictedDomains: ['r.example' as ZoneName], AllowIpV6: true });
    expect(renderConf(a)).toBe('DefaultLang ru\nLogLevel 1\nRestrictedDomains r.example\nOption AllowIpV6\n');
    expect(renderConf(b)).toBe(renderConf(a));
  });

  it('writes lists separated by single spaces', () => {
    const doc = updateConf(parseConf(''), { LimitedResellers: ['r1', 'r2', 'r3'] as Login[] });
    expect(renderConf(doc)).toBe('LimitedResellers r1 r2 r3\n');
  });

  it.each([
    ['a NetworkInterface with a newline', { NetworkInterface: 'eth0\nOption InsecureDomain' }],
    ['a NetworkInterface with a comment', { NetworkInterface: 'eth0 // x' }],
    ['LogLevel 10', { LogLevel: 10 }],
    ['LogLevel 1.5', { LogLevel: 1.5 }],
  ])('refuses %s that was never validated', (_what, change) => {
    expect(() => updateConf(parseConf(''), change)).toThrow(InternalError);
  });
});

describe('validateSettingsChange', () => {
  it('takes every field of the form', () => {
    expect(validateSettingsChange({
      NetworkInterface: ' eth1 ',
      SharedDomains: 'a.example, B.Example. пример.рф',
      LimitedResellers: 'r1 r2,r1',
      RestrictedDomains: 'blocked.example',
      DefaultLang: 'ru',
      LogLevel: '7',
      DisableAutoUpdate: 'on',
      InsecureDomain: 'off',
      AllowIpV6: 'on',
      AlwaysAllowSharedIp: 'off',
    })).toEqual({
      NetworkInterface: 'eth1',
      SharedDomains: ['a.example', 'b.example', 'xn--e1afmkfd.xn--p1ai'],
      LimitedResellers: ['r1', 'r2'],
      RestrictedDomains: ['blocked.example'],
      DefaultLang: 'ru',
      LogLevel: 7,
      DisableAutoUpdate: true,
      InsecureDomain: false,
      AllowIpV6: true,
      AlwaysAllowSharedIp: false,
    });
  });

  it('takes only the fields present and ignores the rest of the request', () => {
    expect(validateSettingsChange({ func: 'settings', sok: 'ok', elid: 'x', InsecureDomain: 'on' })).toEqual({ InsecureDomain: true });
    expect(validateSettingsChange({})).toEqual({});
  });

  it('reads empty fields as "back to the default"', () => {
    expect(validateSettingsChange({
      NetworkInterface: '', SharedDomains: ' , ', LimitedResellers: '', RestrictedDomains: '', DefaultLang: '', LogLevel: ' ',
    })).toEqual({ NetworkInterface: '', SharedDomains: [], LimitedResellers: [], RestrictedDomains: [], DefaultLang: '', LogLevel: '' });
  });

  it('writes -0 as 0', () => {
    expect(Object.is(validateSettingsChange({ LogLevel: '-0' }).LogLevel, 0)).toBe(true);
  });

  it('ignores properties inherited from Object.prototype', () => {
    expect(validateSettingsChange(JSON.parse('{"__proto__": {"LogLevel": "99"}}') as Record<string, string>)).toEqual({});
  });

  it.each([
    ['NetworkInterface', ['eth0;', 'eth0 eth1', 'a'.repeat(16), 'eth0\nOption InsecureDomain']],
    ['SharedDomains', ['a.example bad!', '*.example', 'a.example;b.example', 'x']],
    ['LimitedResellers', ['-r1', 'r:1', '../etc']],
    ['RestrictedDomains', ['a..example', '192.0.2.1']],
    ['DefaultLang', ['de', 'EN', 'ru,en']],
    ['LogLevel', ['10', '-1', 'x', '1.5', '1e0']],
    ['DisableAutoUpdate', ['maybe', '2']],
    ['InsecureDomain', ['']],
    ['AllowIpV6', ['onn']],
    ['AlwaysAllowSharedIp', ['enabled']],
  ])('rejects %s', (param, values) => {
    for (const value of values) expectInvalid(() => validateSettingsChange({ [param]: value }), param);
  });

  it('reports every bad field in one error', () => {
    let caught: unknown;
    try {
      validateSettingsChange({
        NetworkInterface: 'eth0;',
        SharedDomains: 'ok.example bad! worse!',
        LimitedResellers: 'fine',
        DefaultLang: 'de',
        LogLevel: '10',
        InsecureDomain: 'maybe',
        AllowIpV6: 'on',
      });
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ValidationError);
    expect((caught as ValidationError).problems.map((p) => [p.param, p.value])).toEqual([
      ['NetworkInterface', 'eth0;'],
      ['SharedDomains', 'bad!'],
      ['SharedDomains', 'worse!'],
      ['DefaultLang', 'de'],
      ['LogLevel', '10'],
      ['InsecureDomain', 'maybe'],
    ]);
  });

  it('produces a change updateConf writes and settingsFromConf reads back', () => {
    const change = validateSettingsChange({ SharedDomains: 'b.example a.example', LogLevel: '0', AlwaysAllowSharedIp: 'yes' });
    const s = settingsOf(updateConf(parseConf('// x\n'), change));
    expect(s.sharedDomains).toEqual(['b.example', 'a.example']);
    expect(s.logLevel).toBe(0);
    expect(s.option.alwaysAllowSharedIp).toBe(true);
  });
});
