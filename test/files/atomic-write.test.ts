import { chmodSync, chownSync, closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { commitCandidate, fsyncDirAsync, renameCandidate, safeUnlink, writeCandidate, writeCandidateAsync, writeFileAtomic } from '../../src/files/atomic-write';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-atomic-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

let dir: string;
let caseNo = 0;
beforeEach(() => {
  dir = join(tmp, `case-${++caseNo}`);
  mkdirSync(dir);
});

const modeOf = (file: string): number => statSync(file).mode & 0o7777;

function withUmask<T>(mask: number, fn: () => T): T {
  const old = process.umask(mask);
  try {
    return fn();
  } finally {
    process.umask(old);
  }
}

describe('writeCandidateAsync, renameCandidate, fsyncDirAsync', () => {
  it('writes the candidate with the mode asked for beside the file and replaces nothing until renamed', async () => {
    const file = join(dir, 'dnsmgr.passwd');
    writeFileSync(file, 'old\n', { mode: 0o644 });
    const tmp = await writeCandidateAsync(file, 'new\n', 0o600);
    expect(dirname(tmp)).toBe(dir);
    expect(readFileSync(file, 'utf8')).toBe('old\n');
    expect(readFileSync(tmp, 'utf8')).toBe('new\n');
    expect(modeOf(tmp)).toBe(0o600);
    renameCandidate(tmp, file);
    await fsyncDirAsync(dir);
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(modeOf(file)).toBe(0o600);
    expect(readdirSync(dir)).toEqual(['dnsmgr.passwd']);
  });

  it('keeps the mode of the file it replaces when none is asked for', async () => {
    const file = join(dir, 'x');
    writeFileSync(file, 'old');
    chmodSync(file, 0o640);
    renameCandidate(await writeCandidateAsync(file, 'new'), file);
    expect(modeOf(file)).toBe(0o640);
  });

  it('rejects, leaving no temporary file, when the directory is missing', async () => {
    await expect(writeCandidateAsync(join(dir, 'missing', 'x'), 'data')).rejects.toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('removes the candidate when the rename fails', async () => {
    const tmp = await writeCandidateAsync(join(dir, 'x'), 'data');
    expect(() => renameCandidate(tmp, join(dir, 'missing', 'x'))).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('writeFileAtomic', () => {
  it('creates a file with the data, 0644 by default, and nothing else', () => {
    const file = join(dir, 'named.conf');
    writeFileAtomic(file, 'options { };\n');
    expect(readFileSync(file, 'utf8')).toBe('options { };\n');
    expect(modeOf(file)).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['named.conf']);
  });

  it('writes UTF-8 and empty data exactly', () => {
    const file = join(dir, 'x');
    writeFileAtomic(file, '// пример.рф\n');
    expect(readFileSync(file, 'utf8')).toBe('// пример.рф\n');
    writeFileAtomic(file, '');
    expect(readFileSync(file, 'utf8')).toBe('');
  });

  it('gives a new file the mode asked for', () => {
    const file = join(dir, 'rndc.key');
    writeFileAtomic(file, 'key', 0o600);
    expect(modeOf(file)).toBe(0o600);
  });

  it.each([0o640, 0o600, 0o664, 0o666].map((m) => [m.toString(8), m] as const))('keeps the mode %s of the file it replaces', (_octal, mode) => {
    const file = join(dir, 'dnsmgr.conf');
    writeFileSync(file, 'old\n');
    chmodSync(file, mode);
    writeFileAtomic(file, 'new\n');
    expect(readFileSync(file, 'utf8')).toBe('new\n');
    expect(modeOf(file)).toBe(mode);
  });

  it('gives the mode asked for whatever the umask', () => {
    const file = join(dir, 'dnsmgr-views.conf');
    withUmask(0o077, () => writeFileAtomic(file, 'views\n', 0o644));
    expect(modeOf(file)).toBe(0o644);
  });

  it('keeps the mode of the file it replaces whatever the umask', () => {
    const file = join(dir, 'dnsmgr.conf');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o644);
    withUmask(0o077, () => writeFileAtomic(file, 'new\n'));
    expect(modeOf(file)).toBe(0o644);
  });

  it('lets an explicit mode win over the mode of the file it replaces', () => {
    const file = join(dir, 'rndc.key');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o644);
    writeFileAtomic(file, 'new\n', 0o600);
    expect(modeOf(file)).toBe(0o600);
  });

  it.runIf(process.getuid?.() === 0)('keeps the owner and group of the file it replaces (as root)', () => {
    const file = join(dir, 'named.conf');
    writeFileSync(file, 'old\n');
    chmodSync(file, 0o640);
    chownSync(file, 4242, 4343);
    writeFileAtomic(file, 'new\n');
    const st = statSync(file);
    expect([st.uid, st.gid, st.mode & 0o7777]).toEqual([4242, 4343, 0o640]);
  });

  it('replaces the file as a whole: a reader holding the old one still reads the old text', () => {
    const file = join(dir, 'views.conf');
    writeFileSync(file, 'old text\n');
    const before = statSync(file).ino;
    const fd = openSync(file, 'r');
    try {
      writeFileAtomic(file, 'new text, longer than the old one\n');
      const buf = Buffer.alloc(64);
      const n = readSync(fd, buf, 0, buf.length, 0);
      expect(buf.subarray(0, n).toString()).toBe('old text\n');
    } finally {
      closeSync(fd);
    }
    expect(statSync(file).ino).not.toBe(before);
    expect(readFileSync(file, 'utf8')).toBe('new text, longer than the old one\n');
    expect(readdirSync(dir)).toEqual(['views.conf']);
  });

  it('leaves nothing behind when the directory does not exist', () => {
    const file = join(dir, 'missing', 'named.conf');
    expect(() => writeFileAtomic(file, 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('leaves no temp file and the target untouched when the rename fails', () => {
    // A directory in the target's place: the candidate is written, then rename(2) refuses.
    const target = join(dir, 'named.conf');
    mkdirSync(target);
    writeFileSync(join(target, 'inside'), 'keep');
    expect(() => writeFileAtomic(target, 'x')).toThrow(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(readdirSync(dir)).toEqual(['named.conf']);
    expect(readFileSync(join(target, 'inside'), 'utf8')).toBe('keep');
  });
});

describe('writeCandidate and commitCandidate', () => {
  let umask: number;
  beforeEach(() => {
    umask = process.umask();
  });
  afterEach(() => {
    expect(process.umask()).toBe(umask);
  });

  it('writes a hidden candidate beside the target and leaves the target alone until the commit', () => {
    const target = join(dir, 'dnsmgr-views.conf');
    writeFileSync(target, 'live\n');
    const candidate = writeCandidate(target, 'candidate\n', 0o644);
    expect(dirname(candidate)).toBe(dir);
    expect(basename(candidate).startsWith('.dnsmgr-views.conf.')).toBe(true);
    expect(readFileSync(candidate, 'utf8')).toBe('candidate\n');
    expect(readFileSync(target, 'utf8')).toBe('live\n');

    commitCandidate(candidate, target);
    expect(readFileSync(target, 'utf8')).toBe('candidate\n');
    expect(existsSync(candidate)).toBe(false);
    expect(readdirSync(dir)).toEqual(['dnsmgr-views.conf']);
  });

  it('gives every candidate its own name, so concurrent writers never share one', () => {
    const target = join(dir, 'f');
    const a = writeCandidate(target, 'a');
    const b = writeCandidate(target, 'b');
    expect(a).not.toBe(b);
    expect([readFileSync(a, 'utf8'), readFileSync(b, 'utf8')]).toEqual(['a', 'b']);
    commitCandidate(a, target);
    commitCandidate(b, target);
    expect(readFileSync(target, 'utf8')).toBe('b');
    expect(readdirSync(dir)).toEqual(['f']);
  });

  it('a rejected candidate is removed with safeUnlink, and the target stays', () => {
    const target = join(dir, 'dnsmgr-views.conf');
    writeFileSync(target, 'live\n');
    const candidate = writeCandidate(target, 'broken', 0o644);
    safeUnlink(candidate);
    expect(readdirSync(dir)).toEqual(['dnsmgr-views.conf']);
    expect(readFileSync(target, 'utf8')).toBe('live\n');
  });

  it('commitCandidate removes the candidate when the rename fails', () => {
    const target = join(dir, 'sub', 'target');
    mkdirSync(target, { recursive: true });
    writeFileSync(join(target, 'x'), '');
    const candidate = writeCandidate(join(dir, 'other'), 'data');
    expect(() => commitCandidate(candidate, target)).toThrow();
    expect(existsSync(candidate)).toBe(false);
  });
});

describe('safeUnlink', () => {
  it('does not throw for a file that is already gone', () => {
    expect(() => safeUnlink(join(dir, 'never-existed'))).not.toThrow();
  });
});
