// The control-channel codec: tables, signed messages and key files, against a vector from an independent
// implementation (the Python client of bench/research-views.md, which real named accepts).
import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ToolError } from '../../src/errors';
import { commandLabel, ControlCommandError, decodeMessage, decodeTable, encodeMessage, encodeTable, parseKeyFile } from '../../src/system/control-channel';
import type { CcTable, ControlKey } from '../../src/system/control-channel';

const SECRET = 'c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0c2VjcmV0MTI=';
const KEY: ControlKey = { name: 'dnsmgr-rndc', algorithm: 'hmac-sha256', secret: Buffer.from(SECRET, 'base64') };
const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s));
const CTRL: CcTable = { _ser: b('1234'), _tim: b('1764489600'), _exp: b('1764489660'), _nonce: b('99') };
const DATA: CcTable = { type: b('addzone example.com IN alice { type slave; };') };
/** The same message, built by /tmp/viewmem/rndcproto.py's encoder with the same key and fields. */
const VECTOR = 'AAABAwAAAAEFX2F1dGgCAAAAYwRoc2hhAQAAAFmjRnM5Rkl2bmJhTXZqZnhPc1NvR1hBYXd3eVR5cEVQbEgxS1A4cGd2VkR5MD0AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAVfY3RybAIAAABEBF9zZXIBAAAABDEyMzQEX3RpbQEAAAAKMTc2NDQ4OTYwMARfZXhwAQAAAAoxNzY0NDg5NjYwBl9ub25jZQEAAAACOTkFX2RhdGECAAAANwR0eXBlAQAAAC1hZGR6b25lIGV4YW1wbGUuY29tIElOIGFsaWNlIHsgdHlwZSBzbGF2ZTsgfTs=';

describe('isccc tables', () => {
  it('round-trip nested tables and keep the order of keys', () => {
    const t: CcTable = { _ctrl: { _ser: b('1'), _nonce: b('') }, _data: { type: b('status'), nested: { deep: b('\u0000\u00ff') } } };
    const back = decodeTable(encodeTable(t));
    expect(back).toEqual(t);
    expect(Object.keys(back)).toEqual(['_ctrl', '_data']);
  });

  it('refuse a truncated table', () => {
    const whole = encodeTable({ type: b('status') });
    expect(() => decodeTable(whole.subarray(0, whole.length - 1))).toThrow(/truncated/);
  });
});

describe('signed messages', () => {
  it('are byte for byte what the independent client sends', () => {
    expect(Buffer.from(encodeMessage(KEY, CTRL, DATA)).toString('base64')).toBe(VECTOR);
  });

  it('decode with their signature checked', () => {
    const frame = Buffer.from(VECTOR, 'base64');
    expect(frame.readUInt32BE(0)).toBe(frame.length - 4);
    const table = decodeMessage(KEY, frame.subarray(4));
    expect(table?.['_ctrl']).toEqual(CTRL);
    expect(table?.['_data']).toEqual(DATA);
  });

  it('are refused when a byte of the signed part changed, or the key is another', () => {
    const frame = Buffer.from(VECTOR, 'base64');
    const tampered = Buffer.from(frame);
    tampered[tampered.length - 3] = tampered[tampered.length - 3]! ^ 1;
    expect(decodeMessage(KEY, tampered.subarray(4))).toBeUndefined();
    expect(decodeMessage({ ...KEY, secret: Buffer.from('other') }, frame.subarray(4))).toBeUndefined();
  });

  it('round-trip with every algorithm rndc keys use', () => {
    for (const algorithm of ['hmac-md5', 'hmac-sha1', 'hmac-sha224', 'hmac-sha256', 'hmac-sha384', 'hmac-sha512']) {
      const key = { ...KEY, algorithm };
      const table = decodeMessage(key, encodeMessage(key, CTRL, DATA).subarray(4));
      expect(table?.['_data'], algorithm).toEqual(DATA);
    }
  });
});

describe('signatures', () => {
  // What rndc puts in _auth (lib/isccc/cc.c): the base64 text of the HMAC of everything after _auth; hmac-md5's cut to
  // 22 characters, the others after a byte naming the algorithm, in a field of 88 characters padded with zeros.
  const CODES: Record<string, [string, number]> = { 'hmac-sha1': ['sha1', 161], 'hmac-sha224': ['sha224', 162], 'hmac-sha256': ['sha256', 163], 'hmac-sha384': ['sha384', 164], 'hmac-sha512': ['sha512', 165] };
  it('are the base64 of the HMAC node:crypto computes, for every algorithm', () => {
    for (const algorithm of ['hmac-md5', ...Object.keys(CODES)]) {
      const key = { ...KEY, algorithm };
      const body = Buffer.from(encodeMessage(key, CTRL, DATA)).subarray(4);
      let signedFrom = -1;
      const auth = decodeTable(body.subarray(4), (k, end) => { if (k === '_auth') signedFrom = 4 + end; })['_auth'] as CcTable;
      const [hash, code] = CODES[algorithm] ?? ['md5', 0];
      const text = createHmac(hash, KEY.secret).update(body.subarray(signedFrom)).digest('base64');
      if (algorithm === 'hmac-md5') {
        expect(Buffer.from(auth['hmd5'] as Uint8Array).toString('latin1')).toBe(text.slice(0, 22));
      } else {
        const field = Buffer.alloc(89);
        field[0] = code;
        field.write(text, 1, 'latin1');
        expect(Buffer.from(auth['hsha'] as Uint8Array).equals(field), algorithm).toBe(true);
      }
    }
  });
});

describe('rndc key files', () => {
  it('read the first key as rndc-confgen writes it, comments and all', () => {
    const text = `# generated\nkey "rndc-key" {\n\talgorithm hmac-sha256;\n\tsecret "${SECRET}";\n};\n/* another */\nkey "b" { algorithm hmac-md5; secret "AAAA"; };\n`;
    expect(parseKeyFile(text)).toEqual({ name: 'rndc-key', algorithm: 'hmac-sha256', secret: Buffer.from(SECRET, 'base64') });
  });

  it("keep a secret whole when it holds '//', which would start a comment outside quotes", () => {
    // A random 32-byte secret holds '//' about once in a hundred keys: the clean-clone run met one.
    const secret = 'ab//cdef/+GH//ij+Kl/Mn0pQ1rS2tU3vW4xY5zA6bC7=';
    const text = `key "rndc-key" { // the key\n\talgorithm hmac-sha256; # sha-256\n\tsecret "${secret}";\n};\n`;
    expect(parseKeyFile(text)).toEqual({ name: 'rndc-key', algorithm: 'hmac-sha256', secret: Buffer.from(secret, 'base64') });
  });

  it('read quoted and bare values, any case of algorithm, a secret over lines, comments anywhere', () => {
    const half = SECRET.length / 2;
    const text = `options { keys { "x"; }; };\n// key "commented" { algorithm hmac-md5; secret "AAAA"; };\nkey /* the one */ rndc\n{ ALGORITHM "HMAC-SHA256"; secret "${SECRET.slice(0, half)}\n  ${SECRET.slice(half)}"; # done\n};\n`;
    expect(parseKeyFile(text)).toEqual({ name: 'rndc', algorithm: 'hmac-sha256', secret: Buffer.from(SECRET, 'base64') });
  });

  it('give nothing for a file without a usable key', () => {
    expect(parseKeyFile('')).toBeUndefined();
    expect(parseKeyFile('key "k" { algorithm hmac-sha256; };')).toBeUndefined();
    expect(parseKeyFile(`key "k" { algorithm gss-tsig; secret "${SECRET}"; };`)).toBeUndefined();
    expect(parseKeyFile(`key "k" { algorithm hmac-sha256; secret "not base64!"; };`)).toBeUndefined();
    expect(parseKeyFile(`key "k" { algorithm hmac-sha256; secret ${SECRET}; };`)).toBeUndefined();
    expect(parseKeyFile(`key { algorithm hmac-sha256; secret "${SECRET}"; };`)).toBeUndefined();
  });
});

describe('errors', () => {
  it('name the command, never the zone clause, and keep named\'s result code', () => {
    expect(commandLabel(['addzone', 'example.com', 'IN', 'alice', '{ type slave; };'])).toBe('rndc addzone example.com IN');
    const err = new ControlCommandError('rndc addzone example.com IN', 18, 'already exists', "zone 'example.com' already exists");
    expect(err).toBeInstanceOf(ToolError);
    expect(err.result).toBe(18);
    expect(err.message).toBe("rndc addzone example.com IN failed: already exists | zone 'example.com' already exists");
  });
});
