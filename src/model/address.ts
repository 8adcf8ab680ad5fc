// IP addresses as they go into masters { } and allow-transfer { }: strict syntax, one canonical text form, so the
// rendered config and duplicate checks never depend on how the panel happened to spell an address.
import { bad, checkEach, ok, orThrow, quote } from './checked';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import type { Checked } from './checked';
import { formatIp, hostBitsAreZero, isIpv4Mapped, networkOf, parseIpv4Bytes, parseIpv6Bytes } from './ip-codec';
import type { IpBytes } from './ip-codec';
import { ValidationError } from '../errors';

/** An IPv4 dotted quad or an IPv6 address in RFC 5952 form (IPv4-mapped ones as ::ffff:a.b.c.d). */
export type IpAddress = string & { readonly __brand: 'IpAddress' };

/** One allow-transfer entry: an IpAddress, or a prefix "network/length" with the host bits zero. */
export type AddressMatch = string & { readonly __brand: 'AddressMatch' };

export type AllowTransfer =
  | { kind: 'none' }
  | { kind: 'any' }
  | { kind: 'list'; entries: AddressMatch[] };

export const MAX_ADDRESSES = 16;
const MAX_RAW_LIST_LENGTH = 4096;
const EXPECTED = msg`expected an IPv4 or IPv6 address`;

/** Any syntactically valid address, normalized; use parseMasterList for addresses that must be usable peers. */
export function parseIpAddress(raw: string, param = 'ip'): IpAddress {
  return orThrow(checkIpAddress(raw), param, raw);
}

/**
 * One or more primary servers, separated by commas and/or whitespace; duplicates dropped, order kept. Only addresses a
 * master can really have: no loopback or link-local ones, and an IPv4-mapped IPv6 address is taken as the IPv4 one.
 */
export function parseMasterList(raw: string, param = 'masterip'): IpAddress[] {
  const items = splitList(raw, param);
  if (items.length === 0) throw new ValidationError({ param, value: raw, reason: msg`${EXPECTED} (at least one)` });
  return limit(checkEach(items, param, checkMasterAddress), param, raw);
}

/** A peer address that can be another server's: not this host's loopback, not link-local (no scope to reach it by). */
export function checkMasterAddress(raw: string): Checked<IpAddress> {
  const parsed = parseBytes(raw.trim());
  if (!parsed.ok) return bad(parsed.reason);
  const bytes = parsed.value.length === 16 && isIpv4Mapped(parsed.value) ? parsed.value.slice(12) : parsed.value;
  const problem = unusable(bytes) ?? notRemote(bytes);
  return problem === undefined ? ok(formatIp(bytes) as IpAddress) : bad(problem);
}

function notRemote(bytes: IpBytes): Msg | undefined {
  if (bytes.length === 4) {
    if (bytes[0] === 127) return msg`is a loopback address (127.0.0.0/8): this server itself, never a master`;
    if (bytes[0] === 169 && bytes[1] === 254) return msg`is a link-local address (169.254.0.0/16); expected an address the master is reachable at`;
    return undefined;
  }
  if (bytes.slice(0, 15).every((b) => b === 0) && bytes[15] === 1) return msg`'::1' is the loopback address: this server itself, never a master`;
  if (bytes[0] === 0xfe && ((bytes[1] ?? 0) & 0xc0) === 0x80) {
    return msg`is a link-local address (fe80::/10) and needs a scope; expected an address the master is reachable at`;
  }
  return undefined;
}

/**
 * Who may transfer the zone: empty or "none", "any", or addresses and prefixes (192.0.2.0/24, 2001:db8::/32).
 * The keywords must stand alone.
 */
export function parseAllowTransferList(raw: string, param = 'allow_transfer'): AllowTransfer {
  const items = splitList(raw, param);
  if (items.length === 0) return { kind: 'none' };
  const keyword = items.map((i) => i.toLowerCase()).find((i) => i === 'none' || i === 'any');
  if (keyword === 'none' || keyword === 'any') {
    if (items.length > 1) {
      throw new ValidationError({ param, value: raw, reason: msg`'${keyword}' must be the only item in the list` });
    }
    return { kind: keyword };
  }
  return { kind: 'list', entries: limit(checkEach(items, param, checkAddressMatch), param, raw) };
}

/** The text parseAllowTransferList reads back to the same value. */
export function formatAllowTransfer(a: AllowTransfer): string {
  return a.kind === 'list' ? a.entries.join(', ') : a.kind;
}

export function ipFamily(ip: IpAddress): 4 | 6 {
  return ip.includes(':') ? 6 : 4;
}

/** Strict: a dotted quad without leading zeros. */
export function isIpv4(text: string): boolean {
  return parseIpv4Bytes(text).ok;
}

/** Strict: no zone index. */
export function isIpv6(text: string): boolean {
  return parseIpv6Bytes(text).ok;
}

export function checkIpAddress(raw: string): Checked<IpAddress> {
  const parsed = parseBytes(raw.trim());
  return parsed.ok ? ok(formatIp(parsed.value) as IpAddress) : bad(parsed.reason);
}

/** A unicast address a server can talk to: not unspecified, multicast, broadcast or in 0.0.0.0/8. */
export function checkPeerAddress(raw: string): Checked<IpAddress> {
  const parsed = parseBytes(raw.trim());
  if (!parsed.ok) return bad(parsed.reason);
  const problem = unusable(parsed.value);
  return problem === undefined ? ok(formatIp(parsed.value) as IpAddress) : bad(problem);
}

function checkAddressMatch(raw: string): Checked<AddressMatch> {
  const text = raw.trim();
  const slash = text.indexOf('/');
  if (slash < 0) return asMatch(checkPeerAddress(text));
  const parsed = parseBytes(text.slice(0, slash));
  if (!parsed.ok) return bad(parsed.reason);
  const bytes = parsed.value;
  const bits = bytes.length * 8;
  const lengthText = text.slice(slash + 1);
  if (!/^(0|[1-9]\d{0,2})$/.test(lengthText) || Number(lengthText) > bits) {
    return bad(msg`prefix length ${quote(lengthText)} is not a number from 0 to ${bits}`);
  }
  const length = Number(lengthText);
  if (!hostBitsAreZero(bytes, length)) {
    const network = formatIp(networkOf(bytes, length));
    return bad(msg`host bits are set after the first ${length}; did you mean ${network}/${length}?`);
  }
  if (length === bits) return asMatch(checkPeerAddress(text.slice(0, slash)));
  return ok(`${formatIp(bytes)}/${length}` as AddressMatch);
}

// A single address is a valid match entry as it stands.
function asMatch(c: Checked<IpAddress>): Checked<AddressMatch> {
  return c.ok ? ok(c.value as string as AddressMatch) : bad(c.reason);
}

function parseBytes(text: string): Checked<IpBytes> {
  if (text === '') return bad(msg`empty; ${EXPECTED}`);
  const zone = text.indexOf('%');
  if (zone >= 0 && text.includes(':')) {
    return bad(msg`zone index ${quote(text.slice(zone))} is not allowed; expected an IPv6 address without one`);
  }
  if (text.includes(':')) return parseIpv6Bytes(text);
  if (/^[\d.]+$/.test(text)) return parseIpv4Bytes(text);
  return bad(EXPECTED);
}

function unusable(bytes: IpBytes): Msg | undefined {
  if (bytes.length === 16) {
    if (isIpv4Mapped(bytes)) return unusable(bytes.slice(12));
    if (bytes.every((b) => b === 0)) return msg`'::' is the unspecified address; expected a unicast address`;
    if (bytes[0] === 0xff) return msg`is a multicast address (ff00::/8); expected a unicast address`;
    return undefined;
  }
  const [first = 0] = bytes;
  if (bytes.every((b) => b === 0)) return msg`'0.0.0.0' is the unspecified address; expected a unicast address`;
  if (first === 0) return msg`is in 0.0.0.0/8 ('this network'); expected a unicast address`;
  if (bytes.every((b) => b === 255)) return msg`'255.255.255.255' is the broadcast address; expected a unicast address`;
  if (first >= 224 && first <= 239) return msg`is a multicast address (224.0.0.0/4); expected a unicast address`;
  return undefined;
}

function splitList(raw: string, param: string): string[] {
  if (raw.length > MAX_RAW_LIST_LENGTH) {
    throw new ValidationError({ param, value: raw, reason: msg`longer than ${MAX_RAW_LIST_LENGTH} characters` });
  }
  return raw.split(/[\s,]+/).filter((s) => s !== '');
}

function limit<T>(values: T[], param: string, raw: string): T[] {
  if (values.length > MAX_ADDRESSES) {
    throw new ValidationError({
      param,
      value: raw,
      reason: msg`expected at most ${MAX_ADDRESSES} addresses, got ${values.length}`,
    });
  }
  return values;
}
