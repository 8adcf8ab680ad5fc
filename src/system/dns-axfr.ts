// A master zone read back whole from its name server (AXFR, RFC 5936) over TCP, signed with the same TSIG key as the
// zone's UPDATEs (dns-update.ts): what domain.sync compares with the database. The query is built and signed by hand
// as an UPDATE is; the answer, many messages of many record types, is read with dns-packet, loaded on the first
// transfer only (~3 ms), never by a request that does not read a zone back.
import type { Answer, DecodedPacket } from 'dns-packet';
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import { checkIpAddress } from '../model/address';
import type { DnsRecord, RecordData } from '../model/record';
import { encodeQuery, TYPE_AXFR } from './dns-update';
import type { UpdateTarget } from './dns-update';

const CAA_TAGS = new Set(['issue', 'issuewild', 'iodef']);

/** The TSIG error of an answer's last additional record (BADSIG 16, BADKEY 17, BADTIME 18), 0 when none. */
function tsigError(p: DecodedPacket): number {
  const tsig = (p.additionals ?? []).find((a) => a.type === 'TSIG' || (a.type as string) === 'UNKNOWN_250');
  const raw = tsig === undefined ? undefined : (tsig as { data?: unknown }).data;
  if (!Buffer.isBuffer(raw)) return 0;
  // Algorithm name (uncompressed), time (6), fudge (2), MAC size, MAC, original id (2), error (2).
  let at = 0;
  while (at < raw.length && raw[at] !== 0) at += (raw[at] as number) + 1;
  at += 1 + 6 + 2;
  if (at + 2 > raw.length) return 0;
  at += 2 + raw.readUInt16BE(at) + 2;
  return at + 2 <= raw.length ? raw.readUInt16BE(at) : 0;
}

/**
 * Every record of the zone as the name server sends it (the SOA first and last included); undefined when it does not
 * hold the zone there (REFUSED, or NOTAUTH not caused by the key). Throws a ToolError for anything else: no answer, a
 * key it does not accept, another response code.
 */
export async function transferZone(target: UpdateTarget, zone: string): Promise<Answer[] | undefined> {
  const dnsPacket = await import('dns-packet');
  const { connect } = await import('node:net');
  const id = Math.floor(Math.random() * 0x10000);
  const query = encodeQuery(zone, TYPE_AXFR, target.key, id, Math.floor(Date.now() / 1000));
  const label = `AXFR ${zone} @${target.server}`;
  // As an UPDATE's: a hung named holds up the request that reads the zone (a repair runs before a request's own work).
  const timeoutMs = target.timeoutMs ?? 10_000;
  return new Promise<Answer[] | undefined>((resolve, reject) => {
    const socket = connect({ host: target.server, port: target.port ?? 53 });
    const answers: Answer[] = [];
    let soas = 0;
    let pending: Buffer = Buffer.alloc(0);
    let settled = false;
    const finish = (result: Answer[] | undefined | ToolError): void => {
      if (settled) return;
      settled = true;
      socket.destroy();
      if (result instanceof ToolError) reject(result);
      else resolve(result);
    };
    // The time allowed between two pieces of the answer: a large zone streams for longer than that, and may.
    socket.setTimeout(timeoutMs, () => finish(new ToolError(label, undefined, '', msg`no answer within ${timeoutMs} ms`)));
    socket.on('connect', () => {
      const length = Buffer.alloc(2);
      length.writeUInt16BE(query.length);
      socket.write(Buffer.concat([length, query]));
    });
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (!settled && pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
        const frame = pending.subarray(2, 2 + pending.readUInt16BE(0));
        pending = pending.subarray(2 + frame.length);
        let p: DecodedPacket & { rcode?: string };
        try {
          p = dnsPacket.decode(frame) as DecodedPacket & { rcode?: string };
        } catch (err) {
          finish(new ToolError(label, undefined, '', msg`an answer that cannot be read: ${err instanceof Error ? err.message : String(err)}`));
          return;
        }
        if (p.id !== id) {
          finish(new ToolError(label, undefined, '', msg`an answer to another query`));
          return;
        }
        const rcode = p.rcode ?? 'NOERROR';
        if (rcode !== 'NOERROR') {
          const keyError = tsigError(p);
          if (rcode === 'REFUSED' || (rcode === 'NOTAUTH' && keyError === 0)) finish(undefined);
          else finish(new ToolError(label, undefined, '', keyError === 0 ? msg`refused: ${rcode}` : msg`refused: ${rcode} (TSIG error ${keyError})`));
          return;
        }
        for (const a of p.answers ?? []) {
          answers.push(a);
          if (a.type === 'SOA') soas++;
        }
        // The transfer ends with the zone's SOA again (RFC 5936, 2.2).
        if (soas >= 2) finish(answers);
      }
    });
    socket.on('error', (err) => finish(new ToolError(label, undefined, err.message)));
    socket.on('close', () => finish(new ToolError(label, undefined, '', msg`the connection closed before the transfer ended`)));
  });
}

/** The primary name server the zone's SOA names (the transfer's first record), as the model has names. */
export function primaryOfTransfer(answers: readonly Answer[]): string | undefined {
  const soa = answers.find((a) => a.type === 'SOA');
  const mname = soa === undefined ? undefined : (soa as { data?: { mname?: unknown } }).data?.mname;
  return typeof mname === 'string' ? modelName(mname) : undefined;
}

/** An owner or target name as the model has it: lowercase, without the trailing dot (the root stays '.'). */
function modelName(name: string): string {
  return name === '.' || name === '' ? '.' : name.toLowerCase().replace(/\.$/, '');
}

/**
 * The records dnsmgr manages, of a transfer's answers: its nine types, TXT strings joined. Left out: the SOA (its own
 * values are the database's zone_soa, and the name server advances its serial itself), the DNSSEC records the name
 * server signs with (RRSIG, NSEC, NSEC3, NSEC3PARAM, DNSKEY, CDS, CDNSKEY, its private TYPE65534) and every other type
 * (no record of dnsmgr's has them, and a record update carries only its own types).
 */
export function recordsOfTransfer(answers: readonly Answer[]): DnsRecord[] {
  const out = new Map<string, DnsRecord>();
  for (const a of answers) {
    const data = recordData(a);
    if (data === undefined) continue;
    const record: DnsRecord = { name: modelName(a.name), ttl: (a as { ttl?: number }).ttl ?? 0, data };
    out.set(`${record.name} ${JSON.stringify(data)}`, record);
  }
  return [...out.values()];
}

function recordData(a: Answer): RecordData | undefined {
  const d = (a as { data?: unknown }).data;
  switch (a.type) {
    case 'A':
    case 'AAAA': {
      const checked = checkIpAddress(String(d));
      return checked.ok ? { type: a.type, address: checked.value } : undefined;
    }
    case 'CNAME':
    case 'NS':
    case 'PTR':
      return { type: a.type, target: modelName(String(d)) };
    case 'MX': {
      const mx = d as { preference?: number; exchange: string };
      return { type: 'MX', priority: mx.preference ?? 0, exchange: modelName(mx.exchange) };
    }
    case 'TXT': {
      const strings = Array.isArray(d) ? d : [d];
      return { type: 'TXT', text: strings.map((s) => (Buffer.isBuffer(s) ? s.toString('utf8') : String(s))).join('') };
    }
    case 'SRV': {
      const srv = d as { priority?: number; weight?: number; port?: number; target: string };
      return { type: 'SRV', priority: srv.priority ?? 0, weight: srv.weight ?? 0, port: srv.port ?? 0, target: modelName(srv.target) };
    }
    case 'CAA': {
      const caa = d as { flags?: number; tag: string; value: string };
      const tag = caa.tag.toLowerCase();
      if (!CAA_TAGS.has(tag)) return undefined;
      return { type: 'CAA', flags: caa.flags ?? 0, tag: tag as 'issue' | 'issuewild' | 'iodef', value: caa.value };
    }
    default:
      return undefined;
  }
}
