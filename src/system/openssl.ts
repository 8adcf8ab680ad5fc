// openssl: a self-signed certificate for the standalone HTTP API.
import { runTool } from './run-tool';

export interface SelfSignedRequest {
  certFile: string;
  keyFile: string;
  /** The certificate's common name. */
  commonName: string;
  /** subjectAltName entries, e.g. DNS:localhost, IP:127.0.0.1. */
  altNames: readonly string[];
  days: number;
}

/** `openssl req -x509`: a new EC P-256 key and a certificate for it, written to the two files (the key 0600 by umask). */
export async function makeSelfSigned(openssl: string, r: SelfSignedRequest): Promise<void> {
  await runTool(openssl, [
    'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-sha256',
    '-days', String(r.days), '-subj', `/CN=${r.commonName}`, '-addext', `subjectAltName=${r.altNames.join(',')}`,
    '-keyout', r.keyFile, '-out', r.certFile,
  ], { label: 'openssl req -x509' });
}
