// Every numbered case folder holding a doc.json is rendered in each output format and compared with expected.<ext>
// (xml, json, txt, sjson, bjson, jsondata).
// An error doc is described as {"kind":"error","errorClass":"ExistsError","args":[...]} and constructed here; in its
// args {"msg":"<English id with {0}>","args":[...]} stands for msg`…` (so a case shows a message in translation), and
// "lang":"ru" beside "kind" renders the case in that language.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { DnsmgrError } from '../../src/errors';
import {
  AccessError, AuthError, ExistsError, InternalError, LimitError, NotFoundError, ToolError, ValidationError,
} from '../../src/errors';
import { Msg } from '../../src/i18n/msg';
import type { Lang } from '../../src/i18n/msg';
import { renderDoc } from '../../src/protocol/render';
import type { Doc, OutFormat } from '../../src/protocol/types';
import { expectGolden } from '../helpers/golden';

const GOLDEN_DIR = fileURLToPath(new URL('.', import.meta.url));
const FORMATS: [OutFormat, string][] = [
  ['xml', 'xml'], ['json', 'json'], ['text', 'txt'], ['sjson', 'sjson'], ['bjson', 'bjson'], ['JSONdata', 'jsondata'],
];

type ErrorConstructor = new (...args: never[]) => DnsmgrError;
const ERROR_CLASSES: Record<string, ErrorConstructor> = {
  AccessError, AuthError, ExistsError, InternalError, LimitError, NotFoundError, ToolError, ValidationError,
};

const cases = readdirSync(GOLDEN_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory() && existsSync(join(GOLDEN_DIR, entry.name, 'doc.json')))
  .map((entry) => entry.name)
  .sort();

describe('protocol golden documents', () => {
  it('finds the cases', () => {
    if (cases.length === 0) throw new Error(`no case folders with doc.json under ${GOLDEN_DIR}`);
  });

  describe.each(cases)('%s', (name) => {
    const dir = join(GOLDEN_DIR, name);
    const { doc, lang } = loadDoc(join(dir, 'doc.json'));
    it.each(FORMATS)('out=%s', (out, ext) => {
      expectGolden(join(dir, `expected.${ext}`), renderDoc(doc, out, lang));
    });
  });
});

function loadDoc(path: string): { doc: Doc; lang: Lang } {
  const { lang = 'en', ...raw } = JSON.parse(readFileSync(path, 'utf8')) as (Doc | { kind: 'error'; errorClass: string; args: unknown[] }) & { lang?: Lang };
  if (raw.kind !== 'error' || !('errorClass' in raw)) return { doc: raw as Doc, lang };
  const ErrorClass = ERROR_CLASSES[raw.errorClass];
  if (!ErrorClass) throw new Error(`${path}: unknown errorClass '${raw.errorClass}'`);
  return { doc: { kind: 'error', error: new (ErrorClass as new (...args: unknown[]) => DnsmgrError)(...raw.args.map(withMsgs)) }, lang };
}

/** {"msg": id, "args": [...]} anywhere in the args becomes the Msg it describes. */
function withMsgs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withMsgs);
  if (value === null || typeof value !== 'object') return value;
  const o = value as Record<string, unknown>;
  if (typeof o.msg === 'string' && Array.isArray(o.args)) return new Msg(o.msg, o.args.map(withMsgs) as ConstructorParameters<typeof Msg>[1]);
  return Object.fromEntries(Object.entries(o).map(([k, v]) => [k, withMsgs(v)]));
}
