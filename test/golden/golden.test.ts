// Every numbered case folder holding a doc.json is rendered in each output format and compared with expected.<ext>
// (xml, json, txt, sjson, bjson, jsondata).
// An error doc is described as {"kind":"error","errorClass":"ExistsError","args":[...]} and constructed here.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import type { DnsmgrError } from '../../src/errors';
import {
  AccessError, AuthError, ExistsError, InternalError, LimitError, NotFoundError, ToolError, ValidationError,
} from '../../src/errors';
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
    const doc = loadDoc(join(dir, 'doc.json'));
    it.each(FORMATS)('out=%s', (out, ext) => {
      expectGolden(join(dir, `expected.${ext}`), renderDoc(doc, out));
    });
  });
});

function loadDoc(path: string): Doc {
  const raw = JSON.parse(readFileSync(path, 'utf8')) as Doc | { kind: 'error'; errorClass: string; args: unknown[] };
  if (raw.kind !== 'error' || !('errorClass' in raw)) return raw as Doc;
  const ErrorClass = ERROR_CLASSES[raw.errorClass];
  if (!ErrorClass) throw new Error(`${path}: unknown errorClass '${raw.errorClass}'`);
  return { kind: 'error', error: new (ErrorClass as new (...args: unknown[]) => DnsmgrError)(...raw.args) };
}
