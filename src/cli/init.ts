// `dnsmgr init`: creates what a standalone installation needs under its root; never overwrites existing files.
import { existsSync, mkdirSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { DEFAULT_DNSMGR_CONF } from '../files/default-conf';
import { writeFileAtomic } from '../files/atomic-write';
import { loadSettings } from '../files/settings';
import { listenFileOf, renderListen, renderRndcKey, renderStandaloneNamedConf, renderViews } from '../dns/bind/render';
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
  const workDir = join(root, 'var', 'named');
  // named's own run directory (pid file, session key), apart from dnsmgr's var/run: named runs unprivileged.
  const runDir = join(root, 'var', 'run', 'named');
  const dirs = [dirname(s.named.conf), dirname(s.named.views), s.named.zoneDir, s.named.nzdDir, workDir, runDir, join(root, 'var', 'log'), dirname(s.named.zoneLog)];
  for (const dir of dirs) {
    mkdirSync(dir, { recursive: true, mode: 0o755 });
  }
  if (!existsSync(s.named.rndcKey)) {
    writeFileAtomic(s.named.rndcKey, renderRndcKey(randomBytes(32).toString('base64')), 0o600);
    notes.push(`created ${s.named.rndcKey}`);
  }
  if (opts.force || !existsSync(s.named.conf)) {
    writeFileAtomic(s.named.conf, renderStandaloneNamedConf({
      root, workDir, runDir, rndcKey: s.named.rndcKey, views: s.named.views, listen: listenFileOf(s.named.views), rndcServer: s.named.rndcServer, rndcPort: s.named.rndcPort,
      statsPort: s.named.statsPort, zoneLog: s.named.zoneLog,
    }), 0o644);
    notes.push(`wrote ${s.named.conf}`);
  }
  if (!existsSync(s.named.views)) {
    writeFileAtomic(s.named.views, renderViews([], { nzdDir: s.named.nzdDir }), 0o644);
    notes.push(`created ${s.named.views}`);
  }
  const listenFile = listenFileOf(s.named.views);
  if (!existsSync(listenFile)) {
    writeFileAtomic(listenFile, renderListen([]), 0o644);
    notes.push(`created ${listenFile}`);
  }
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
