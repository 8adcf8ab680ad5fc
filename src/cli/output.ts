// The one place that turns a Doc into process output and an exit status.
import { constants, openSync, writeSync } from 'node:fs';
import { asDnsmgrError, exitCodeOf } from '../errors';
import { renderChunks } from '../protocol/render';
import type { Lang } from '../i18n/msg';
import type { Doc, OutFormat } from '../protocol/types';

/**
 * Written as it is rendered: a long list goes out in chunks while its rows are read (stdout to a pipe or file is
 * written synchronously on Linux, so memory stays flat). A failure before anything was written is the error document;
 * after, the output is cut short, said on stderr and in the exit status.
 */
export function emit(doc: Doc, out: OutFormat, lang: Lang = 'en'): number {
  let written = false;
  let writing = false;
  try {
    for (const chunk of renderChunks(doc, out, lang)) {
      writing = true;
      writeOut(chunk);
      writing = false;
      written = true;
    }
  } catch (err) {
    // Standard output itself failed (its reader went away): nothing more can be said there.
    if (writing) throw err;
    const error = asDnsmgrError(err);
    if (!written) return emit({ kind: 'error', error }, out, lang);
    process.stderr.write(`dnsmgr: output cut short: ${error.message}\n`);
    return exitCodeOf(error);
  }
  return doc.kind === 'error' ? exitCodeOf(doc.error) : 0;
}

/** Descriptor 1 opened again, blocking, once a write to it found it non-blocking and full; -1: it cannot be. */
let blockingOut: number | undefined;

/**
 * Standard output, written to descriptor 1 itself: process.stdout on a pipe (the panel's, a benchmark's) is a
 * net.Socket, ~1 ms of a request to set up. A pipe made non-blocking (by whoever touched process.stdout, here or in the
 * parent) refuses a write when full (EAGAIN): the rest waits for the reader instead of piling up in memory — through
 * the pipe opened again (a new open file description, blocking), or, where that cannot be (a socket), by retrying
 * after a short sleep.
 */
export function writeOut(text: string): void {
  // A string is written as it is (no Buffer made per chunk: a long list's chunks, each a Buffer outside V8's heap, were
  // collected too late and doubled the peak); only what a partial write left over becomes bytes.
  let rest: string | Buffer = text;
  for (;;) {
    try {
      const fd = blockingOut ?? 1;
      const n = typeof rest === 'string' ? writeSync(fd, rest) : writeSync(fd, rest);
      if (n === (typeof rest === 'string' ? Buffer.byteLength(rest) : rest.length)) return;
      rest = (typeof rest === 'string' ? Buffer.from(rest) : rest).subarray(n);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
      if (blockingOut === undefined) blockingOut = reopenBlocking();
      if (blockingOut === 1) waitBriefly();
    }
  }
}

function reopenBlocking(): number {
  try {
    return openSync('/proc/self/fd/1', constants.O_WRONLY | constants.O_APPEND);
  } catch {
    return 1;
  }
}

const sleeper = new Int32Array(new SharedArrayBuffer(4));

/** A synchronous pause (the output is written synchronously, in order, by every caller): 1 ms for the reader. */
function waitBriefly(): void {
  Atomics.wait(sleeper, 0, 0, 1);
}
