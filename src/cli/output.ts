// The one place that turns a Doc into process output and an exit status.
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
  try {
    for (const chunk of renderChunks(doc, out, lang)) {
      process.stdout.write(chunk);
      written = true;
    }
  } catch (err) {
    const error = asDnsmgrError(err);
    if (!written) return emit({ kind: 'error', error }, out, lang);
    process.stderr.write(`dnsmgr: output cut short: ${error.message}\n`);
    return exitCodeOf(error);
  }
  return doc.kind === 'error' ? exitCodeOf(doc.error) : 0;
}
