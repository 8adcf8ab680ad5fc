// Strict IP address syntax and the canonical text form (RFC 5952 for IPv6). Addresses are handled as bytes so that
// prefixes, host bits and special ranges are checked the same way for both families.
import { msg } from '../i18n/msg';
import { bad, ok, quote } from './checked';
import type { Checked } from './checked';

/** Network byte order: 4 bytes for IPv4, 16 for IPv6. */
export type IpBytes = readonly number[];

/** Four decimal numbers 0–255 without leading zeros: BIND and inet_aton disagree about 010 (octal or decimal). */
export function parseIpv4Bytes(text: string): Checked<IpBytes> {
  const parts = text.split('.');
  if (parts.length !== 4 || !parts.every((p) => /^\d+$/.test(p))) {
    return bad(msg`expected an IPv4 address: four numbers 0-255 separated by dots`);
  }
  const bytes: number[] = [];
  for (const p of parts) {
    if (p.length > 1 && p.startsWith('0')) return bad(msg`IPv4 number ${quote(p)} has a leading zero`);
    const n = p.length > 3 ? 256 : Number(p);
    if (n > 255) return bad(msg`IPv4 number ${quote(p)} is greater than 255`);
    bytes.push(n);
  }
  return ok(bytes);
}

// node:net's isIPv6, as Node 20 writes it (lib/internal/net.js), here because importing node:net for it loads net and
// stream, ~1.6 ms of a request that validates an IPv6 address; test/model/ip-codec.test.ts holds it to net.isIPv6.
const V4_SEG = '(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9][0-9]|[0-9])';
const V4 = `(?:${V4_SEG}\\.){3}${V4_SEG}`;
const V6_SEG = '(?:[0-9a-fA-F]{1,4})';
const IPV6 = new RegExp('^(?:' +
  `(?:${V6_SEG}:){7}(?:${V6_SEG}|:)|` +
  `(?:${V6_SEG}:){6}(?:${V4}|:${V6_SEG}|:)|` +
  `(?:${V6_SEG}:){5}(?::${V4}|(?::${V6_SEG}){1,2}|:)|` +
  `(?:${V6_SEG}:){4}(?:(?::${V6_SEG}){0,1}:${V4}|(?::${V6_SEG}){1,3}|:)|` +
  `(?:${V6_SEG}:){3}(?:(?::${V6_SEG}){0,2}:${V4}|(?::${V6_SEG}){1,4}|:)|` +
  `(?:${V6_SEG}:){2}(?:(?::${V6_SEG}){0,3}:${V4}|(?::${V6_SEG}){1,5}|:)|` +
  `(?:${V6_SEG}:){1}(?:(?::${V6_SEG}){0,4}:${V4}|(?::${V6_SEG}){1,6}|:)|` +
  `(?::(?:(?::${V6_SEG}){0,5}:${V4}|(?::${V6_SEG}){1,7}|:))` +
  ')(?:%[0-9a-zA-Z-.:]{1,})?$');

/** Whether `text` is an IPv6 address (a zone index allowed), exactly as node:net's isIPv6 says. */
export function isIpv6Text(text: string): boolean {
  return IPV6.test(text);
}

export function parseIpv6Bytes(text: string): Checked<IpBytes> {
  const invalid = bad<IpBytes>(msg`expected an IPv6 address`);
  // isIpv6Text is the gatekeeper; the parse below only has to be right for what it lets through.
  if (!isIpv6Text(text) || text.includes('%')) return invalid;
  const halves = text.split('::');
  if (halves.length > 2) return invalid;
  const head = parseGroups(halves[0] ?? '', halves.length === 1);
  const tail = halves.length === 2 ? parseGroups(halves[1] ?? '', true) : [];
  if (head === undefined || tail === undefined) return invalid;
  const missing = 8 - head.length - tail.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return invalid;
  const groups = [...head, ...new Array<number>(halves.length === 2 ? missing : 0).fill(0), ...tail];
  return ok(groups.flatMap((g) => [g >> 8, g & 0xff]));
}

function parseGroups(text: string, mayEndInIpv4: boolean): number[] | undefined {
  if (text === '') return [];
  const pieces = text.split(':');
  const groups: number[] = [];
  for (const [i, piece] of pieces.entries()) {
    if (mayEndInIpv4 && i === pieces.length - 1 && piece.includes('.')) {
      const v4 = parseIpv4Bytes(piece);
      if (!v4.ok) return undefined;
      const [a = 0, b = 0, c = 0, d = 0] = v4.value;
      groups.push((a << 8) | b, (c << 8) | d);
    } else if (/^[0-9a-f]{1,4}$/i.test(piece)) {
      groups.push(parseInt(piece, 16));
    } else {
      return undefined;
    }
  }
  return groups;
}

export function formatIp(bytes: IpBytes): string {
  return bytes.length === 4 ? bytes.join('.') : formatIpv6(bytes);
}

/** RFC 5952: lowercase, no leading zeros, the longest run (first on a tie) of two or more zero groups as "::". */
function formatIpv6(bytes: IpBytes): string {
  if (isIpv4Mapped(bytes)) return `::ffff:${bytes.slice(12).join('.')}`;
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLength = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLength) {
      bestStart = i;
      bestLength = j - i;
    }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  const left = hex.slice(0, bestStart).join(':');
  const right = hex.slice(bestStart + bestLength).join(':');
  return `${left}::${right}`;
}

/** ::ffff:a.b.c.d */
export function isIpv4Mapped(bytes: IpBytes): boolean {
  return bytes.length === 16 && bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff;
}

/** True when every bit after the first `length` bits is zero. */
export function hostBitsAreZero(bytes: IpBytes, length: number): boolean {
  return bytes.every((b, i) => {
    const keep = Math.max(0, Math.min(8, length - i * 8));
    const mask = (0xff << (8 - keep)) & 0xff;
    return (b & ~mask & 0xff) === 0;
  });
}

/** The first `length` bits, rest zeroed: the network a prefix should have been written as. */
export function networkOf(bytes: IpBytes, length: number): IpBytes {
  return bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, length - i * 8));
    return b & ((0xff << (8 - keep)) & 0xff);
  });
}
