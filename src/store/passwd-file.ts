// What the database knows of the passwd file (migration 16): the accounts whose line changed since it was last written,
// and the file as it was left then.
import type { Db } from './db';

/** The file as a writer left it: its path, inode, size and change time (as decimal strings, from a bigint stat). */
export interface PasswdWritten {
  file: string;
  ino: string;
  size: number;
  ctimeNs: string;
}

/** Account ids whose line changed since the file was written; 0 stands for the whole file. */
export function passwdMarks(db: Db): number[] {
  return db.prepare('SELECT account_id FROM passwd_dirty').pluck().all() as number[];
}

export function passwdWritten(db: Db): PasswdWritten | undefined {
  return db.prepare('SELECT file, ino, size, ctime_ns AS ctimeNs FROM passwd_written').get() as PasswdWritten | undefined;
}

/** The file is now as the database says: `w` records it, and no line is marked. */
export function recordPasswdWritten(db: Db, w: PasswdWritten): void {
  db.prepare(`INSERT INTO passwd_written (id, file, ino, size, ctime_ns) VALUES (1, ?, ?, ?, ?)
    ON CONFLICT (id) DO UPDATE SET file = excluded.file, ino = excluded.ino, size = excluded.size, ctime_ns = excluded.ctime_ns`)
    .run(w.file, w.ino, w.size, w.ctimeNs);
  db.prepare('DELETE FROM passwd_dirty').run();
}
