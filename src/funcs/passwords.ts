// bcrypt password hashes as the passwd file carries them: $2a$, with $2b$/$2y$ accepted from older installations.
import type { Password } from '../model/account-name';

const COST = 10;

export async function hashPassword(password: Password): Promise<string> {
  const bcrypt = await import('bcryptjs');
  const hash = await bcrypt.hash(password, await bcrypt.genSalt(COST));
  // $2a$ and $2b$ hash the same for passwords under 255 bytes (ours are ≤ 72); the panel's files use $2a$.
  return hash.replace(/^\$2b\$/, '$2a$');
}

export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(hash)) return false;
  const bcrypt = await import('bcryptjs');
  return bcrypt.compare(password, hash.replace(/^\$2y\$/, '$2b$'));
}
