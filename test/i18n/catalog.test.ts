// Every message a request can get back is written msg`…` in src/, and the Russian catalog must have each one: same
// placeholders, really translated, and nothing in it that no message uses any more.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { msg, verbatim } from '../../src/i18n/msg';
import { RU } from '../../src/i18n/ru/index';
import { checkCatalog, msgSites } from './catalog-check';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const SRC = join(ROOT, 'src');
const AREAS_DIR = join(SRC, 'i18n', 'ru');

/** Ids whose Russian is rightly the English text (none so far: names, keywords and commands are quoted inside a sentence). */
const SAME_ALLOWED: ReadonlySet<string> = new Set<string>();

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

const sites = sourceFiles(SRC).flatMap((file) => msgSites(relative(ROOT, file), readFileSync(file, 'utf8')));

describe('the Russian catalog', () => {
  it('finds the messages of the sources', () => {
    // A parser that found nothing would pass every check below.
    expect(sites.length).toBeGreaterThan(300);
    expect(sites.map((s) => s.id)).toContain("Invalid value '{0}' of parameter '{1}': {2}");
  });

  it('has every msg`…` of src/, with its placeholders, translated, and nothing unused', () => {
    expect(checkCatalog(sites, RU, SAME_ALLOWED)).toEqual([]);
  });

  it('is the union of the area files, each id in one area only', async () => {
    const areas = readdirSync(AREAS_DIR).filter((f) => f.endsWith('.ts') && f !== 'index.ts');
    const owner = new Map<string, string>();
    const duplicates: string[] = [];
    for (const file of areas) {
      const mod = (await import(join(AREAS_DIR, file))) as Record<string, Readonly<Record<string, string>>>;
      const [catalog] = Object.values(mod);
      expect(catalog, `${file} exports its catalog`).toBeTypeOf('object');
      for (const id of Object.keys(catalog ?? {})) {
        const first = owner.get(id);
        if (first !== undefined) duplicates.push(`${JSON.stringify(id)} in ${first} and ${file}`);
        owner.set(id, file);
      }
    }
    expect(duplicates).toEqual([]);
    expect([...owner.keys()].sort()).toEqual(Object.keys(RU).sort());
  });
});

describe('the catalog checker', () => {
  const FIXTURE = [
    "// A comment that quotes msg`Not ${'a'} message` is not a message.",
    "const a = msg`Domain '${name}' already exists`;",
    'const b = msg`Zone ${`${x}.${y}`} has ${count} masters: ${list.map((m) => `<${m}>`).join(", ")}`;',
    "const c = 'msg`in a string`';",
    'const d = msg`Used twice`;',
    'const e = msg`Used twice`;',
    'const f = msg`back\\`tick and \\${dollar}`;',
  ].join('\n');
  const found = msgSites('fixture.ts', FIXTURE);

  it('reads ids as msg makes them: placeholders in order, nested templates inside ${…}, escapes cooked', () => {
    expect(found.map((s) => s.id)).toEqual([
      "Domain '{0}' already exists",
      'Zone {0} has {1} masters: {2}',
      'Used twice',
      'Used twice',
      'back`tick and ${dollar}',
    ]);
    expect(found[1]?.where).toBe('fixture.ts:3');
    // The same templates evaluated: the id the catalog is looked up by at run time.
    const name = 'example.com';
    const [x, y, count, list] = ['a', 'b', 2, ['192.0.2.1']];
    expect(msg`Domain '${name}' already exists`.id).toBe(found[0]?.id);
    expect(msg`Zone ${`${x}.${y}`} has ${count} masters: ${list.map((m) => `<${m}>`).join(', ')}`.id).toBe(found[1]?.id);
    expect(msg`back\`tick and \${dollar}`.id).toBe(found[4]?.id);
  });

  const good: Record<string, string> = {
    "Domain '{0}' already exists": "Домен '{0}' уже существует",
    'Zone {0} has {1} masters: {2}': 'У зоны {0} первичных серверов: {1}: {2}',
    'Used twice': 'Дважды',
    'back`tick and ${dollar}': 'обратная`кавычка и ${dollar}',
  };

  it('passes a complete catalog', () => {
    expect(checkCatalog(found, good, new Set())).toEqual([]);
  });

  it('reports a message with no Russian, where it is', () => {
    const { 'Used twice': _, ...partial } = good;
    expect(checkCatalog(found, partial, new Set())).toEqual(['fixture.ts:5: no Russian for "Used twice"']);
  });

  it('reports placeholders that differ, an unused entry, and Russian that is the English', () => {
    const bad = { ...good, 'Zone {0} has {1} masters: {2}': 'У зоны {0} первичных серверов: {1}', 'Gone': 'Ушло', 'Used twice': 'Used twice' };
    expect(checkCatalog(found, bad, new Set())).toEqual([
      'fixture.ts:3: "Zone {0} has {1} masters: {2}" has placeholders [{0} {1} {2}], its Russian [{0} {1}]',
      'fixture.ts:5: the Russian of "Used twice" is the English',
      'stale entry, no msg`…` uses it: "Gone"',
    ]);
    expect(checkCatalog(found, { ...good, 'Used twice': 'Used twice' }, new Set(['Used twice']))).toEqual([]);
  });
});

describe('a message in use', () => {
  it('is said in Russian with its arguments, and falls back to English for an id the catalog lacks', () => {
    expect(msg`Domain '${'example.com'}' already exists`.in('ru')).toBe("Домен 'example.com' уже существует");
    expect(msg`Domain '${'example.com'}' already exists`.in('en')).toBe("Domain 'example.com' already exists");
    expect(verbatim('rndc: connection refused').in('ru')).toBe('rndc: connection refused');
    expect(msg`a message nobody translated ${1}`.in('ru')).toBe('a message nobody translated 1');
  });

  it('translates a message given as an argument with it, and writes Russian numbers with a decimal comma', () => {
    const inner = msg`Domain '${'example.com'}' does not exist`;
    expect(msg`Invalid value '${'x'}' of parameter '${'elid'}': ${inner}`.in('ru'))
      .toBe("Неверное значение 'x' параметра 'elid': Домен 'example.com' не существует");
    expect(msg`timed out after ${2.5} ms`.in('ru')).toBe('превышено время ожидания (2,5 мс)');
    expect(msg`timed out after ${2.5} ms`.in('en')).toBe('timed out after 2.5 ms');
  });
});
