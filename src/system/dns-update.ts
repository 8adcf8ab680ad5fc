// DNS UPDATE (RFC 2136) signed with TSIG (RFC 8945, hmac-sha256), over TCP to the name server holding a master zone
// (issue 12): one record change touches one zone, incrementally — named bumps the serial itself, keeps the change in
// the zone's journal, and IXFR and NOTIFY carry it to the secondaries. Built by hand, as the control channel is: the
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

/** One change of a zone: a record added, a record deleted, or every record of a name and type deleted. */
export type UpdateOp = RecordOp;

const TYPE_CODES: Record<RecordData['type'], number> = { A: 1, NS: 2, CNAME: 5, PTR: 12, MX: 15, TXT: 16, AAAA: 28, SRV: 33, CAA: 257 };
const CLASS_IN = 1;
const CLASS_NONE = 254;
const CLASS_ANY = 255;
const TYPE_SOA = 6;
const TYPE_TSIG = 250;
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

/** The UPDATE message for the zone, signed: the TSIG record appended, ARCOUNT 1. `now`: seconds since the epoch. */
export function encodeUpdate(zone: string, ops: readonly UpdateOp[], key: UpdateKey, id: number, now: number): Buffer {
  const header = Buffer.concat([u16(id), u16(OPCODE_UPDATE << 11), u16(1), u16(0), u16(ops.length), u16(0)]);
  return signMessage(Buffer.concat([header, encodeName(zone), u16(TYPE_SOA), u16(CLASS_IN), ...ops.map(updateRr)]), key, id, now);
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
 * Sends the changes of one zone as one UPDATE: all or none is applied (the name server's guarantee). Throws a ToolError
 * naming the response code when the name server refuses (NOTAUTH: the key; REFUSED: no update allowed there).
 */
export async function sendUpdate(target: UpdateTarget, zone: string, ops: readonly UpdateOp[]): Promise<void> {
  const id = Math.floor(Math.random() * 0x10000);
  const message = encodeUpdate(zone, ops, target.key, id, Math.floor(Date.now() / 1000));
  const label = `DNS UPDATE ${zone} @${target.server}`;
  const timeoutMs = target.timeoutMs ?? 10_000;
  const answer = await new Promise<Buffer>((resolve, reject) => {
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
  const rcode = responseCode(answer, id);
  if (rcode !== 'NOERROR') throw new ToolError(label, undefined, '', msg`refused: ${rcode}`);
}
