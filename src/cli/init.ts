// `dnsmgr init`: creates what a standalone installation needs under its root; never overwrites existing files.
import { existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DEFAULT_DNSMGR_CONF } from '../files/default-conf';
import { writeFileAtomic } from '../files/atomic-write';
import { loadSettings } from '../files/settings';
import { allHosts } from '../dns/create-host';
import { openDb, writeTx } from '../store/db';
import { findAccount, insertAccount } from '../store/accounts';
import { hashPassword } from '../funcs/passwords';
import { parsePassword } from '../model/account-name';
import { Level } from '../model/level';
import { writePasswdFile } from '../sync/passwd';
import { recordNetworkInterface } from './init-interface';
import { makeSelfSignedPair } from './tls';

/** `tls`: also a self-signed certificate and key for the HTTP API (tlsPairOf), made once. */
export async function init(root: string, opts: { force: boolean; tls?: boolean }): Promise<string> {
  const notes: string[] = [];
  const confFile = join(root, 'etc', 'dnsmgr.conf');
  mkdirSync(dirname(confFile), { recursive: true, mode: 0o755 });
  if (!existsSync(confFile)) {
    writeFileAtomic(confFile, DEFAULT_DNSMGR_CONF, 0o644);
    notes.push(`created ${confFile}`);
  }
  const s = loadSettings(root);
  notes.push(...(await recordNetworkInterface(s)));
  // Every name server's own files (named.conf and its companions), the one not in use too: backend.migrate may need them.
  for (const host of allHosts(s)) notes.push(...host.prepareFiles(opts.force));
  if (opts.tls) notes.push(...(await makeSelfSignedPair(root)));
  const db = openDb(s.dbFile);
  if (!findAccount(db, 'root')) {
    const given = process.env.DNSMGR_ROOT_PASSWORD;
    const password = parsePassword(given ?? randomBytes(12).toString('base64url'), 'DNSMGR_ROOT_PASSWORD');
    const hash = await hashPassword(password);
    writeTx(db, () => insertAccount(db, { name: 'root', level: Level.root, resellerId: null, passwordHash: hash, disabled: false, namespaceId: null }));
    notes.push(given === undefined ? `created account root with password: ${password}` : 'created account root (password from DNSMGR_ROOT_PASSWORD)');
  }
  if (!existsSync(s.passwdFile)) {
    writePasswdFile(db, s.passwdFile);
    notes.push(`created ${s.passwdFile}`);
  }
  db.close();
  return notes.map((n) => `${n}\n`).join('');
}
