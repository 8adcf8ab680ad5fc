// A panel's slave settings file (ISPmanager's here): validated on the way in, read back exactly as written.
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { confPath as panelConfPath, loadSlaveConfig as loadPanelConfig, saveSlaveConfig as savePanelConfig, validateSlaveConfig } from '../../src/panels/config';
import type { SlaveConfigChange } from '../../src/panels/config';

const confPath = (root: string): string => panelConfPath(root, 'ispmgr');
const loadSlaveConfig = (root: string) => loadPanelConfig(root, 'ispmgr');
const saveSlaveConfig = (root: string, change: SlaveConfigChange): void => savePanelConfig(root, 'ispmgr', change);

const FORM = { url: 'https://ns2.example.net:1500/dnsmgr', username: 'panel1', masterip: '198.51.100.1', enabled: 'on' };

describe('slave settings', () => {
  it.each(['plain', 'with // comment', '  spaced  ', 'a/*b*/c', 'юникод пароль', '#hash'])('a password %j reads back as written, file mode 0600', (password) => {
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-ispconf-'));
    saveSlaveConfig(root, validateSlaveConfig({ ...FORM, password }));
    expect(loadSlaveConfig(root)).toMatchObject({ url: FORM.url, username: 'panel1', password, masterIp: '198.51.100.1', enabled: true });
    expect(statSync(confPath(root)).mode & 0o777).toBe(0o600);
  });

  it('keeps the stored password when the form leaves it empty', () => {
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-ispconf-'));
    saveSlaveConfig(root, validateSlaveConfig({ ...FORM, password: 'first' }));
    saveSlaveConfig(root, validateSlaveConfig({ ...FORM, password: '' }));
    expect(loadSlaveConfig(root).password).toBe('first');
  });

  it('reports every bad field at once and never echoes the password', () => {
    try {
      validateSlaveConfig({ url: 'ftp://user:pw@host/', username: '../x', masterip: 'localhost', password: 'x\ny' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ValidationError);
      const problems = (err as ValidationError).problems;
      expect(problems.map((p) => p.param)).toEqual(['url', 'username', 'masterip', 'password']);
      expect(JSON.stringify(problems)).not.toContain('x\\ny');
    }
  });
});
