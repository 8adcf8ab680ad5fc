// DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945, hmac-sha256), over TCP to the name server holding a master zone
// (issue 12): one record change touches one zone, incrementally — named bumps the serial itself (but for a new primary
// in the SOA, sent with its serial: encodeUpdate), keeps the change in the zone's journal, and IXFR and NOTIFY carry it
// to the secondaries. Built by hand, as the control channel is: the
// messages are a few hundred bytes, and a DNS library (or node:crypto) would cost every record change its load time.
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import type { RecordData } from '../model/record';
import type { RecordOp } from '../dns/backend';
import { txtStrings } from '../model/record';
import { deadline } from './deadline';
import { hmacSha256 } from './hmac-sha256';
import { openTcp } from './tcp';
import type { TcpConnection } from './tcp';

export interface UpdateKey {
  name: string;
  /** The secret, base64 as in a key file. */
  secret: string;
}

export interface UpdateTarget {
  /** The address the zone is answered on (its namespace's: a view matches on it), port 53 unless given. */
  server: string;
  port?: number;
  key: UpdateKey;
  timeoutMs?: number;
}

/** One change of a zone's records: added, deleted, or every record of a name and type deleted. */
export type UpdateOp = Exclude<RecordOp, { op: 'primary' }>;

/**
 * A zone's SOA as its name server answered it, the names in wire form as they came (uncompressed): a prerequisite
 * made of it matches that SOA byte for byte.
 */
export interface ServedSoa {
  ttl: number;
  /** The primary name server: lowercase, without the trailing dot. */
  mname: string;
  mnameWire: Buffer;
  rnameWire: Buffer;
  serial: number;
  /** Refresh, retry, expire and minimum, as sent. */
  timers: Buffer;
}

const TYPE_CODES: Record<RecordData['type'], number> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, CAA: 257 };
const CLASS_IN = 1;
const CLASS_NONE = 254;
const CLASS_ANY = 255;
const TYPE_SOA = 6;
const FLAG_QR = 0x8000;
const TYPE_TSIG = 250;
export const TYPE_AXFR = 252;
const OPCODE_UPDATE = 5;
const FUDGE = 300;
const ALGORITHM = 'hmac-sha256';
const RCODES = ['NOERROR', 'FORMERR', 'SERVFAIL', 'NXDOMAIN', 'NOTIMP', 'REFUSED', 'YXDOMAIN', 'YXRRSET', 'NXRRSET', 'NOTAUTH', 'NOTZONE'];

/** A name in wire form, uncompressed: its labels (validated names: letters, digits, -, _ and *), then the root. */
export function encodeName(name: string): Buffer {
  const labels = name === '' || name === '.' ? [] : name.replace(/\.$/, '').split('.');
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

function u16(n: number): Buffer {
  const b = Buffer.alloc(2);
  b.writeUInt16BE(n);
  return b;
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

function u48(n: number): Buffer {
  const b = Buffer.alloc(6);
  b.writeUIntBE(n, 0, 6);
  return b;
}

/** An IPv6 address (validated, canonical) as its 16 bytes. */
function ipv6Bytes(address: string): Buffer {
  const [head = '', tail] = address.split('::');
  const groups = (part: string): string[] => (part === '' ? [] : part.split(':'));
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return Buffer.concat(all.map((g) => u16(parseInt(g, 16))));
}

/** The record's data in wire form. */
export function encodeRdata(d: RecordData): Buffer {
  switch (d.type) {
    case 'A':
      return Buffer.from(d.address.split('.').map(Number));
    case 'AAAA':
      return ipv6Bytes(d.address);
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return encodeName(d.target);
    case 'MX':
      return Buffer.concat([u16(d.priority), encodeName(d.exchange)]);
    case 'TXT':
      return Buffer.concat(txtStrings(d.text).map((s) => { const b = Buffer.from(s, 'utf8'); return Buffer.concat([Buffer.from([b.length]), b]); }));
    case 'SRV':
      return Buffer.concat([u16(d.priority), u16(d.weight), u16(d.port), encodeName(d.target === '.' ? '' : d.target)]);
    case 'CAA':
      return Buffer.concat([Buffer.from([d.flags, d.tag.length]), Buffer.from(d.tag, 'ascii'), Buffer.from(d.value, 'utf8')]);
  }
}

function rr(name: string, type: number, cls: number, ttl: number, rdata: Buffer): Buffer {
  return Buffer.concat([encodeName(name), u16(type), u16(cls), u32(ttl), u16(rdata.length), rdata]);
}

function updateRr(u: UpdateOp): Buffer {
  switch (u.op) {
    case 'add':
      return rr(u.record.name, TYPE_CODES[u.record.data.type], CLASS_IN, u.record.ttl, encodeRdata(u.record.data));
    case 'delete':
      return rr(u.record.name, TYPE_CODES[u.record.data.type], CLASS_NONE, 0, encodeRdata(u.record.data));
    case 'delete-rrset':
      return rr(u.name, TYPE_CODES[u.type], CLASS_ANY, 0, Buffer.alloc(0));
  }
}

/**
 * The UPDATE message for the zone, signed: the TSIG record appended, ARCOUNT 1. `now`: seconds since the epoch. With
 * `primary`, the SOA names that primary too, its serial one past the one served, on the condition (a prerequisite)
 * that the SOA is still the one read: named ignores an SOA whose serial is not past the zone's.
 */
export function encodeUpdate(zone: string, ops: readonly UpdateOp[], key: UpdateKey, id: number, now: number, primary?: { soa: ServedSoa; mname: string }): Buffer {
  const prerequisites = primary === undefined ? [] : [rr(zone, TYPE_SOA, CLASS_IN, 0, soaRdata(primary.soa))];
  const updates = [...ops.map(updateRr)];
  if (primary !== undefined) {
    // One further in serial arithmetic (RFC 1982), past 0 as named's own increment goes.
    const next = { ...primary.soa, mnameWire: encodeName(primary.mname), serial: (primary.soa.serial + 1) >>> 0 || 1 };
    updates.push(rr(zone, TYPE_SOA, CLASS_IN, primary.soa.ttl, soaRdata(next)));
  }
  const header = Buffer.concat([u16(id), u16(OPCODE_UPDATE << 11), u16(1), u16(prerequisites.length), u16(updates.length), u16(0)]);
  return signMessage(Buffer.concat([header, encodeName(zone), u16(TYPE_SOA), u16(CLASS_IN), ...prerequisites, ...updates]), key, id, now);
}

function soaRdata(soa: ServedSoa): Buffer {
  return Buffer.concat([soa.mnameWire, soa.rnameWire, u32(soa.serial), soa.timers]);
}

/** A query for the zone's records of one type (an AXFR), signed. `now`: seconds since the epoch. */
export function encodeQuery(zone: string, type: number, key: UpdateKey, id: number, now: number): Buffer {
  const header = Buffer.concat([u16(id), u16(0), u16(1), u16(0), u16(0), u16(0)]);
  return signMessage(Buffer.concat([header, encodeName(zone), u16(type), u16(CLASS_IN)]), key, id, now);
}

/** The message (its ARCOUNT 0) signed: its TSIG record appended, ARCOUNT 1. `now`: seconds since the epoch. */
export function signMessage(message: Buffer, key: UpdateKey, id: number, now: number): Buffer {
  const keyName = encodeName(key.name.toLowerCase());
  const algorithm = encodeName(ALGORITHM);
  const time = u48(now);
  // What the MAC covers: the message as sent without its TSIG, then the TSIG's variables (RFC 8945, 4.3.3).
  const variables = Buffer.concat([keyName, u16(CLASS_ANY), u32(0), algorithm, time, u16(FUDGE), u16(0), u16(0)]);
  const mac = hmacSha256(Buffer.from(key.secret, 'base64'), Buffer.concat([message, variables]));
  const tsig = rr(key.name.toLowerCase(), TYPE_TSIG, CLASS_ANY, 0, Buffer.concat([algorithm, time, u16(FUDGE), u16(mac.length), mac, u16(id), u16(0), u16(0)]));
  const signed = Buffer.concat([message, tsig]);
  signed.writeUInt16BE(1, 10);
  return signed;
}

/** The answer's response code, by name. */
export function responseCode(answer: Buffer, id: number): string {
  if (answer.length < 12 || answer.readUInt16BE(0) !== id) return 'FORMERR';
  return RCODES[answer.readUInt16BE(2) & 0xf] ?? `RCODE${answer.readUInt16BE(2) & 0xf}`;
}

/**
 * Sends the changes of one zone as one UPDATE: all or none is applied (the name server's guarantee), with `primary` the
 * SOA's MNAME too (see encodeUpdate). Throws a ToolError naming the response code when the name server refuses
 * (NOTAUTH: the key; REFUSED: no update allowed there; NXRRSET: the SOA changed since it was read).
 */
export async function sendUpdate(target: UpdateTarget, zone: string, ops: readonly UpdateOp[], primary?: { soa: ServedSoa; mname: string }): Promise<void> {
  const id = Math.floor(Math.random() * 0x10000);
  const label = `DNS UPDATE ${zone} @${target.server}`;
  const answer = await exchange(target, encodeUpdate(zone, ops, target.key, id, Math.floor(Date.now() / 1000), primary), label);
  const rcode = responseCode(answer, id);
  if (rcode !== 'NOERROR') throw new UpdateRefused(label, rcode);
}

/** The name server answered an UPDATE with this response code: nothing of it was applied. */
export class UpdateRefused extends ToolError {
  constructor(label: string, readonly rcode: string) {
    super(label, undefined, '', msg`refused: ${rcode}`);
  }
}

/**
 * The zone's SOA as the name server serves it, asked with the zone's key (which selects the view): the first record of
 * a transfer, the connection closed after the first message. An SOA query would be refused: a zone answers queries on
 * its namespace's addresses only (allow-query-on), and the key reaches it on the loopback, where transfers are let in.
 */
export async function readSoa(target: UpdateTarget, zone: string): Promise<ServedSoa> {
  const id = Math.floor(Math.random() * 0x10000);
  const label = `SOA ${zone} @${target.server}`;
  const answer = await exchange(target, encodeQuery(zone, TYPE_AXFR, target.key, id, Math.floor(Date.now() / 1000)), label);
  const rcode = responseCode(answer, id);
  if (rcode !== 'NOERROR') throw new ToolError(label, undefined, '', msg`refused: ${rcode}`);
  const soa = parseSoaAnswer(answer);
  if (soa === undefined) throw new ToolError(label, undefined, '', msg`an answer without the zone's SOA`);
  return soa;
}

/** The SOA among an answer's records (the answer section's first SOA), or undefined. */
export function parseSoaAnswer(message: Buffer): ServedSoa | undefined {
  try {
    if (message.length < 12 || (message.readUInt16BE(2) & FLAG_QR) === 0) return undefined;
    let at = 12;
    for (let q = message.readUInt16BE(4); q > 0; q--) at = readName(message, at).end + 4;
    for (let a = message.readUInt16BE(6); a > 0; a--) {
      at = readName(message, at).end;
      const type = message.readUInt16BE(at);
      const ttl = message.readUInt32BE(at + 4);
      const length = message.readUInt16BE(at + 8);
      const rdata = at + 10;
      at = rdata + length;
      if (type !== TYPE_SOA || at > message.length) continue;
      const mname = readName(message, rdata);
      const rname = readName(message, mname.end);
      if (rname.end + 20 !== at) return undefined;
      const labels: string[] = [];
      for (let i = 0; mname.wire[i] !== 0; i += (mname.wire[i] as number) + 1) labels.push(mname.wire.toString('latin1', i + 1, i + 1 + (mname.wire[i] as number)));
      return { ttl, mname: labels.join('.').toLowerCase(), mnameWire: mname.wire, rnameWire: rname.wire, serial: message.readUInt32BE(rname.end), timers: Buffer.from(message.subarray(rname.end + 4, at)) };
    }
    return undefined;
  } catch {
    // A name or record running past the message's end.
    return undefined;
  }
}

/** A name at `offset`, compression pointers followed: its wire form uncompressed, and where it ends in the message. */
function readName(message: Buffer, offset: number): { wire: Buffer; end: number } {
  const parts: Buffer[] = [];
  let at = offset;
  let end: number | undefined;
  for (let hops = 0; hops < 64; hops++) {
    const len = message[at];
    if (len === undefined) throw new RangeError('name past the end');
    if ((len & 0xc0) === 0xc0) {
      end ??= at + 2;
      at = ((len & 0x3f) << 8) | (message[at + 1] as number);
      continue;
    }
    if (len === 0) return { wire: Buffer.concat([...parts, Buffer.from([0])]), end: end ?? at + 1 };
    if (at + 1 + len > message.length) throw new RangeError('label past the end');
    parts.push(message.subarray(at, at + 1 + len));
    at += 1 + len;
  }
  throw new RangeError('compression loop');
}

/** One message sent over TCP to the name server, and its one answer. */
function exchange(target: UpdateTarget, message: Buffer, label: string): Promise<Buffer> {
  const timeoutMs = target.timeoutMs ?? 10_000;
  return new Promise<Buffer>((resolve, reject) => {
    let received: Buffer = Buffer.alloc(0);
    let link: TcpConnection | undefined;
    let cancel = (): void => undefined;
    const done = (e: Error | undefined, answer?: Buffer): void => {
      cancel();
      link?.close();
      if (e === undefined) resolve(answer!);
      else reject(e);
    };
    link = openTcp(target.server, target.port ?? 53, {
      connected: () => undefined,
      data: (chunk) => {
        received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
        if (received.length >= 2 && received.length >= 2 + received.readUInt16BE(0)) done(undefined, received.subarray(2, 2 + received.readUInt16BE(0)));
      },
      closed: (code) => done(code === undefined
        ? new ToolError(label, undefined, '', msg`the connection closed without an answer`)
        : new ToolError(label, undefined, `${code} ${target.server}:${target.port ?? 53}`)),
    });
    cancel = deadline(timeoutMs, () => done(new ToolError(label, undefined, '', msg`no answer within ${timeoutMs} ms`)));
    link.write(Buffer.concat([u16(message.length), message]));
  });
}
