// The COREmanager handler door: who is calling, as the panel says in AUTH_USER and AUTH_LEVEL.
import { AuthError } from '../errors';
import { msg } from '../i18n/msg';
import type { Caller } from '../funcs/dispatch';

export function handlerCaller(env: NodeJS.ProcessEnv): Caller {
  const name = env.AUTH_USER ?? '';
  const level = Number(env.AUTH_LEVEL ?? '');
  if (!/^[A-Za-z0-9][A-Za-z0-9._@-]{0,63}$/.test(name) || !Number.isInteger(level) || level < 1 || level > 30) {
    throw new AuthError(msg`The panel passed no valid AUTH_USER and AUTH_LEVEL`);
  }
  return { name, level };
}
