// `dnsmgr -i [func]`: functions and their parameters, from the registry itself.
import { FUNCS } from '../funcs/index';
import { NotFoundError } from '../errors';

const LEVEL_NAMES: Record<number, string> = { 16: 'user', 24: 'reseller', 29: 'admin', 30: 'root' };

export function describe(func: string | undefined): string {
  if (func === undefined) {
    return [...FUNCS.values()].map((f) => `${f.name.padEnd(16)} ${f.kind.padEnd(7)} ${f.desc}`).join('\n') + '\n';
  }
  const f = FUNCS.get(func);
  if (!f) throw new NotFoundError('func', func);
  const lines = [`${f.name} (${f.kind}, ${LEVEL_NAMES[f.minLevel] ?? f.minLevel} and above)`, `  ${f.desc}`];
  if (f.columns) lines.push(`  columns: ${f.columns.join(' ')}`);
  for (const p of f.params) lines.push(`  ${(p.name + (p.required ? ' *' : '')).padEnd(12)} ${p.desc}`);
  lines.push('  su           act as an account you manage');
  return lines.join('\n') + '\n';
}
