// The root lock: a second holder is refused with the first one's pid; a holder that dies (even by SIGKILL) frees it.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { DnsmgrError } from '../../src/errors';
import { lockFilesOf, lockRoot } from '../../src/cli/lock';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-lock-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('lockRoot', () => {
  it('refuses a second holder, naming the first; released, the root is free again', async () => {
    const root = join(tmp, 'a');
    const first = await lockRoot(root);
    expect(readFileSync(lockFilesOf(root).pid, 'utf8')).toBe(`${process.pid}\n`);
    const err = await lockRoot(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DnsmgrError);
    expect((err as DnsmgrError).type).toBe('exists');
    expect((err as DnsmgrError).message).toBe(`another dnsmgr run/serve (pid ${process.pid}) is using ${root}`);
    first.release();
    first.release();
    expect(existsSync(lockFilesOf(root).pid)).toBe(false);
    (await lockRoot(root)).release();
  });

  it('is freed by the kernel when its holder is killed with SIGKILL, stale pid file and all', async () => {
    const root = join(tmp, 'b');
    // A holder in another process taking the lock as lockRoot does (test/integration/standalone.test.ts kills a real run).
    const holder = spawn(process.execPath, ['-e', `
      const Database = require(${JSON.stringify(resolve('node_modules/better-sqlite3'))});
      const fs = require('node:fs');
      fs.mkdirSync(${JSON.stringify(join(root, 'var', 'run'))}, { recursive: true });
      const db = new Database(${JSON.stringify(lockFilesOf(root).lock)}, { timeout: 0 });
      db.pragma('journal_mode = MEMORY');
      db.exec('BEGIN EXCLUSIVE');
      fs.writeFileSync(${JSON.stringify(lockFilesOf(root).pid)}, process.pid + '\\n');
      process.stdout.write('locked\\n');
      setInterval(() => {}, 1000);
    `], { stdio: ['ignore', 'pipe', 'inherit'] });
    await new Promise<void>((done) => holder.stdout.once('data', () => done()));
    const err = await lockRoot(root).catch((e: unknown) => e);
    expect((err as Error).message).toBe(`another dnsmgr run/serve (pid ${holder.pid}) is using ${root}`);
    holder.kill('SIGKILL');
    await new Promise((done) => holder.once('exit', done));
    const lock = await lockRoot(root);
    expect(readFileSync(lockFilesOf(root).pid, 'utf8')).toBe(`${process.pid}\n`);
    lock.release();
  });
});
