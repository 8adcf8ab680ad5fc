// `dnsmgr -i [lang=ru|en] [func]`: functions and their parameters, from the registry itself, in the language asked for.
import { allFuncs, loadFunc } from '../funcs/index';
import type { FuncDef } from '../funcs/registry';
import { NotFoundError } from '../errors';
import { msg } from '../i18n/msg';
import type { Lang, Msg } from '../i18n/msg';

const KIND_NAMES: Record<FuncDef['kind'], Msg> = { list: msg`list`, form: msg`form`, action: msg`action` };
const LEVEL_NAMES: Record<number, Msg> = { 16: msg`user`, 24: msg`reseller`, 29: msg`administrator`, 30: msg`root` };

export async function describe(func: string | undefined, lang: Lang = 'en'): Promise<string> {
  if (func === undefined) {
    return (await allFuncs()).map((f) => `${f.name.padEnd(16)} ${KIND_NAMES[f.kind].in(lang).padEnd(8)} ${f.desc.in(lang)}`).join('\n') + '\n';
  }
  const f = await loadFunc(func);
  if (!f) throw new NotFoundError('func', func);
  const level = LEVEL_NAMES[f.minLevel] ?? f.minLevel;
  const lines = [msg`${f.name} (${KIND_NAMES[f.kind]}, ${level} and above)`.in(lang), `  ${f.desc.in(lang)}`];
  if (f.columns) lines.push(`  ${msg`columns: ${f.columns.join(' ')}`.in(lang)}`);
  for (const p of f.params) lines.push(`  ${(p.name + (p.required ? ' *' : '')).padEnd(12)} ${p.desc.in(lang)}`);
  lines.push(`  ${'su'.padEnd(12)} ${msg`act as an account you manage`.in(lang)}`);
  lines.push(`  ${'lang'.padEnd(12)} ${msg`the language of the answer: en or ru (default: DefaultLang)`.in(lang)}`);
  return lines.join('\n') + '\n';
}
