// Who named runs as under `run`, and the files that must be its: named drops root right after binding its ports
// (named -u), then writes its working directory, new-zone databases, zone files, pid file, session key and zone log
// as that user, while dnsmgr (root) keeps writing named.conf, the views and the database.
import { chmodSync, chownSync, existsSync, lchownSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
import { DnsmgrError, ValidationError } from '../../errors';
import type { Settings } from '../../files/settings';
import { listenFileOf, updateKeysFileOf } from './render';
import { msg } from '../../i18n/msg';
import { findGroup, findUser } from '../../system/getent';

export interface NamedUser {
  name: string;
  uid: number;
  gid: number;
}

/** Debian's user for named, taken when dnsmgr.conf names none. */
const DEFAULT_USER = 'bind';

/**
 * NamedUID / NamedGID from dnsmgr.conf; unset, Debian's `bind` user and its group when the system has it. Undefined
 * means named stays root (NamedUID root or 0, or no such default user: `note` says so).
 */
export async function resolveNamedUser(s: Settings): Promise<{ user?: NamedUser; note?: string }> {
  const configured = s.named.uid;
  const found = await findUser(configured ?? DEFAULT_USER);
  if (found === undefined) {
    if (configured === undefined) return { note: `there is no '${DEFAULT_USER}' user: named runs as root (set NamedUID to run it as another user)` };
    throw new ValidationError({ param: 'NamedUID', value: String(configured), reason: msg`no such user on this system` });
  }
  if (found.uid === 0) return {};
  let gid = found.gid;
  if (s.named.gid !== undefined) {
    const group = await findGroup(s.named.gid);
    if (group === undefined) throw new ValidationError({ param: 'NamedGID', value: String(s.named.gid), reason: msg`no such group on this system` });
    // named -u takes the user's own groups; a group the user is not in would lock named out of rndc.key and its files.
    if (group.gid !== found.gid && !group.members.includes(found.name)) {
      throw new ValidationError({ param: 'NamedGID', value: String(s.named.gid), reason: msg`'${found.name}' (NamedUID) is not a member of this group, and named runs with that user's groups` });
    }
    gid = group.gid;
  }
  return { user: { name: found.name, uid: found.uid, gid } };
}

/** A named.conf written before named ran unprivileged has no listen-on include (and keeps its pid file in var/run). */
export function namedConfIsCurrent(s: Settings): boolean {
  try {
    return readFileSync(s.named.conf, 'utf8').includes(`include "${listenFileOf(s.named.views)}";`);
  } catch {
    return false;
  }
}

/** The directories named writes (as init lays them out), each given to named whole; and what stays dnsmgr's. */
export function namedDirsOf(s: Settings): { trees: string[]; files: string[]; keep: string[] } {
  const root = s.root;
  const own = [root, join(root, 'etc'), join(root, 'var'), join(root, 'var', 'log'), join(root, 'var', 'run'),
    dirname(s.dbFile), dirname(s.logFile), dirname(s.passwdFile), dirname(s.named.conf), dirname(s.named.views)].map((d) => resolve(d));
  const trees = [join(root, 'var', 'named'), join(root, 'var', 'run', 'named'), s.named.nzdDir, s.named.zoneDir];
  const files: string[] = [];
  // named rotates its zone log (versions 3): it needs the directory, unless that directory is also dnsmgr's.
  const logDir = dirname(s.named.zoneLog);
  if (own.includes(resolve(logDir))) files.push(...['', '.0', '.1', '.2'].map((v) => `${s.named.zoneLog}${v}`));
  else trees.push(logDir);
  return { trees: trees.map((t) => resolve(t)), files, keep: own };
}

/**
 * Gives named what it writes: the trees (inside this root only: a path configured elsewhere is the administrator's to
 * arrange) and the zone log; rndc.key readable by named's group, since named reads it again at every reconfig.
 * Returns warnings for the administrator; idempotent. Ask namedCannotReach first.
 */
export function giveNamedItsFiles(s: Settings, user: NamedUser): string[] {
  const warnings: string[] = [];
  const { trees, files, keep } = namedDirsOf(s);
  const inside = (p: string): boolean => resolve(p).startsWith(resolve(s.root) + sep);
  for (const tree of trees) {
    if (!inside(tree) || keep.includes(tree)) {
      warnings.push(`${tree} is not a directory of named's under ${s.root}: make sure ${user.name} may write there`);
      continue;
    }
    // Trees inside another are walked with it.
    if (trees.some((other) => other !== tree && tree.startsWith(other + sep))) continue;
    chownTree(tree, user);
  }
  for (const file of files) if (inside(file)) chownIfThere(file, user);
  if (files.length > 0) warnings.push(`${s.named.zoneLog} shares its directory with dnsmgr's files: named cannot rotate it there (set path NamedZoneLog to a directory of its own)`);
  // The keys named reads but must not be world-readable: its group's.
  for (const key of [s.named.rndcKey, updateKeysFileOf(s.named.views)]) {
    if (!inside(key) || !existsSync(key)) continue;
    chownSync(key, lstatSync(key).uid, user.gid);
    chmodSync(key, 0o640);
  }
  return warnings;
}

/**
 * Whether every directory from / down to named's files lets named's user through; if not, the error saying which one
 * and what to do (named itself would fail with a bare "permission denied").
 */
export function namedCannotReach(s: Settings, user: NamedUser): DnsmgrError | undefined {
  const { trees } = namedDirsOf(s);
  const dirs = new Set([s.named.conf, s.named.views, listenFileOf(s.named.views), s.named.rndcKey, s.named.zoneLog].map((f) => dirname(resolve(f))));
  // The trees themselves become named's: what leads to them must let it through.
  for (const tree of trees) dirs.add(dirname(tree));
  for (const dir of dirs) {
    const parts = dir.split(sep).filter(Boolean);
    for (let i = 0; i <= parts.length; i++) {
      const d = sep + parts.slice(0, i).join(sep);
      let st;
      try {
        st = statSync(d);
      } catch {
        break; // not made yet: init makes what is missing, run gives it to named
      }
      const bit = st.uid === user.uid ? 0o100 : st.gid === user.gid ? 0o010 : 0o001;
      if ((st.mode & bit) === 0) {
        const mode = (st.mode & 0o7777).toString(8).padStart(4, '0');
        return new DnsmgrError('access', 'named', d, msg`named runs as ${user.name} and cannot enter ${d} (mode ${mode}): let it through (chmod o+x ${d}), or set NamedUID root in dnsmgr.conf`);
      }
    }
  }
  return undefined;
}

function chownTree(path: string, user: NamedUser): void {
  let st;
  try {
    st = lstatSync(path);
  } catch {
    return;
  }
  if (st.uid !== user.uid || st.gid !== user.gid) lchownSync(path, user.uid, user.gid);
  if (st.isDirectory()) for (const entry of readdirSync(path)) chownTree(join(path, entry), user);
}

function chownIfThere(path: string, user: NamedUser): void {
  try {
    const st = lstatSync(path);
    if (st.isFile() && (st.uid !== user.uid || st.gid !== user.gid)) lchownSync(path, user.uid, user.gid);
  } catch {
    // not made yet: named creates it as its user
  }
}
