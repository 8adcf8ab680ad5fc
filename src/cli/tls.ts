// TLS for the HTTP API: the certificate and key `run`/`serve` are given, the self-signed pair `init --tls` makes, and
// the rule that passwords (authinfo) never cross the network in clear text unless the administrator insists.
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { createSecureContext } from 'node:tls';
import { ValidationError } from '../errors';
import { safeUnlink } from '../files/atomic-write';
import { msg } from '../i18n/msg';
import { makeSelfSigned } from '../system/openssl';

export interface TlsFiles {
  cert: string;
  key: string;
}

/** The certificate and key, read and checked to belong together. */
export interface TlsPair {
  cert: Buffer;
  key: Buffer;
}

const SELF_SIGNED_DAYS = 3650;
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;

/** Where `init --tls` puts the self-signed pair. */
export function tlsPairOf(root: string): TlsFiles {
  return { cert: join(root, 'etc', 'tls', 'dnsmgr.crt'), key: join(root, 'etc', 'tls', 'dnsmgr.key') };
}

/** --tls-cert and --tls-key come together or not at all. */
export function tlsFilesOf(cert: string | undefined, key: string | undefined): TlsFiles | undefined {
  if (cert === undefined && key === undefined) return undefined;
  if (cert === undefined) throw new ValidationError({ param: '--tls-cert', value: '', reason: msg`--tls-key needs --tls-cert` });
  if (key === undefined) throw new ValidationError({ param: '--tls-key', value: '', reason: msg`--tls-cert needs --tls-key` });
  return { cert, key };
}

export function loadTlsPair(files: TlsFiles): TlsPair {
  const read = (param: string, file: string): Buffer => {
    try {
      return readFileSync(file);
    } catch (err) {
      throw new ValidationError({ param, value: file, reason: msg`cannot be read: ${(err as NodeJS.ErrnoException).code ?? String(err)}` });
    }
  };
  const pair = { cert: read('--tls-cert', files.cert), key: read('--tls-key', files.key) };
  try {
    createSecureContext(pair);
  } catch (err) {
    throw new ValidationError({ param: '--tls-key', value: files.key, reason: msg`not a PEM key for the certificate ${files.cert}: ${(err as Error).message}` });
  }
  return pair;
}

export function isLoopback(host: string): boolean {
  return /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host) || host === '::1';
}

/** Clients send authinfo (login:password) with every request: on the network only under TLS, or when told --insecure. */
export function checkListenSecurity(host: string, tls: boolean, insecure: boolean): void {
  if (tls || insecure || isLoopback(host)) return;
  throw new ValidationError({
    param: '--listen', value: host,
    reason: msg`not a loopback address, and without TLS the passwords clients send (authinfo) would cross the network in clear text: give --tls-cert and --tls-key (dnsmgr init --tls makes a self-signed pair), or --insecure to listen without TLS anyway`,
  });
}

/**
 * `init --tls`: a self-signed certificate for this host (its name, localhost, 127.0.0.1, ::1), made once. The key is
 * made in a directory only its owner may enter and is 0600 before it is renamed into place.
 */
export async function makeSelfSignedPair(root: string): Promise<string[]> {
  const pair = tlsPairOf(root);
  const have = [pair.cert, pair.key].filter((f) => existsSync(f));
  if (have.length === 2) return [];
  if (have.length === 1) return [`TLS: kept ${have[0]}, but its partner is missing: remove it and run 'dnsmgr init --tls' again for a new pair`];
  const dir = join(root, 'etc', 'tls');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const host = hostname();
  const names = HOST_NAME.test(host) && host !== 'localhost' ? [host, 'localhost'] : ['localhost'];
  const tmp = { cert: `${pair.cert}.${process.pid}.tmp`, key: `${pair.key}.${process.pid}.tmp` };
  try {
    await makeSelfSigned('openssl', {
      certFile: tmp.cert, keyFile: tmp.key, commonName: names[0] as string, days: SELF_SIGNED_DAYS,
      altNames: [...names.map((n) => `DNS:${n}`), 'IP:127.0.0.1', 'IP:::1'],
    });
    chmodSync(tmp.key, 0o600);
    chmodSync(tmp.cert, 0o644);
    renameSync(tmp.key, pair.key);
    renameSync(tmp.cert, pair.cert);
  } finally {
    safeUnlink(tmp.cert);
    safeUnlink(tmp.key);
  }
  return [`created a self-signed TLS certificate ${pair.cert} (key ${pair.key}) for ${names.join(', ')}, 127.0.0.1 and ::1, valid ${SELF_SIGNED_DAYS} days; `
    + `use it with: run --tls-cert ${pair.cert} --tls-key ${pair.key}`];
}
