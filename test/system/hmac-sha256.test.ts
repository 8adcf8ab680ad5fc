// The control channel's own HMAC-SHA-256 against node:crypto, over the lengths where padding and key handling change.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hmacSha256, sameBytes, sha256 } from '../../src/system/hmac-sha256';

describe('sha256', () => {
  it('is the FIPS 180-4 digest for every length around the block and padding boundaries', () => {
    for (let n = 0; n <= 200; n++) {
      const data = randomBytes(n);
      expect(sha256(data).toString('hex'), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('hashes its parts as one message', () => {
    const [a, b] = [randomBytes(70), randomBytes(130)];
    expect(sha256(a, b)).toEqual(createHash('sha256').update(a).update(b).digest());
  });

  it('matches the known digest of "abc"', () => {
    expect(sha256(Buffer.from('abc')).toString('hex')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });
});

describe('hmacSha256', () => {
  it('is RFC 2104 HMAC for keys shorter, as long as and longer than a block, and messages of any length', () => {
    for (const keyLength of [0, 1, 32, 63, 64, 65, 200]) {
      for (const n of [0, 1, 55, 56, 64, 119, 120, 500, 4096]) {
        const key = randomBytes(keyLength);
        const data = randomBytes(n);
        expect(hmacSha256(key, data).toString('hex'), `key ${keyLength}, data ${n}`).toBe(createHmac('sha256', key).update(data).digest('hex'));
      }
    }
  });

  it('matches RFC 4231 test case 2', () => {
    expect(hmacSha256(Buffer.from('Jefe'), Buffer.from('what do ya want for nothing?')).toString('hex'))
      .toBe('5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843');
  });
});

describe('sameBytes', () => {
  it('compares length and every byte', () => {
    expect(sameBytes(Buffer.from('abc'), Buffer.from('abc'))).toBe(true);
    expect(sameBytes(Buffer.from('abc'), Buffer.from('abd'))).toBe(false);
    expect(sameBytes(Buffer.from('abc'), Buffer.from('ab'))).toBe(false);
    expect(sameBytes(Buffer.alloc(0), Buffer.alloc(0))).toBe(true);
  });
});
