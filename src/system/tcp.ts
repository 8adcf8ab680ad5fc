// A TCP connection to a local daemon (named's control channel, its DNS UPDATE port) for one short exchange, without
// node:net where Node lets us: loading node:net and node:stream and making the first Socket costs a request ~4 ms
// (bench/RESULTS.md), while the handle underneath them costs ~0.2 ms. The handle is libuv's TCP handle as Node's own
// net module drives it (lib/net.js, lib/internal/stream_base_commons.js), reached through process.binding's allow-list.
// Where that is not there (a Node without it, --pending-deprecation, the permission model), node:net serves instead.
import { createConnection } from 'node:net';
import { getSystemErrorName } from 'node:util';

export interface TcpHandlers {
  /** The connection is up (bytes written before this are sent once it is). */
  connected(): void;
  /** Bytes from the peer; the buffer is the handler's to keep. */
  data(bytes: Buffer): void;
  /** The connection ended by itself: `code` undefined when the peer closed it, else the error's (ECONNREFUSED…). */
  closed(code: string | undefined): void;
}

export interface TcpConnection {
  /** Queues bytes to send; a failure comes to `closed`. */
  write(bytes: Uint8Array): void;
  /** Closes the connection; `closed` is not called for it. */
  close(): void;
  /** Lets the process exit while the connection is open. */
  unref(): void;
}

/**
 * Connects to `host` and `port`; the handlers hear of everything after this returns. The handle takes an address and a
 * port number only (its own check of either would end the process): anything else goes through node:net, which says.
 */
export function openTcp(host: string, port: number, on: TcpHandlers): TcpConnection {
  const b = handleBindings();
  const literal = host.includes(':') || /^[0-9]{1,3}(\.[0-9]{1,3}){3}$/.test(host);
  return b === undefined || !literal || !Number.isInteger(port) || port < 1 || port > 65535 ? openSocket(host, port, on) : openHandle(b, host, port, on);
}

/** Which way openTcp connects in this process: libuv's handle itself, or node:net's Socket. */
export function tcpTransport(): 'handle' | 'socket' {
  return handleBindings() === undefined ? 'socket' : 'handle';
}

/** The same connection through node:net, always: what openTcp falls back to, and what its tests compare against. */
export function openSocket(host: string, port: number, on: TcpHandlers): TcpConnection {
  const socket = createConnection({ host, port });
  socket.setNoDelay(true);
  let open = true;
  const end = (code: string | undefined): void => {
    if (!open) return;
    open = false;
    socket.destroy();
    on.closed(code);
  };
  socket.on('connect', () => { if (open) on.connected(); });
  socket.on('data', (bytes: Buffer) => { if (open) on.data(bytes); });
  socket.on('error', (e: NodeJS.ErrnoException) => end(e.code ?? e.message));
  socket.on('close', () => end(undefined));
  return {
    write: (bytes) => { if (open) socket.write(bytes); },
    close: () => { if (open) { open = false; socket.destroy(); } },
    unref: () => { socket.unref(); },
  };
}

// --- libuv's TCP handle, as node:net uses it ---

interface UvHandle {
  onread: (buffer: ArrayBuffer | undefined) => void;
  connect(req: object, address: string, port: number): number;
  connect6(req: object, address: string, port: number): number;
  readStart(): number;
  writeBuffer(req: object, bytes: Uint8Array): number;
  setNoDelay(on: boolean): number;
  close(): void;
  unref(): void;
}

interface HandleBindings {
  newHandle(): UvHandle;
  newConnectReq(): { oncomplete?: (status: number) => void };
  newWriteReq(): { handle?: UvHandle; buffer?: Uint8Array; async?: boolean; oncomplete?: (status: number) => void };
  /** After a read: how many bytes (or a negative error code), and where they start in the buffer handed over. */
  readResult(): { n: number; offset: number };
  eof: number;
}

let bindings: HandleBindings | null | undefined;

/**
 * libuv's end-of-stream code, the same on every platform (uv/errno.h: UV__EOF, -4095): taken from process.binding('uv')
 * it cost every request that talks to named ~0.2 ms, to set up a binding for this one number.
 */
const UV_EOF = -4095;

function handleBindings(): HandleBindings | undefined {
  if (bindings === undefined) bindings = loadBindings() ?? null;
  return bindings ?? undefined;
}

/** process.binding warns of itself under --pending-deprecation and throws under the permission model. */
function loadBindings(): HandleBindings | undefined {
  const flags = `${process.execArgv.join(' ')} ${process.env['NODE_OPTIONS'] ?? ''}`;
  if (flags.includes('--pending-deprecation') || flags.includes('--experimental-permission') || process.env['NODE_PENDING_DEPRECATION'] === '1') return undefined;
  try {
    const binding = (process as unknown as { binding(name: string): Record<string, unknown> }).binding;
    const tcp = binding('tcp_wrap') as { TCP?: new (kind: number) => UvHandle; TCPConnectWrap?: new () => object; constants?: { SOCKET?: number } };
    const stream = binding('stream_wrap') as { WriteWrap?: new () => object; streamBaseState?: Int32Array; kReadBytesOrError?: number; kArrayBufferOffset?: number };
    const { TCP, TCPConnectWrap, constants } = tcp;
    const { WriteWrap, streamBaseState: state, kReadBytesOrError: nAt, kArrayBufferOffset: offsetAt } = stream;
    if (typeof TCP !== 'function' || typeof TCPConnectWrap !== 'function' || typeof WriteWrap !== 'function' || typeof constants?.SOCKET !== 'number' ||
      !(state instanceof Int32Array) || typeof nAt !== 'number' || typeof offsetAt !== 'number') return undefined;
    const socketKind = constants.SOCKET;
    return {
      newHandle: () => new TCP(socketKind),
      newConnectReq: () => new TCPConnectWrap(),
      newWriteReq: () => new WriteWrap(),
      readResult: () => ({ n: state[nAt]!, offset: state[offsetAt]! }),
      eof: UV_EOF,
    };
  } catch {
    return undefined;
  }
}

function openHandle(b: HandleBindings, host: string, port: number, on: TcpHandlers): TcpConnection {
  const handle = b.newHandle();
  let open = true;
  const end = (code: string | undefined): void => {
    if (!open) return;
    open = false;
    handle.close();
    on.closed(code);
  };
  const failed = (status: number): void => end(getSystemErrorName(status));
  handle.onread = (buffer) => {
    const { n, offset } = b.readResult();
    if (n > 0 && buffer !== undefined) {
      if (open) on.data(Buffer.from(new Uint8Array(buffer, offset, n)));
    } else if (n < 0) {
      end(n === b.eof ? undefined : getSystemErrorName(n));
    }
  };
  const req = b.newConnectReq();
  req.oncomplete = (status) => {
    if (!open) return;
    if (status < 0) return failed(status);
    handle.setNoDelay(true);
    const err = handle.readStart();
    if (err < 0) return failed(err);
    on.connected();
  };
  const err = host.includes(':') ? handle.connect6(req, host, port) : handle.connect(req, host, port);
  // Said after the caller has the connection, as the other failures are.
  if (err < 0) queueMicrotask(() => failed(err));
  return {
    write(bytes) {
      if (!open) return;
      // libuv queues what is written while the connection is being made.
      const w = b.newWriteReq();
      w.handle = handle;
      w.buffer = bytes;
      w.async = false;
      w.oncomplete = (status) => { if (status < 0) failed(status); };
      const e = handle.writeBuffer(w, bytes);
      if (e < 0) failed(e);
    },
    close() {
      if (!open) return;
      open = false;
      handle.close();
    },
    unref: () => handle.unref(),
  };
}
