// src/i18n/msg.ts loads its catalogs with a synchronous require (lazily, so a request in English never pays for them);
// the bundle resolves it at build time, and here Node's require is taught to load the TypeScript sources.
import { transformSync } from 'esbuild';
import { readFileSync } from 'node:fs';
import Module from 'node:module';

const extensions = (Module as unknown as { _extensions: Record<string, (m: { _compile(code: string, file: string): void }, file: string) => void> })._extensions;
extensions['.ts'] ??= (m, file) => {
  m._compile(transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: file }).code, file);
};
