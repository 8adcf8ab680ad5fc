// Migration from an older installation: accounts from its dnsmgr.passwd, with their hashes, levels and limits.
import { ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { InvalidParam } from '../errors';
import { levelFromPasswd, passwdEntries, parsePasswd } from '../files/passwd-codec';
import { findAccount, insertAccount, setResellerOf } from '../store/accounts';
import { writeTx } from '../store/db';
import { writePasswd } from '../sync/passwd';
import type { App } from '../app';

export interface ImportResult {
  imported: string[];
  skipped: string[];
}

/**
 * Adds every account of the file that does not exist yet (existing logins are left alone). Accounts come without a
 * namespace: give each one with `user.edit elid=<login> ip=…` (or nstype=shared). A level the panel does not use (the
 * seed's 10) is mapped to the panel's level and written back as it was.
 */
export function importPasswd(app: App, text: string): ImportResult {
  const { db } = app;
  const entries = passwdEntries(parsePasswd(text));
  const result: ImportResult = { imported: [], skipped: [] };
  writeTx(db, () => {
    for (const e of entries) {
      if (findAccount(db, e.login)) {
        result.skipped.push(e.login);
        continue;
      }
      const level = levelFromPasswd(e.level);
      insertAccount(db, {
        name: e.login, level, resellerId: null, passwordHash: e.hash, disabled: false, namespaceId: null,
        domainLimit: e.allowed === 0 ? null : e.allowed, passwdLevel: level === e.level ? null : e.level,
      });
      result.imported.push(e.login);
    }
    const problems: InvalidParam[] = [];
    for (const e of entries.filter((x) => x.reseller !== '' && result.imported.includes(x.login))) {
      const reseller = findAccount(db, e.reseller);
      if (!reseller || reseller.level !== levelFromPasswd(24)) {
        problems.push({ param: 'passwd', value: e.login, reason: msg`its reseller '${e.reseller}' is not a reseller in the file or in dnsmgr` });
        continue;
      }
      setResellerOf(db, e.login, reseller.id);
    }
    if (problems.length > 0) throw new ValidationError(problems);
  });
  writePasswd(app);
  return result;
}
