// What the panel writes to a handler's standard input: the page's XML document, given to every xml handler.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync } from 'node:fs';

/** How long an open standard input may stay silent before the drain gives up on it. */
const QUIET_MS = 200;
const CHUNK = 64 * 1024;

/**
 * The whole document, to its end: an event handler prints it back. Nothing from a terminal. Blocks until the writer
 * closes (the panel always does).
 */
export function readPanelDoc(): string {
  try {
    if (fstatSync(0).isCharacterDevice()) return '';
    return readFileSync(0, 'utf8');
  } catch {
    return '';
  }
}

/**
 * Reads the document and throws it away, for a function's handler, which has no use for it: a handler that leaves it
 * unread can leave the panel writing into a pipe nobody reads. Started when the request starts; the process does not
 * end before it has finished (a pipe is read at once; a socket keeps the event loop until its end). A standard input
 * left open with nothing in it (a caller that never closes it) costs at most QUIET_MS of silence, never a hang.
 * Resolves to how many bytes it read.
 */
export function drainPanelDoc(): Promise<number> {
  draining ??= drain();
  return draining;
}

let draining: Promise<number> | undefined;

/** Settles when the drain this process started (if any) has finished. */
export function panelDocDrained(): Promise<unknown> {
  return draining ?? Promise.resolve();
}

function drain(): Promise<number> {
  try {
    const st = fstatSync(0);
    if (st.isFile()) return Promise.resolve(readFileSync(0).length);
    // A pipe (pipe(2)): read through a non-blocking descriptor of its own, synchronously, without loading node:net.
    if (st.isFIFO()) return Promise.resolve(drainFifo());
    // A socket pair (what Node and libuv give a child as its standard input): through process.stdin (node:net).
    if (st.isSocket()) return drainSocket();
  } catch {
    // Nothing readable: nothing to drain.
  }
  return Promise.resolve(0);
}

function drainFifo(): number {
  let fd: number | undefined;
  try {
    fd = openSync('/proc/self/fd/0', constants.O_RDONLY | constants.O_NONBLOCK);
    const buf = Buffer.allocUnsafe(CHUNK);
    let total = 0;
    let quietSince = Date.now();
    for (;;) {
      let n: number;
      try {
        n = readSync(fd, buf, 0, CHUNK, null);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') return total;
        if (Date.now() - quietSince >= QUIET_MS) return total;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
        continue;
      }
      if (n === 0) return total;
      total += n;
      quietSince = Date.now();
    }
  } catch {
    return 0;
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

function drainSocket(): Promise<number> {
  return new Promise((resolve) => {
    // process.stdin, not a socket of its own: a second handle on descriptor 0 (a library touching process.stdin later)
    // fails with EEXIST.
    const socket = process.stdin;
    let total = 0;
    let timer: NodeJS.Timeout;
    const done = (): void => {
      clearTimeout(timer);
      socket.destroy();
      resolve(total);
    };
    const quiet = (): void => {
      clearTimeout(timer);
      timer = setTimeout(done, QUIET_MS);
    };
    socket.on('data', (chunk: Buffer) => {
      total += chunk.length;
      quiet();
    });
    socket.once('end', done);
    socket.once('error', done);
    quiet();
  });
}
