// Migration from an older installation: its dnsmgr.passwd imported into the database and written back unchanged.
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { App } from '../../src/app';
import { importPasswd } from '../../src/funcs/passwd-import';
import { findAccount } from '../../src/store/accounts';

const HASH = (c: string) => `$2a$10$${c.repeat(53)}`;
// The seed's shape: an ISPmanager server registered as user "p192.0.2.1" of reseller "resellername", legacy level 10.
const OLD = [
  `resellername::${HASH('r')}:24:0:5000:0`,
  `p192.0.2.1:resellername:${HASH('p')}:10:0:1000:0`,
  `admin::$2y$12$${'y'.repeat(53)}:29:0:0:0`,
  '',
].join('\n');

function freshApp(): App {
  return new App(mkdtempSync(join(tmpdir(), 'dnsmgr-import-')));
}

describe('importPasswd', () => {
  it('imports every account and writes the file back byte for byte, mode 0600', () => {
    const app = freshApp();
    expect(importPasswd(app, OLD)).toEqual({ imported: ['resellername', 'p192.0.2.1', 'admin'], skipped: [] });
    const written = join(app.root, 'etc', 'dnsmgr.passwd');
    expect(readFileSync(written, 'utf8')).toBe(OLD);
    expect(statSync(written).mode & 0o777).toBe(0o600);
  });

  it('maps levels and keeps limits, reseller links and the hash as given', () => {
    const app = freshApp();
    importPasswd(app, OLD);
    const user = findAccount(app.db, 'p192.0.2.1');
    const reseller = findAccount(app.db, 'resellername');
    expect(user).toMatchObject({ level: 16, passwdLevel: 10, domainLimit: 1000, resellerId: reseller?.id, namespaceId: null });
    expect(reseller).toMatchObject({ level: 24, passwdLevel: null, domainLimit: 5000 });
    expect(findAccount(app.db, 'admin')?.passwordHash.startsWith('$2y$12$')).toBe(true);
  });

  it('leaves existing accounts alone and imports the rest; a second import changes nothing', () => {
    const app = freshApp();
    importPasswd(app, OLD);
    const file = join(app.root, 'etc', 'dnsmgr.passwd');
    const before = readFileSync(file, 'utf8');
    expect(importPasswd(app, OLD)).toEqual({ imported: [], skipped: ['resellername', 'p192.0.2.1', 'admin'] });
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('refuses a file with bad lines or an unknown reseller, and imports nothing', () => {
    const app = freshApp();
    expect(() => importPasswd(app, `a::${HASH('a')}:16:0:0:0\nb::not-a-hash:16:0:0:0\n`)).toThrow(ValidationError);
    expect(() => importPasswd(app, `u:ghost:${HASH('u')}:16:0:0:0\n`)).toThrow(/reseller 'ghost'/);
    expect(findAccount(app.db, 'a')).toBeUndefined();
    expect(findAccount(app.db, 'u')).toBeUndefined();
  });
});
