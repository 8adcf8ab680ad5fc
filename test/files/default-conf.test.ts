// etc/dnsmgr.conf in the repository is the file `dnsmgr init` writes: one text, shown to administrators in both places.
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { DEFAULT_DNSMGR_CONF } from '../../src/files/default-conf';
import { parseConf } from '../../src/files/conf-codec';
import { settingsFromConf } from '../../src/files/settings';

it('etc/dnsmgr.conf is the default configuration init writes, and it reads as valid settings', () => {
  const text = readFileSync('etc/dnsmgr.conf', 'utf8');
  expect(text).toBe(DEFAULT_DNSMGR_CONF);
  expect(() => settingsFromConf('/usr/local/mgr5', '/usr/local/mgr5/etc/dnsmgr.conf', parseConf(text))).not.toThrow();
});
