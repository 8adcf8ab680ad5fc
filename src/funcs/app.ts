// The installation a request runs against: settings, database and name-server backend, each opened on first use.
import { randomBytes } from 'node:crypto';
import { loadSettings } from '../files/settings';
import type { Settings } from '../files/settings';
import { openDb } from '../store/db';
import type { Db } from '../store/db';
import type { NameServerBackend } from '../dns/backend';
import { BindBackend } from '../dns/bind/bind-backend';

export class App {
  private settingsValue?: Settings;
  private dbValue?: Db;
  private backendValue?: NameServerBackend;

  constructor(readonly root: string) {}

  get settings(): Settings {
    this.settingsValue ??= loadSettings(this.root);
    return this.settingsValue;
  }

  get db(): Db {
    this.dbValue ??= openDb(this.settings.dbFile);
    return this.dbValue;
  }

  get backend(): NameServerBackend {
    this.backendValue ??= new BindBackend(this.settings);
    return this.backendValue;
  }

  close(): void {
    this.dbValue?.close();
    this.dbValue = undefined;
  }
}

/** Marks the zones a request is changing, so a later request can tell a dead process's leftovers from live work. */
export function newClaim(): string {
  return `${process.pid}:${randomBytes(6).toString('hex')}`;
}
