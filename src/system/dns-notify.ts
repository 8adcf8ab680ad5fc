// DNS NOTIFY (RFC 1996) sent by dnsmgr itself, from the address a master zone's secondaries have as its master: a
// secondary takes NOTIFY only from its masters. BIND sends it from the zone's notify-source; PowerDNS has no source
// per zone (its NOTIFY leaves from the host's address, refused), so under PowerDNS dnsmgr sends one more from the
// namespace's address after each change. Sent once, not waited for: a request is not held up by a secondary that is
// down, and one that misses it refreshes the zone in time (PowerDNS's own NOTIFY is retried, and refused).
import { createSocket } from 'node:dgram';
import type { Socket } from 'node:dgram';
import { encodeName } from './dns-update';

const OPCODE_NOTIFY = 4;
const FLAG_AA = 0x0400;
const TYPE_SOA = 6;
const CLASS_IN = 1;

export interface NotifyTarget {
  /** The secondaries' addresses (IPv4 or IPv6). */
  to: readonly string[];
  /** The addresses to send from, one per family: a secondary of a family without one is not sent to. */
  from: readonly string[];
  port?: number;
}

/** Whether each secondary's NOTIFY left: not when there is no source of its family, or the socket failed. */
export interface NotifyOutcome {
  to: string;
  sent: boolean;
}

/** The NOTIFY message for the zone: opcode NOTIFY, authoritative, its SOA as the question. */
export function encodeNotify(zone: string, id: number): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(id, 0);
  header.writeUInt16BE((OPCODE_NOTIFY << 11) | FLAG_AA, 2);
  header.writeUInt16BE(1, 4);
  const question = Buffer.alloc(4);
  question.writeUInt16BE(TYPE_SOA, 0);
  question.writeUInt16BE(CLASS_IN, 2);
  return Buffer.concat([header, encodeName(zone), question]);
}

/** Tells each secondary the zone changed, all at once: done when every message has left. Never throws. */
export function sendNotify(zone: string, target: NotifyTarget): Promise<NotifyOutcome[]> {
  return Promise.all(target.to.map((to) => notifyOne(zone, to, target)));
}

function notifyOne(zone: string, to: string, target: NotifyTarget): Promise<NotifyOutcome> {
  const v6 = to.includes(':');
  const from = target.from.find((a) => a.includes(':') === v6);
  if (from === undefined) return Promise.resolve({ to, sent: false });
  const message = encodeNotify(zone, Math.floor(Math.random() * 0x10000));
  return new Promise<NotifyOutcome>((resolve) => {
    let socket: Socket;
    let finished = false;
    const done = (sent: boolean): void => {
      if (finished) return;
      finished = true;
      socket.close();
      resolve({ to, sent });
    };
    try {
      socket = createSocket(v6 ? 'udp6' : 'udp4');
    } catch {
      resolve({ to, sent: false });
      return;
    }
    // The address gone from the host, the secondary unreachable: a NOTIFY missed, nothing more.
    socket.on('error', () => done(false));
    socket.bind({ address: from, port: 0, exclusive: true }, () => socket.send(message, target.port ?? 53, to, (err) => done(err === null || err === undefined)));
  });
}
