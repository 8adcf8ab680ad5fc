// The model is the functional core: nothing it loads, directly or through other modules, may reach the file system,
// processes or the network. Type-only imports are erased at build time and are not followed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const modelDir = fileURLToPath(new URL('../../src/model/', import.meta.url));
const allowedExternal = new Set(['node:url']);

/** Runtime import specifiers of a source file (static, re-exports and dynamic), skipping `import type`. */
function runtimeImports(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/^\s*(import|export)\s+(type\s+)?(?:[^'";]*?\bfrom\s+)?['"]([^'"]+)['"]/gm)) {
    if (m[2] === undefined && m[3] !== undefined) found.push(m[3]);
  }
  for (const m of source.matchAll(/\bimport\s*\(\s*['"]([^'"]+)['"]/g)) found.push(m[1] ?? '');
  return found;
}

/** Every non-relative module reachable from `file`, with the chain that reaches it. */
function externalsReachableFrom(file: string): string[] {
  const seen = new Set<string>();
  const externals: string[] = [];
  const visit = (path: string, chain: string): void => {
    if (seen.has(path)) return;
    seen.add(path);
    for (const spec of runtimeImports(readFileSync(path, 'utf8'))) {
      if (!spec.startsWith('.')) {
        externals.push(`${spec} (via ${chain})`);
        continue;
      }
      const target = resolve(dirname(path), spec);
      const candidates = [`${target}.ts`, resolve(target, 'index.ts')];
      const next = candidates.find((c) => existsSync(c));
      if (next === undefined) externals.push(`${spec} (unresolved, via ${chain})`);
      else visit(next, `${chain} → ${spec}`);
    }
  };
  visit(file, file.slice(modelDir.length));
  return externals;
}

describe('src/model loads nothing with I/O', () => {
  const files = readdirSync(modelDir).filter((f) => f.endsWith('.ts'));

  it('has files to check', () => {
    expect(files.length).toBeGreaterThan(0);
  });

  it.each(files)('%s', (file) => {
    const reached = externalsReachableFrom(resolve(modelDir, file));
    expect(reached.filter((e) => !allowedExternal.has(e.split(' ')[0] ?? ''))).toEqual([]);
  });

  it('sees through the import forms it has to', () => {
    expect(runtimeImports("import { a } from 'node:fs';\nimport type { B } from './b';\nexport { c } from './c';"))
      .toEqual(['node:fs', './c']);
    expect(runtimeImports("import {\n  a,\n  b,\n} from './multi';\nconst m = await import('node:child_process');"))
      .toEqual(['./multi', 'node:child_process']);
  });
});
