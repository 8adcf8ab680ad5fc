// The one place that turns a Doc into process output and an exit status.
import { exitCodeOf } from '../errors';
import { renderDoc } from '../protocol/render';
import type { Lang } from '../i18n/msg';
import type { Doc, OutFormat } from '../protocol/types';

export function emit(doc: Doc, out: OutFormat, lang: Lang = 'en'): number {
  process.stdout.write(renderDoc(doc, out, lang));
  return doc.kind === 'error' ? exitCodeOf(doc.error) : 0;
}
