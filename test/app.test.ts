// A long-running serve process sees dnsmgr.conf changes without a restart.
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { writeFileAtomic } from '../src/files/atomic-write';
import { App } from '../src/app';

describe('App.refreshSettings', () => {
  it('reads dnsmgr.conf again once it changed, and not before', () => {
    const root = mkdtempSync(join(tmpdir(), 'dnsmgr-app-'));
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    mkdirSync(join(root, 'etc'));
    const conf = join(root, 'etc', 'dnsmgr.conf');
    writeFileAtomic(conf, 'NetworkInterface eth1\n');
    const app = new App(root);
    const first = app.settings;
    expect(first.networkInterface).toBe('eth1');
    app.refreshSettings();
    expect(app.settings).toBe(first);
    writeFileAtomic(conf, 'NetworkInterface eth2\nOption AllowIpV6\n');
    app.refreshSettings();
    expect(app.settings.networkInterface).toBe('eth2');
    expect(app.settings.option.allowIpV6).toBe(true);
  });
});
