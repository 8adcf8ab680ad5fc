// settings: the dnsmgr.conf options a panel administrator changes, written back keeping comments, order, unknown keys.
// A new NetworkInterface must exist on this machine; the pool addresses in use move to it (and the answer lists them).
import { readFileSync } from 'node:fs';
import { msg } from '../i18n/msg';
import { writeFileAtomic } from '../files/atomic-write';
import { getConf, parseConf, renderConf } from '../files/conf-codec';
import { HEALTH_KEY_NAMES, HEALTH_KEYS, settingsFromConf, updateConf, validateSettingsChange } from '../files/settings';
import type { SettingsChange } from '../files/settings';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import { boundAddresses } from '../store/ipaddrs';
import { checkInterfaceExists, moveAddresses, placementRows } from './interface';
import { defineFunc, isSubmit } from './registry';

const FIELDS = ['NetworkInterface', 'SharedDomains', 'LimitedResellers', 'RestrictedDomains', 'DefaultLang', 'LogLevel', 'DisableAutoUpdate', 'InsecureDomain', 'AllowIpV6', 'AlwaysAllowSharedIp'] as const;

export const settingsFunc = defineFunc<{ submit: boolean; change: SettingsChange }>({
  name: 'settings', kind: 'form', minLevel: Level.admin, mutates: false,
  desc: msg`dnsmgr.conf settings: network interface, shared, restricted and limited names, language, log level, options`,
  params: [
    { name: 'NetworkInterface', desc: msg`interface the namespace addresses are bound to: one this server has; changing it moves the bound addresses there` },
    { name: 'SharedDomains', desc: msg`zones whose owners are not checked (several accounts may add them), separated by spaces` },
    { name: 'LimitedResellers', desc: msg`resellers that may create users only inside their own namespace` },
    { name: 'RestrictedDomains', desc: msg`names nobody may add, with everything below them` },
    { name: 'DefaultLang', desc: msg`en or ru` },
    { name: 'LogLevel', desc: msg`0-9` },
    { name: 'DisableAutoUpdate', desc: msg`on/off` },
    { name: 'InsecureDomain', desc: msg`on/off: skip the check that a new zone belongs to nobody else` },
    { name: 'AllowIpV6', desc: msg`on/off: IPv6 addresses in the pool and namespaces` },
    { name: 'AlwaysAllowSharedIp', desc: msg`on/off: accounts with addresses of their own may also join shared namespaces` },
    { name: 'HealthInterval', desc: msg`seconds between two zone health refreshes (1-86400; default 30)` },
    { name: 'ProblemThreshold', desc: msg`hours a zone may fail before it is long-failing (1-8760; default 24)` },
    { name: 'RetransferLimit', desc: msg`automatic retransfers of zones that never loaded, per refresh (0 = none; default 100)` },
    { name: 'SuspendDeadZones', desc: msg`days of failing after which a zone is suspended (0 = never, the default)` },
    { name: 'DeleteDeadZones', desc: msg`days of failing after which a zone is deleted (0 = never, the default)` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  parse: (raw) => ({ submit: isSubmit(raw), change: isSubmit(raw) ? validateSettingsChange(raw) : {} }),
  async run({ app }, p): Promise<Doc> {
    const file = app.settings.confFile;
    const doc = parseConf(readOrEmpty(file));
    if (p.submit) {
      const next = updateConf(doc, p.change);
      // The whole result must still be a valid configuration before it replaces the file.
      const nextSettings = settingsFromConf(app.root, file, next);
      const text = renderConf(next);
      if (text === renderConf(doc)) return { kind: 'ok' };
      const write = (): void => writeFileAtomic(file, text, 0o644);
      const from = getConf(doc, 'key', 'NetworkInterface') ?? '';
      const to = nextSettings.networkInterface;
      if (to === from) {
        write();
        return { kind: 'ok' };
      }
      await checkInterfaceExists(nextSettings, to);
      const addrs = boundAddresses(app.db);
      const moved = await moveAddresses(nextSettings, addrs, from, to, write);
      return moved.length === 0 ? { kind: 'ok' } : { kind: 'ok', rows: placementRows(moved) };
    }
    const s = settingsFromConf(app.root, file, doc);
    const onOff = (b: boolean): string => (b ? 'on' : 'off');
    const fields: Record<string, string> = {
      NetworkInterface: s.networkInterface, SharedDomains: s.sharedDomains.join(' '), LimitedResellers: s.limitedResellers.join(' '),
      RestrictedDomains: s.restrictedDomains.join(' '), DefaultLang: s.defaultLang, LogLevel: String(s.logLevel),
      DisableAutoUpdate: onOff(s.option.disableAutoUpdate), InsecureDomain: onOff(s.option.insecureDomain),
      AllowIpV6: onOff(s.option.allowIpV6), AlwaysAllowSharedIp: onOff(s.option.alwaysAllowSharedIp),
      ...Object.fromEntries(HEALTH_KEY_NAMES.map((k) => [k, String(s.health[HEALTH_KEYS[k][0]])])),
    } satisfies Record<(typeof FIELDS)[number], string>;
    return { kind: 'form', fields, slists: { DefaultLang: [{ key: 'en', label: 'English' }, { key: 'ru', label: 'Русский' }] } };
  },
});

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
