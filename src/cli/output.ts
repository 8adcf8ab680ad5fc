// The one place that turns a Doc into process output and an exit status.
import { writeSync } from 'node:fs';
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

let viaStream = false;

/**
 * Standard output, written to descriptor 1 itself: process.stdout on a pipe (the panel's, a benchmark's) is a
 * net.Socket, ~1 ms of a request to set up. A pipe left non-blocking by whoever made it may refuse a write when full
 * (EAGAIN): the rest then goes through process.stdout, which waits for it.
 */
export function writeOut(text: string): void {
  if (viaStream) {
    process.stdout.write(text);
    return;
  }
  const bytes = Buffer.from(text);
  let done = 0;
  try {
    while (done < bytes.length) done += writeSync(1, bytes, done);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EAGAIN') throw err;
    viaStream = true;
    process.stdout.write(bytes.subarray(done));
  }
}
