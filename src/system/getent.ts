// getent: system users and groups as the name service sees them (files, LDAP …), for who named runs as.
import { ToolError } from '../errors';
import { runTool } from './run-tool';

export interface SystemUser {
  name: string;
  uid: number;
  gid: number;
}

/** A user by name or numeric id; undefined when there is no such user (getent's exit status 2). */
export async function findUser(idOrName: string | number): Promise<SystemUser | undefined> {
  const line = await lookup('passwd', idOrName);
  if (line === undefined) return undefined;
  const [name, , uid, gid] = line.split(':');
  return { name: name as string, uid: Number(uid), gid: Number(gid) };
}

/** A group's id and its members (beyond those for whom it is the primary group); undefined when there is no such group. */
export async function findGroup(idOrName: string | number): Promise<{ gid: number; members: string[] } | undefined> {
  const line = await lookup('group', idOrName);
  if (line === undefined) return undefined;
  const [, , gid, members] = line.split(':');
  return { gid: Number(gid), members: (members ?? '').split(',').filter(Boolean) };
}

async function lookup(db: 'passwd' | 'group', key: string | number): Promise<string | undefined> {
  try {
    const { stdout } = await runTool('getent', [db, String(key)], { label: `getent ${db} ${key}` });
    return stdout.split('\n')[0];
  } catch (err) {
    if (err instanceof ToolError && err.exitCode === 2) return undefined;
    throw err;
  }
}
