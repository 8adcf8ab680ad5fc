// The keys dnsmgr signs its own requests to each view with (a master zone's DNS UPDATEs and transfers): one secret,
// a key per view, in a file beside the views file that the views file includes.
import { randomBytes } from 'node:crypto';
import { chownSync, readFileSync, statSync } from 'node:fs';
import { writeFileAtomic } from '../../files/atomic-write';
import type { BindSettings } from './settings';
import { renderUpdateKeys, updateKeysFileOf, updateKeySecret } from './render';

/**
 * The update keys' file has a key for each of these views and each the views file names now (it is written before
 * the views file is replaced): made with a new secret the first time. Readable by named's group only. Returns its path.
 */
export function writeUpdateKeys(named: Pick<BindSettings, 'views' | 'rndcKey'>, views: readonly string[]): string {
  const file = updateKeysFileOf(named.views);
  const old = readOrEmpty(file);
  const secret = updateKeySecret(old) ?? randomBytes(32).toString('base64');
  const current = [...readOrEmpty(named.views).matchAll(/\nview "([^"]+)" \{/g)].map((m) => m[1] as string);
  const text = renderUpdateKeys(secret, [...current, ...views]);
  if (text !== old) {
    writeFileAtomic(file, text, 0o640);
    // named reads it as its own group, as it reads the rndc key.
    try {
      chownSync(file, statSync(file).uid, statSync(named.rndcKey).gid);
    } catch {
      // No rndc key to take the group from (plugin mode before install): root's, readable by named running as root.
    }
  }
  return file;
}

function readOrEmpty(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}
