// TLS options and the no-passwords-in-clear-text rule, and the self-signed pair `init --tls` makes with real openssl.
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { planServer } from '../../src/cli/http';
import { parseInitArgs, parseServerArgs } from '../../src/cli/server-args';
import { checkListenSecurity, isLoopback, loadTlsPair, makeSelfSignedPair, tlsPairOf } from '../../src/cli/tls';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-tls-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('listening without TLS', () => {
  it('is allowed on the loopback only, unless --insecure', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '::', '192.0.2.1', '::ffff:127.0.0.1', '2001:db8::1'].some(isLoopback)).toBe(false);
    expect(() => checkListenSecurity('127.0.0.1', false, false)).not.toThrow();
    expect(() => checkListenSecurity('192.0.2.1', true, false)).not.toThrow();
    expect(() => checkListenSecurity('0.0.0.0', false, true)).not.toThrow();
    for (const host of ['0.0.0.0', '::', '192.0.2.1']) {
      const err = (() => { try { checkListenSecurity(host, false, false); } catch (e) { return e; } return undefined; })();
      expect(err).toBeInstanceOf(ValidationError);
      expect((err as ValidationError).message).toMatch(/authinfo\) would cross the network in clear text: give --tls-cert and --tls-key .* or --insecure/);
    }
  });

  it('is checked by planServer before anything listens', () => {
    expect(() => planServer({ listen: '[::]:1500' })).toThrow(/clear text/);
    expect(planServer({ listen: '[::]:1500', insecure: true })).toEqual({ host: '::', port: 1500 });
  });
});

describe('run and serve options', () => {
  it('takes --tls-cert with --tls-key and --insecure, and refuses anything else', () => {
    expect(parseServerArgs([], undefined)).toEqual({ insecure: false });
    expect(parseServerArgs(['--tls-cert', '/c', '--tls-key', '/k', '--insecure'], '127.0.0.1:1')).toEqual({ listen: '127.0.0.1:1', tls: { cert: '/c', key: '/k' }, insecure: true });
    expect(() => parseServerArgs(['--tls-cert', '/c'], undefined)).toThrow(/--tls-cert needs --tls-key/);
    expect(() => parseServerArgs(['--tls-key', '/k'], undefined)).toThrow(/--tls-key needs --tls-cert/);
    expect(() => parseServerArgs(['--tls-cert'], undefined)).toThrow(/needs a file name/);
    expect(() => parseServerArgs(['--tls'], undefined)).toThrow(/not an option of run or serve/);
    expect(parseInitArgs(['--tls'])).toEqual({ tls: true });
    expect(() => parseInitArgs(['--tsl'])).toThrow(/not an option of init/);
  });
});

describe('init --tls', () => {
  it('makes a self-signed pair once: key 0600 in a 0700 directory, for the host name, localhost and loopback', async () => {
    const root = join(tmp, 'root');
    const notes = await makeSelfSignedPair(root);
    const pair = tlsPairOf(root);
    expect(notes).toEqual([expect.stringContaining(`use it with: run --tls-cert ${pair.cert} --tls-key ${pair.key}`)]);
    expect(statSync(pair.key).mode & 0o777).toBe(0o600);
    expect(statSync(join(root, 'etc', 'tls')).mode & 0o777).toBe(0o700);
    const x509 = new X509Certificate(readFileSync(pair.cert));
    expect(x509.subjectAltName).toMatch(/DNS:localhost, IP Address:127\.0\.0\.1, IP Address:0:0:0:0:0:0:0:1/);
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(loadTlsPair(pair).cert.equals(readFileSync(pair.cert))).toBe(true);
    const before = readFileSync(pair.key, 'utf8');
    expect(await makeSelfSignedPair(root)).toEqual([]);
    expect(readFileSync(pair.key, 'utf8')).toBe(before);
  });

  it('refuses a key that is not the certificate\'s, and files it cannot read', async () => {
    const a = tlsPairOf(join(tmp, 'a'));
    const b = tlsPairOf(join(tmp, 'b'));
    await makeSelfSignedPair(join(tmp, 'a'));
    await makeSelfSignedPair(join(tmp, 'b'));
    expect(() => loadTlsPair({ cert: a.cert, key: b.key })).toThrow(/not a PEM key for the certificate/);
    expect(() => loadTlsPair({ cert: join(tmp, 'nothing.crt'), key: a.key })).toThrow(/--tls-cert.*cannot be read: ENOENT/);
  });
});
