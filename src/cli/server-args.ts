// The options of `run` and `serve` after the subcommand (--listen is a global option): TLS, and --insecure.
import { ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { ServerOptions } from './standalone';
import { tlsFilesOf } from './tls';

/** `rest`: what followed the subcommand; anything but these options is refused, never ignored. */
export function parseServerArgs(rest: readonly string[], listen: string | undefined): ServerOptions {
  let cert: string | undefined;
  let key: string | undefined;
  let insecure = false;
  for (let i = 0; i < rest.length; i++) {
    const a = rest[i] as string;
    const value = (): string => {
      const v = rest[++i];
      if (v === undefined || v === '') throw new ValidationError({ param: a, value: '', reason: msg`needs a file name` });
      return v;
    };
    if (a === '--tls-cert') cert = value();
    else if (a === '--tls-key') key = value();
    else if (a === '--insecure') insecure = true;
    else throw new ValidationError({ param: '(option)', value: a, reason: msg`not an option of run or serve: --listen ADDR:PORT, --tls-cert FILE, --tls-key FILE, --insecure` });
  }
  const tls = tlsFilesOf(cert, key);
  return { ...(listen !== undefined ? { listen } : {}), ...(tls ? { tls } : {}), insecure };
}

/** `init [--force] [--tls]`: --force is a global option; --tls asks for a self-signed pair. */
export function parseInitArgs(rest: readonly string[]): { tls: boolean } {
  for (const a of rest) {
    if (a !== '--tls') throw new ValidationError({ param: '(option)', value: a, reason: msg`not an option of init: --force, --tls` });
  }
  return { tls: rest.includes('--tls') };
}
