// One server per root: `run` and `serve` hold an exclusive lock on <root>/var/run/dnsmgr.lock for as long as they
// live. It is a FileLock's (store/file-lock.ts), which the kernel drops when the process ends however it ends, so a
// holder killed with SIGKILL blocks nobody and a recycled pid fools nobody. The pid file beside it only says who holds
// the lock, for the message a second start prints.
import { processAlive } from '../system/process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DnsmgrError } from '../errors';
import { safeUnlink, writeFileAtomic } from '../files/atomic-write';
import { msg } from '../i18n/msg';
import { holdExclusiveNow } from '../store/file-lock';

export interface RootLock {
  /** Gives the lock up (and the pid file); safe to call twice. Exiting does the same for the lock. */
  release(): void;
}

/** How long a second start waits for the holder's pid file, which is written just after the lock is taken. */
const PID_WAIT_MS = 1000;

export function lockFilesOf(root: string): { lock: string; pid: string } {
  return { lock: join(root, 'var', 'run', 'dnsmgr.lock'), pid: join(root, 'var', 'run', 'dnsmgr.pid') };
}

/** Takes the root's lock, or throws naming the process that has it. Creates var/run if needed, nothing else. */
export async function lockRoot(root: string): Promise<RootLock> {
  const files = lockFilesOf(root);
  const lock = holdExclusiveNow(files.lock);
  if (lock === undefined) {
    const holder = await holderPid(files.pid);
    throw new DnsmgrError('exists', 'server', root, msg`another dnsmgr run/serve (pid ${holder ?? '?'}) is using ${root}`);
  }
  writeFileAtomic(files.pid, `${process.pid}\n`, 0o644);
  let held = true;
  return {
    release() {
      if (!held) return;
      held = false;
      if (readPid(files.pid) === process.pid) safeUnlink(files.pid);
      lock.release();
    },
  };
}

async function holderPid(pidFile: string): Promise<number | undefined> {
  const deadline = Date.now() + PID_WAIT_MS;
  for (;;) {
    const pid = readPid(pidFile);
    if ((pid !== undefined && processAlive(pid)) || Date.now() > deadline) return pid;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function readPid(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isSafeInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

