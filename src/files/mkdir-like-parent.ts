// Directories dnsmgr makes for named (a view's zone directory) must be named's, not root's: named runs unprivileged.
import { chownSync, mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * `mkdir -p`, where every directory it creates takes the owner and group of the directory it was created in: a view's
 * zone directory under a zone directory that belongs to named belongs to named too, and one under root's stays root's.
 */
export function mkdirLikeParent(dir: string): void {
  const first = mkdirSync(dir, { recursive: true, mode: 0o755 });
  if (first === undefined) return;
  const parent = statSync(dirname(first));
  if (parent.uid === process.getuid?.() && parent.gid === process.getgid?.()) return;
  for (let d = dir; ; d = dirname(d)) {
    try {
      chownSync(d, parent.uid, parent.gid);
    } catch (err) {
      // Not permitted for an unprivileged dnsmgr: the directory stays its own, as before.
      if ((err as NodeJS.ErrnoException).code !== 'EPERM') throw err;
    }
    if (d === first || d === dirname(d)) break;
  }
}
