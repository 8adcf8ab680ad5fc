// Which installation a run works on, and whether it exists. The root is --root, else $DNSMGR_ROOT, else the prefix
// the executable was installed into (install puts it at <prefix>/lib/dnsmgr/dnsmgr, so the panel, which runs handlers
// with no environment, reaches the tree it belongs to), else /usr/local/mgr5.
import { existsSync, realpathSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DnsmgrError } from '../errors';
import type { App } from '../app';
import { msg } from '../i18n/msg';
import { checkRoot } from '../files/settings';

export const DEFAULT_ROOT = '/usr/local/mgr5';

export function findRoot(flag: string | undefined, env: NodeJS.ProcessEnv, exe: string): string {
  return checkRoot(flag ?? env.DNSMGR_ROOT ?? installedPrefix(exe) ?? DEFAULT_ROOT);
}

/** `<prefix>` when the executable (followed through its links, such as addon/dnsmgr) is `<prefix>/lib/dnsmgr/dnsmgr`. */
export function installedPrefix(exe: string): string | undefined {
  let real: string;
  try {
    real = realpathSync(exe);
  } catch {
    return undefined;
  }
  const dir = dirname(real);
  if (basename(real) !== 'dnsmgr' || basename(dir) !== 'dnsmgr' || basename(dirname(dir)) !== 'lib') return undefined;
  return dirname(dirname(dir));
}

/**
 * Requests need an installation made by `init` or `install`: against any other root they would create an empty
 * database and answer empty lists, which hides a wrong root. Only init, install and run create one.
 */
export function requireInstallation(app: App): void {
  const conf = join(app.root, 'etc', 'dnsmgr.conf');
  const missing = !existsSync(conf) ? conf : !existsSync(app.settings.dbFile) ? app.settings.dbFile : undefined;
  if (missing === undefined) return;
  throw new DnsmgrError('missed', 'root', app.root, msg`No dnsmgr installation in '${app.root}' (${missing} does not exist): run 'dnsmgr --root ${app.root} init' for a standalone server or 'dnsmgr install --prefix ${app.root}' for the panel, or give the right --root or DNSMGR_ROOT`);
}
