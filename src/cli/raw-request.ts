// A request whose request line holds raw bytes above 0x7f, as a browser or curl sends an IDN typed into a URL
// (GET /dnsmgr?func=domain.edit&name=пример.рф…, not %-encoded). Node's HTTP parser refuses it (HPE_INVALID_URL) and by
// itself would answer a bare 400 with no document; here those bytes are %-encoded, which is what the client meant
// (UTF-8), and the request goes through the door like any other. What cannot be read still gets a COREmanager error.
import { ServerResponse } from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';
import type { Duplex } from 'node:stream';
import { ValidationError } from '../errors';
import { msg } from '../i18n/msg';

export interface RecoveredRequest {
  method: string;
  /** The target with every byte above 0x7f %-encoded. */
  url: string;
  headers: Record<string, string>;
  body: Buffer;
}

type ClientError = Error & { code?: string; rawPacket?: Buffer };
type OnRequest = (req: IncomingMessage, res: ServerResponse) => void;

const REQUEST_LINE = /^([A-Z]{3,10}) ([\x21-\xff]+) HTTP\/1\.[01]$/;
const handled = new WeakSet<Duplex>();

/**
 * The server's clientError listener: a request line with raw bytes is answered through `onRequest`; a request that
 * cannot be recovered gets a COREmanager error document; any other client error is answered as Node would (400).
 */
export function answerClientError(err: ClientError, socket: Duplex, onRequest: OnRequest, unreadable: OnRequest): void {
  // After a parse error the parser refuses whatever else arrives on the connection: answer once.
  if (handled.has(socket)) return;
  handled.add(socket);
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  if (err.code !== 'HPE_INVALID_URL') {
    socket.end(err.code === 'HPE_HEADER_OVERFLOW' ? 'HTTP/1.1 431 Request Header Fields Too Large\r\nConnection: close\r\n\r\n' : 'HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    return;
  }
  const recovered = recoverRequest(err.rawPacket);
  const req = requestFor(recovered ?? { method: 'GET', url: '/dnsmgr', headers: {}, body: Buffer.alloc(0) });
  const res = new ServerResponse(req);
  res.shouldKeepAlive = false;
  try {
    res.assignSocket(socket as Socket);
  } catch {
    // The connection is still answering an earlier request: nothing can be said in order, so say nothing.
    socket.destroy();
    return;
  }
  res.once('finish', () => {
    res.detachSocket(socket as Socket);
    socket.end();
  });
  (recovered === undefined ? unreadable : onRequest)(req, res);
}

/** What the client sent, if the whole request (line, headers and a Content-Length body) is in the packet. */
export function recoverRequest(packet: Buffer | undefined): RecoveredRequest | undefined {
  if (packet === undefined) return undefined;
  const text = packet.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const [line = '', ...headerLines] = text.slice(0, end).split('\r\n');
  const m = REQUEST_LINE.exec(line);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const h of headerLines) {
    const colon = h.indexOf(':');
    if (colon <= 0) return undefined;
    headers[h.slice(0, colon).trim().toLowerCase()] = h.slice(colon + 1).trim();
  }
  if (headers['transfer-encoding'] !== undefined) return undefined;
  const length = Number(headers['content-length'] ?? '0');
  const body = packet.subarray(end + 4);
  if (!Number.isSafeInteger(length) || length < 0 || body.length !== length) return undefined;
  return { method: m[1] as string, url: percentEncodeHighBytes(m[2] as string), headers, body };
}

/** Each byte above 0x7f (one latin1 character here) becomes %XX, so the UTF-8 the client sent decodes as UTF-8. */
function percentEncodeHighBytes(target: string): string {
  return target.replace(/[\x80-\xff]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Enough of an IncomingMessage for the door: method, url, headers, and the body as a stream. */
function requestFor(r: RecoveredRequest): IncomingMessage {
  const stream = Readable.from(r.body.length > 0 ? [r.body] : []);
  return Object.assign(stream, {
    method: r.method, url: r.url, headers: r.headers, httpVersion: '1.1', httpVersionMajor: 1, httpVersionMinor: 1,
  }) as unknown as IncomingMessage;
}

/** Why an unreadable request line was refused, said as a COREmanager error. */
export function unreadableRequestError(): ValidationError {
  return new ValidationError({
    param: '(request line)',
    value: '',
    reason: msg`the address holds bytes that are not %-encoded and the request could not be read whole; send the query string URL-encoded (UTF-8)`,
  });
}
