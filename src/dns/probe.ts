// Asks one master about one zone the way a slave's refresh does: an SOA query over UDP, then the first message of an
// AXFR over TCP. domain.check loads this module on demand (`await import`), so dns-packet stays out of every request's
// start. Network conditions never throw: they are outcomes; only a caller's mistake (a bad zone or address) throws.
import { randomInt } from 'node:crypto';
import { createSocket } from 'node:dgram';
import type { Socket as UdpSocket } from 'node:dgram';
import { connect, isIP } from 'node:net';
import * as dnsPacket from 'dns-packet';
import type { DecodedPacket, Packet, RecordType } from 'dns-packet';

export type ProbeOutcome = 'ok' | 'refused' | 'notauth' | 'servfail' | 'timeout' | 'unreachable' | 'error';

/**
 * `detail`: for 'unreachable' the errno code (EHOSTUNREACH, ENETUNREACH, ECONNREFUSED); for 'notauth' and 'error'
 * what was wrong with the answer; for 'error' from the socket, the code and message.
 */
export interface SoaProbe {
  outcome: ProbeOutcome;
  serial?: number;
  rcode?: string;
  authoritative?: boolean;
  detail?: string;
}

export interface AxfrProbe {
  outcome: ProbeOutcome | 'skipped';
  rcode?: string;
  detail?: string;
}

export interface ProbeResult {
  /** The master address probed (IPv4 or IPv6 text, as given). */
  master: string;
  /** The local address the sockets used (the AXFR's TCP one when it connected, else the SOA's UDP one), if known. */
  source?: string;
  /** The time allowed to each of the two probes, so a message can say how long it waited. */
  timeoutMs?: number;
  soa: SoaProbe;
  axfr: AxfrProbe;
}

export interface ProbeOptions {
  /** Total time for the SOA query (both tries) and, separately, for the AXFR's first message; default 5000. */
  timeoutMs?: number;
  /** Local address to send from, as named's transfer-source would; default: the one the OS picks. */
  source?: string;
  /** Default 53. */
  port?: number;
}

type Decoded = DecodedPacket & { rcode?: string };
type Found<P> = { probe: P; source?: string };

const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 120_000;
const DNS_PORT = 53;
const LDH_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const MAX_NAME_LENGTH = 253;
// ICMP errors the kernel reports on a connected socket, and a refused TCP connection: nothing to talk to there.
const UNREACHABLE = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'ECONNREFUSED']);

interface Target {
  zone: string;
  master: string;
  family: 4 | 6;
  port: number;
  timeoutMs: number;
  source: string | undefined;
}

export async function probeMaster(zone: string, master: string, opts: ProbeOptions = {}): Promise<ProbeResult> {
  const target = checkTarget(zone, master, opts);
  const soa = await probeSoa(target);
  // Without any answer over UDP, TCP to the same address would only wait out the same silence.
  const axfr: Found<AxfrProbe> =
    soa.probe.outcome === 'timeout' || soa.probe.outcome === 'unreachable'
      ? { probe: { outcome: 'skipped' } }
      : await probeAxfr(target);
  const source = axfr.source ?? soa.source;
  return {
    master,
    ...(source === undefined ? {} : { source }),
    timeoutMs: target.timeoutMs,
    soa: soa.probe,
    axfr: axfr.probe,
  };
}

function checkTarget(zone: string, master: string, opts: ProbeOptions): Target {
  if (typeof zone !== 'string' || zone.length > MAX_NAME_LENGTH || !LDH_NAME.test(zone)) {
    throw new Error(`probeMaster: zone must be a lowercase LDH name without a trailing dot, got ${JSON.stringify(zone)}`);
  }
  const family = typeof master === 'string' ? isIP(master) : 0;
  if (family !== 4 && family !== 6) {
    throw new Error(`probeMaster: master must be an IPv4 or IPv6 address, got ${JSON.stringify(master)}`);
  }
  const port = opts.port ?? DNS_PORT;
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new Error(`probeMaster: port must be an integer 1..65535, got ${String(port)}`);
  }
  const timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  if (!Number.isFinite(timeoutMs) || timeoutMs < 1 || timeoutMs > MAX_TIMEOUT_MS) {
    throw new Error(`probeMaster: timeoutMs must be 1..${MAX_TIMEOUT_MS}, got ${String(timeoutMs)}`);
  }
  if (opts.source !== undefined && isIP(opts.source) !== family) {
    throw new Error(`probeMaster: source must be an IPv${family} address like the master, got ${JSON.stringify(opts.source)}`);
  }
  return { zone, master, family, port, timeoutMs, source: opts.source };
}

// One query, a second one halfway through the time allowed (UDP loses packets), the first matching answer wins.
function probeSoa(t: Target): Promise<Found<SoaProbe>> {
  return new Promise((resolve) => {
    const socket = createSocket(t.family === 6 ? 'udp6' : 'udp4');
    const ids = new Set<number>();
    const timers: NodeJS.Timeout[] = [];
    let source: string | undefined;
    let malformed: string | undefined;
    let done = false;

    const finish = (probe: SoaProbe): void => {
      if (done) return;
      done = true;
      for (const timer of timers) clearTimeout(timer);
      socket.removeAllListeners('message');
      closeQuietly(socket);
      resolve(source === undefined ? { probe } : { probe, source });
    };
    const send = (): void => {
      if (done) return;
      const id = randomInt(0, 0x10000);
      ids.add(id);
      try {
        socket.send(dnsPacket.encode(query(id, t.zone, 'SOA')), (err) => {
          if (err) finish(fromSocketError(err));
        });
      } catch (err) {
        finish(fromSocketError(err as Error));
      }
    };

    socket.on('error', (err) => finish(fromSocketError(err)));
    socket.on('message', (msg) => {
      const answer = decodeAnswer(msg, ids, t.zone);
      if (typeof answer === 'string') malformed = answer;
      else if (answer !== undefined) finish(soaOutcome(answer, t.zone));
    });
    timers.push(
      setTimeout(() => finish(malformed === undefined ? { outcome: 'timeout' } : { outcome: 'error', detail: malformed }), t.timeoutMs),
    );
    // A connected UDP socket is told about ICMP errors (port or host unreachable) instead of waiting them out.
    const start = (): void =>
      socket.connect(t.port, t.master, (err?: Error) => {
        if (done) return;
        if (err) return finish(fromSocketError(err));
        source = localAddressOf(socket);
        send();
        timers.push(setTimeout(send, Math.floor(t.timeoutMs / 2)));
      });
    if (t.source === undefined) start();
    else socket.bind({ address: t.source, port: 0, exclusive: true }, start);
  });
}

function soaOutcome(p: Decoded, zone: string): SoaProbe {
  const rcode = p.rcode ?? 'RCODE_?';
  const base = { rcode, authoritative: p.flag_aa };
  switch (rcode) {
    case 'NOERROR': {
      if (!p.flag_aa) return { ...base, outcome: 'notauth', detail: 'the answer is not authoritative (no AA bit)' };
      const soa = (p.answers ?? []).find((a) => a.type === 'SOA' && sameName(a.name, zone));
      if (soa?.type !== 'SOA') {
        if (p.flag_tc) return { ...base, outcome: 'error', detail: 'the answer was truncated' };
        return { ...base, outcome: 'notauth', detail: 'the answer holds no SOA for the zone' };
      }
      return { ...base, outcome: 'ok', serial: soa.data.serial };
    }
    case 'REFUSED':
      return { ...base, outcome: 'refused' };
    case 'NOTAUTH':
    case 'NXDOMAIN':
      return { ...base, outcome: 'notauth' };
    case 'SERVFAIL':
      return { ...base, outcome: 'servfail' };
    default:
      return { ...base, outcome: 'error', detail: `unexpected response code ${rcode}` };
  }
}

// One TCP connection, the AXFR query, the first response message only: enough to see whether the master transfers.
function probeAxfr(t: Target): Promise<Found<AxfrProbe>> {
  return new Promise((resolve) => {
    const id = randomInt(0, 0x10000);
    const socket = connect({
      host: t.master,
      port: t.port,
      family: t.family,
      ...(t.source === undefined ? {} : { localAddress: t.source }),
    });
    let received = Buffer.alloc(0);
    let source: string | undefined;
    let connected = false;
    let done = false;
    let timer: NodeJS.Timeout | undefined;

    const finish = (probe: AxfrProbe): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      socket.removeAllListeners('data');
      socket.on('error', () => undefined);
      socket.destroy();
      resolve(source === undefined ? { probe } : { probe, source });
    };
    timer = setTimeout(
      () => finish({ outcome: 'timeout', detail: connected ? 'no response after connecting' : 'no TCP connection' }),
      t.timeoutMs,
    );

    socket.on('connect', () => {
      connected = true;
      source = socket.localAddress;
      socket.write(dnsPacket.streamEncode(query(id, t.zone, 'AXFR')));
    });
    socket.on('data', (chunk: Buffer) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 2 || received.length < 2 + received.readUInt16BE(0)) return;
      let answer: Decoded | null;
      try {
        answer = dnsPacket.streamDecode(received) as Decoded | null;
      } catch (err) {
        return finish({ outcome: 'error', detail: `malformed response: ${(err as Error).message}` });
      }
      if (answer === null) return;
      if (answer.id !== id || !answer.flag_qr) return finish({ outcome: 'error', detail: 'the response does not match the query' });
      finish(axfrOutcome(answer, t.zone));
    });
    socket.on('end', () => finish({ outcome: 'error', detail: 'the master closed the connection without a response' }));
    socket.on('error', (err) => finish(fromSocketError(err)));
  });
}

function axfrOutcome(p: Decoded, zone: string): AxfrProbe {
  const rcode = p.rcode ?? 'RCODE_?';
  switch (rcode) {
    case 'NOERROR': {
      if (!p.flag_aa) return { rcode, outcome: 'notauth', detail: 'the response is not authoritative (no AA bit)' };
      const first = p.answers?.[0];
      if (first?.type !== 'SOA' || !sameName(first.name, zone)) {
        return { rcode, outcome: 'error', detail: 'the transfer does not start with the SOA of the zone' };
      }
      return { rcode, outcome: 'ok' };
    }
    case 'REFUSED':
      return { rcode, outcome: 'refused' };
    case 'NOTAUTH':
    case 'NXDOMAIN':
      return { rcode, outcome: 'notauth' };
    case 'SERVFAIL':
      return { rcode, outcome: 'servfail' };
    default:
      return { rcode, outcome: 'error', detail: `unexpected response code ${rcode}` };
  }
}

function query(id: number, zone: string, type: RecordType): Packet {
  // flags 0: no RD, as a slave's refresh asks.
  return { type: 'query', id, flags: 0, questions: [{ type, class: 'IN', name: zone }] };
}

/**
 * The answer to one of our queries; undefined for a datagram that is not one (wrong id, a query, another question),
 * which is ignored as named would; a string saying what was wrong when it could not be decoded.
 */
function decodeAnswer(msg: Buffer, ids: ReadonlySet<number>, zone: string): Decoded | string | undefined {
  let p: Decoded;
  try {
    p = dnsPacket.decode(msg) as Decoded;
  } catch (err) {
    return `malformed response: ${(err as Error).message}`;
  }
  if (p.id === undefined || !ids.has(p.id) || !p.flag_qr) return undefined;
  const q = p.questions?.[0];
  if (q !== undefined && (!sameName(q.name, zone) || q.type !== 'SOA')) return undefined;
  return p;
}

function fromSocketError(err: Error): { outcome: ProbeOutcome; detail: string } {
  const code = (err as NodeJS.ErrnoException).code ?? '';
  if (UNREACHABLE.has(code)) return { outcome: 'unreachable', detail: code };
  if (code === 'ETIMEDOUT') return { outcome: 'timeout', detail: code };
  return { outcome: 'error', detail: code === '' || err.message.includes(code) ? err.message : `${code}: ${err.message}` };
}

function sameName(a: string, b: string): boolean {
  return a.replace(/\.$/, '').toLowerCase() === b;
}

function localAddressOf(socket: UdpSocket): string | undefined {
  try {
    return socket.address().address;
  } catch {
    return undefined;
  }
}

function closeQuietly(socket: UdpSocket): void {
  socket.on('error', () => undefined);
  try {
    socket.close();
  } catch {
    // already closed
  }
}
