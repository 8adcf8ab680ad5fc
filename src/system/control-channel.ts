// named's control channel spoken natively: the protocol rndc speaks (BIND's isccc messages over TCP, a nonce handshake,
// an HMAC signature with the rndc key), so a request that changes a zone spawns no process. One connection carries
// any number of commands, one at a time, for bulk work.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { ToolError } from '../errors';
import { joinMsgs, msg, verbatim } from '../i18n/msg';
import { hmacSha256, sameBytes } from './hmac-sha256';
import { deadline } from './deadline';
import { openTcp } from './tcp';

export interface ControlTarget {
  keyFile: string;
  server: string;
  port: number;
  /** Per command (and for connecting); default 30 s, as rndc was given. */
  timeoutMs?: number;
}

export interface ControlSession {
  /** Runs one command (the words rndc would be given) and returns named's text; throws a ToolError. */
  command(args: readonly string[]): Promise<string>;
  close(): void;
}

/** named's result codes (isc/result.h) that callers decide on. */
export const RESULT_EXISTS = 18;
export const RESULT_NOT_FOUND = 23;

/** named answered a command with a failure: `result` is its result code, `resultText` what it is called. */
export class ControlCommandError extends ToolError {
  constructor(command: string, readonly result: number, readonly resultText: string, text: string) {
    super(command, undefined, text === '' ? resultText : `${resultText}\n${text}`);
  }
}

// --- The message codec (lib/isccc/cc.c): a table is a run of (key length, key, type, value length, value). ---
//
// Tables and signatures built and read with typed-array operations: each Buffer method (copy, concat, writeUInt32BE,
// toString…) is compiled by Node the first time a process uses it, ~0.1 ms apiece, and a request that changes a zone
// signs two messages and reads two answers once.

/** A table's values: bytes (every string is sent as bytes) or a nested table. Key order is kept. */
export type CcValue = Uint8Array | CcTable;
export interface CcTable { [key: string]: CcValue }

const TYPE_BINARY = 1;
const TYPE_TABLE = 2;

export function encodeTable(table: CcTable): Uint8Array {
  const parts: Uint8Array[] = [];
  for (const key of Object.keys(table)) {
    const value = table[key]!;
    if (key.length > 255) throw new Error(`isccc key too long: ${key}`);
    const body = value instanceof Uint8Array ? value : encodeTable(value);
    const head = new Uint8Array(1 + key.length + 5);
    head[0] = key.length;
    // Keys are the protocol's own names (_ser, type…), one byte per character.
    for (let i = 0; i < key.length; i++) head[1 + i] = key.charCodeAt(i);
    head[1 + key.length] = value instanceof Uint8Array ? TYPE_BINARY : TYPE_TABLE;
    putUint32(head, 2 + key.length, body.length);
    parts.push(head, body);
  }
  return joinBytes(parts);
}

/**
 * Decodes a table; `onEntry` sees where each top-level entry ends (the signature covers what follows `_auth`). Values are
 * views of `buf` (plain Uint8Arrays, whatever `buf` is).
 */
export function decodeTable(buf: Uint8Array, onEntry?: (key: string, end: number) => void): CcTable {
  const table: CcTable = {};
  let i = 0;
  while (i < buf.length) {
    const kl = buf[i]!;
    if (i + 1 + kl + 5 > buf.length) throw new Error('isccc message truncated');
    const key = String.fromCharCode(...buf.subarray(i + 1, i + 1 + kl));
    const type = buf[i + 1 + kl]!;
    const len = getUint32(buf, i + 2 + kl);
    const start = i + 6 + kl;
    if (start + len > buf.length) throw new Error('isccc message truncated');
    const data = new Uint8Array(buf.buffer, buf.byteOffset + start, len);
    // Lists (type 3) and plain strings (0) do not occur in control messages; they are kept as bytes.
    table[key] = type === TYPE_TABLE ? decodeTable(data) : data;
    i = start + len;
    onEntry?.(key, i);
  }
  return table;
}

function putUint32(to: Uint8Array, at: number, n: number): void {
  to[at] = n >>> 24;
  to[at + 1] = n >>> 16;
  to[at + 2] = n >>> 8;
  to[at + 3] = n;
}

function getUint32(from: Uint8Array, at: number): number {
  return ((from[at]! << 24) | (from[at + 1]! << 16) | (from[at + 2]! << 8) | from[at + 3]!) >>> 0;
}

function joinBytes(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

// --- Keys and signatures ---

export interface ControlKey {
  name: string;
  algorithm: string;
  secret: Buffer;
}

// The algorithm byte rndc puts before an hsha signature (isccc/types.h); hmac-md5 has a field of its own.
const ALGORITHMS: Record<string, { hash: string; code: number }> = {
  'hmac-md5': { hash: 'md5', code: 157 },
  'hmac-sha1': { hash: 'sha1', code: 161 },
  'hmac-sha224': { hash: 'sha224', code: 162 },
  'hmac-sha256': { hash: 'sha256', code: 163 },
  'hmac-sha384': { hash: 'sha384', code: 164 },
  'hmac-sha512': { hash: 'sha512', code: 165 },
};

/**
 * The first key of an rndc key file: key "name" { algorithm hmac-sha256; secret "base64"; };. Read word by word rather
 * than with regular expressions: V8 compiles each of those on its first use in a process, ~0.3 ms of every request.
 */
export function parseKeyFile(text: string): ControlKey | undefined {
  const words = confWords(text);
  const at = words.findIndex((w) => w.text === 'key' && !w.quoted);
  const name = words[at + 1];
  if (at < 0 || name === undefined || name.text === '{' || words[at + 2]?.text !== '{') return undefined;
  let algorithm: string | undefined;
  let secret: string | undefined;
  // Statements up to the block's first '}': a word, its value, ';'.
  for (let i = at + 3; i + 2 < words.length && words[i]!.text !== '}'; i++) {
    const [word, value, end] = [words[i]!, words[i + 1]!, words[i + 2]!];
    if (end.text !== ';' || value.text === '}') continue;
    if (word.text.toLowerCase() === 'algorithm' && !word.quoted) algorithm = value.text.toLowerCase();
    if (word.text === 'secret' && !word.quoted && value.quoted) secret = value.text;
    i += 2;
  }
  if (algorithm === undefined || secret === undefined || ALGORITHMS[algorithm] === undefined) return undefined;
  const base64 = secret.split('').filter((c) => c !== ' ' && c !== '\t' && c !== '\n' && c !== '\r').join('');
  if (base64 === '' || ![...base64].every((c) => BASE64.includes(c))) return undefined;
  return { name: name.text, algorithm, secret: Buffer.from(base64, 'base64') };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=';

/** The words of named.conf-style text: quoted strings (a base64 secret may hold '//'), bare words, { } ;; comments skipped. */
function confWords(text: string): { text: string; quoted: boolean }[] {
  const words: { text: string; quoted: boolean }[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '#' || text.startsWith('//', i)) {
      const end = text.indexOf('\n', i);
      i = end < 0 ? text.length : end + 1;
    } else if (text.startsWith('/*', i)) {
      const end = text.indexOf('*/', i + 2);
      i = end < 0 ? text.length : end + 2;
    } else if (c === '"') {
      const end = text.indexOf('"', i + 1);
      if (end < 0) break;
      words.push({ text: text.slice(i + 1, end), quoted: true });
      i = end + 1;
    } else if (c === '{' || c === '}' || c === ';') {
      words.push({ text: c, quoted: false });
      i++;
    } else {
      let end = i + 1;
      while (end < text.length && !' \t\n\r{};"#'.includes(text[end]!) && !text.startsWith('//', end) && !text.startsWith('/*', end)) end++;
      words.push({ text: text.slice(i, end), quoted: false });
      i = end;
    }
  }
  return words;
}

const HSHA_LENGTH = 89;
const HMD5_LENGTH = 22;

/** The `_auth` table for `signed` (the encoded `_ctrl` and `_data` entries that follow it). */
function authTable(key: ControlKey, signed: Uint8Array): CcTable {
  const alg = ALGORITHMS[key.algorithm]!;
  // hmac-sha256, the algorithm of the key dnsmgr init writes, without node:crypto (see hmac-sha256.ts).
  const mac = alg.hash === 'sha256' ? hmacSha256(key.secret, signed) : createHmac(alg.hash, key.secret).update(signed).digest();
  const digest = base64Bytes(mac);
  if (key.algorithm === 'hmac-md5') return { hmd5: digest.subarray(0, HMD5_LENGTH) };
  const field = new Uint8Array(HSHA_LENGTH);
  field[0] = alg.code;
  field.set(digest.subarray(0, HSHA_LENGTH - 1), 1);
  return { hsha: field };
}

/** The base64 text of `bytes` (RFC 4648, padded), as the bytes of its characters: what a signature field holds. */
function base64Bytes(bytes: Uint8Array): Uint8Array {
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  for (let i = 0; i < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out[o++] = BASE64_CODES[n >>> 18]!;
    out[o++] = BASE64_CODES[(n >>> 12) & 63]!;
    out[o++] = i + 1 < bytes.length ? BASE64_CODES[(n >>> 6) & 63]! : PAD;
    out[o++] = i + 2 < bytes.length ? BASE64_CODES[n & 63]! : PAD;
  }
  return out;
}

const BASE64_CODES = Uint8Array.from(BASE64, (c) => c.charCodeAt(0));
const PAD = 0x3d;

/** A whole message, length prefix included: version 1, `_auth`, then `_ctrl` and `_data`. */
export function encodeMessage(key: ControlKey, ctrl: CcTable, data: CcTable): Uint8Array {
  const rest = encodeTable({ _ctrl: ctrl, _data: data });
  const auth = encodeTable({ _auth: authTable(key, rest) });
  const head = new Uint8Array(8);
  putUint32(head, 0, 4 + auth.length + rest.length);
  putUint32(head, 4, 1);
  return joinBytes([head, auth, rest]);
}

/** A message without its length prefix, its signature checked; undefined when it is not signed with `key`. */
export function decodeMessage(key: ControlKey, body: Uint8Array): CcTable | undefined {
  if (body.length < 4 || getUint32(body, 0) !== 1) throw new Error('isccc message of an unknown version');
  let signedFrom = -1;
  const table = decodeTable(body.subarray(4), (k, end) => { if (k === '_auth' && signedFrom < 0) signedFrom = 4 + end; });
  const auth = table['_auth'];
  if (signedFrom < 0 || auth === undefined || auth instanceof Uint8Array) return undefined;
  const expected = authTable(key, body.subarray(signedFrom));
  const [field, want] = Object.entries(expected)[0]!;
  const got = auth[field];
  if (!(got instanceof Uint8Array) || !(want instanceof Uint8Array)) return undefined;
  if (!sameBytes(got, want)) return undefined;
  return table;
}

/** The bytes of a number or an ASCII word, as a message carries them. */
function ascii(v: number | string): Uint8Array {
  const s = String(v);
  const bytes = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) bytes[i] = s.charCodeAt(i);
  return bytes;
}

function text(table: CcTable | undefined, key: string): string | undefined {
  const v = table?.[key];
  return v instanceof Uint8Array ? Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('utf8') : undefined;
}

// --- The connection ---

const DEFAULT_TIMEOUT_MS = 30_000;

/** How errors name a command: rndc addzone example.com IN (never the zone clause, never the key). */
export function commandLabel(args: readonly string[]): string {
  return `rndc ${args.filter((a) => !a.startsWith('{')).slice(0, 3).join(' ')}`.trim();
}

function readKey(keyFile: string, label: string): ControlKey {
  let content: string;
  try {
    content = readFileSync(keyFile, 'utf8');
  } catch (err) {
    throw new ToolError(label, undefined, msg`cannot read the rndc key ${keyFile}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
  }
  const key = parseKeyFile(content);
  if (key === undefined) throw new ToolError(label, undefined, msg`no usable key in ${keyFile}: expected key "name" { algorithm hmac-sha256; secret "…"; };`);
  return key;
}

/** Opens a session: connects, signs with the key file's key, and fetches the nonce named requires of every command. */
export async function openControl(t: ControlTarget): Promise<ControlSession> {
  const timeoutMs = t.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const key = readKey(t.keyFile, 'rndc');
  let buffered: Buffer = Buffer.alloc(0);
  let waiting: { resolve: (m: Buffer) => void; reject: (e: Error) => void } | undefined;
  let failure: Error | undefined;
  let connected = false;
  const fail = (e: Error): void => {
    failure ??= e;
    waiting?.reject(failure);
    waiting = undefined;
    link.close();
  };
  const link = openTcp(t.server, t.port, {
    connected: () => { connected = true; },
    data: (chunk) => {
      buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
      if (buffered.length < 4) return;
      const len = getUint32(buffered, 0);
      if (buffered.length < 4 + len) return;
      const frame = buffered.subarray(4, 4 + len);
      buffered = buffered.subarray(4 + len);
      const w = waiting;
      waiting = undefined;
      w?.resolve(frame);
    },
    closed: (code) => fail(connected || code === undefined ? new Error(code ?? 'closed') : notAnswering(t, code === 'ECONNREFUSED' ? 'connection refused' : code)),
  });

  // Serials only have to differ between the messages of a connection: Math.random spares crypto's random pool
  // (~0.2 ms to set up on first use).
  let ser = 1 + Math.floor(Math.random() * (2 ** 30 - 1));
  let nonce: Uint8Array | undefined;

  // One request and its answer; the caller turns transport failures into ToolErrors naming its command.
  const exchange = async (data: CcTable): Promise<CcTable> => {
    if (failure !== undefined) throw failure;
    const now = Math.floor(Date.now() / 1000);
    const ctrl: CcTable = { _ser: ascii(++ser), _tim: ascii(now), _exp: ascii(now + 60) };
    if (nonce !== undefined) ctrl['_nonce'] = nonce;
    const frame = await new Promise<Buffer>((resolve, reject) => {
      const cancel = deadline(timeoutMs, () => fail(connected ? new TimeoutError() : notAnswering(t, 'timed out')));
      waiting = {
        resolve: (m) => { cancel(); resolve(m); },
        reject: (e) => { cancel(); reject(e); },
      };
      link.write(encodeMessage(key, ctrl, data));
    });
    const answer = decodeMessage(key, frame);
    if (answer === undefined) throw new UnsignedAnswer();
    return answer;
  };

  const asToolError = (e: unknown, label: string): Error => {
    if (e instanceof ToolError) return e.command === 'rndc' ? new ToolError(label, e.exitCode, e.detail, e.what) : e;
    if (e instanceof TimeoutError) return new ToolError(label, undefined, '', msg`timed out after ${timeoutMs} ms`);
    if (e instanceof UnsignedAnswer) return new ToolError(label, undefined, msg`named's answer is not signed with the key in ${t.keyFile}`);
    // named closes the connection on a message it does not accept: a key it does not know, or an address it does not allow.
    return new ToolError(label, undefined, msg`named closed the control connection without answering: the key in ${t.keyFile} is not one named accepts on ${t.server} port ${t.port}, or this address may not connect`);
  };

  try {
    // The greeting is written at once: it goes as soon as the connection is up, and whatever the process does
    // meanwhile (a garbage collection) overlaps named's answer.
    const hello = await exchange({ type: ascii('null') });
    const ctrl = hello['_ctrl'];
    const n = ctrl instanceof Uint8Array ? undefined : ctrl?.['_nonce'];
    if (!(n instanceof Uint8Array)) throw new UnsignedAnswer();
    nonce = n;
  } catch (e) {
    link.close();
    throw asToolError(e, 'rndc');
  }

  let queue: Promise<unknown> = Promise.resolve();
  return {
    command(args: readonly string[]): Promise<string> {
      const label = commandLabel(args);
      const run = async (): Promise<string> => {
        let answer: CcTable;
        try {
          answer = await exchange({ type: Buffer.from(args.join(' '), 'utf8') });
        } catch (e) {
          throw asToolError(e, label);
        }
        const data = answer['_data'];
        const d = data instanceof Uint8Array ? undefined : data;
        const result = Number(text(d, 'result') ?? '0');
        const said = text(d, 'text') ?? '';
        if (result !== 0 || text(d, 'err') !== undefined) throw new ControlCommandError(label, result, text(d, 'err') ?? `result ${result}`, said);
        return said;
      };
      // named answers one message at a time per connection: commands given together are sent in turn.
      const next = queue.then(run, run);
      queue = next.catch(() => undefined);
      return next;
    },
    close(): void {
      // No goodbye: named drops a connection that closes as readily as one that ends. A command still waiting, or
      // given after this, fails at once rather than at its timeout.
      fail(new Error('closed'));
    },
  };
}

/** One command on a connection of its own. */
export async function control(t: ControlTarget, args: readonly string[]): Promise<string> {
  let session: ControlSession;
  try {
    session = await openControl(t);
  } catch (e) {
    throw e instanceof ToolError && e.command === 'rndc' ? new ToolError(commandLabel(args), e.exitCode, e.detail, e.what) : e;
  }
  try {
    return await session.command(args);
  } finally {
    session.close();
  }
}

class TimeoutError extends Error {}
class UnsignedAnswer extends Error {}

function notAnswering(t: ControlTarget, why: string): ToolError {
  // Said as rndc said it, then what it means: nothing was changed, and why.
  return new ToolError('rndc', undefined, joinMsgs([verbatim(`connect failed: ${t.server}#${t.port}: ${why}`),
    msg`named is not answering on ${t.server} port ${t.port}: it is not running, or is being restarted`]));
}
