// The installation a request runs against: settings, database and name-server backend, each opened on first use.
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { loadSettings } from './files/settings';
import type { Settings } from './files/settings';
import { openDb } from './store/db';
import type { Db } from './store/db';
import type { NameServerBackend } from './dns/backend';
import { createBackend } from './dns/create-backend';

export class App {
  private settingsValue?: Settings;
  private settingsStamp = '';
  private dbValue?: Db;
  private backendValue?: NameServerBackend;

  constructor(readonly root: string) {}

  get settings(): Settings {
    if (!this.settingsValue) {
      this.settingsStamp = confStamp(join(this.root, 'etc', 'dnsmgr.conf'));
      this.settingsValue = loadSettings(this.root);
    }
    return this.settingsValue;
  }

  /** A long-running process (serve) calls this per request: a changed dnsmgr.conf is read again. */
  refreshSettings(): void {
    if (this.settingsValue && confStamp(this.settingsValue.confFile) !== this.settingsStamp) {
      this.settingsValue = undefined;
      this.backendValue = undefined;
    }
  }

  get db(): Db {
    this.dbValue ??= openDb(this.settings.dbFile);
    return this.dbValue;
  }

  get backend(): NameServerBackend {
    this.backendValue ??= createBackend(this.settings);
    return this.backendValue;
  }

  close(): void {
    this.dbValue?.close();
    this.dbValue = undefined;
  }
}

/**
 * Marks the zones a request is changing, so a later request can tell a dead process's leftovers from live work (by the
 * pid before the colon). The rest only tells apart claims of one pid, reused over time: the clock and Math.random do,
 * without loading node:crypto for it.
 */
export function newClaim(): string {
  return `${process.pid}:${Date.now().toString(36)}${Math.random().toString(36).slice(2, 10)}`;
}

function confStamp(file: string): string {
  try {
    const st = statSync(file);
    return `${st.mtimeMs}:${st.size}:${st.ino}`;
  } catch {
    return 'absent';
  }
}
