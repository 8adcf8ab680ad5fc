// Translatable text, gettext style: the English text is the message id. A message is written as a tagged template,
// msg`Domain '${name}' already exists`, whose id is "Domain '{0}' already exists"; the arguments stay apart, so a
// catalog can put them anywhere and nothing echoed from a request is ever looked up. English needs no catalog.
import type { RU } from './ru/index';

export const LANGS = ['en', 'ru'] as const;
export type Lang = (typeof LANGS)[number];

/** A value a message shows: plain text, a number, or another message (translated with it). */
export type MsgArg = string | number | Msg;

export class Msg {
  constructor(
    /** The English text with {0}, {1}, … where the arguments go. */
    readonly id: string,
    readonly args: readonly MsgArg[],
  ) {}

  /** The text in `lang`; a message with no translation (a bug the catalog test catches) falls back to English. */
  in(lang: Lang): string {
    const template = lang === 'en' ? this.id : (catalog(lang)[this.id] ?? this.id);
    return template.replace(/\{(\d+)\}/g, (_, i: string) => {
      const arg = this.args[Number(i)];
      return arg instanceof Msg ? arg.in(lang) : typeof arg === 'number' ? formatNumber(arg, lang) : String(arg ?? '');
    });
  }

  toString(): string {
    return this.in('en');
  }
}

type Catalog = typeof RU;
const catalogs: Partial<Record<Exclude<Lang, 'en'>, Catalog>> = {};

// The catalogs (~60 KB of text) are loaded when a message is first shown in their language, not by every request:
// a synchronous require, which the bundle resolves to a file of its own, addon/lib/i18n-ru.cjs (scripts/build.mjs);
// test/setup-require-ts.ts lets the tests' require load the TypeScript itself.
function catalog(lang: Exclude<Lang, 'en'>): Catalog {
  return (catalogs[lang] ??= (require('./ru/index') as { RU: Catalog }).RU);
}

/** Russian writes a decimal comma (2,5 с); whole numbers, serials and ports among them, are written as they are. */
function formatNumber(n: number, lang: Lang): string {
  const text = String(n);
  return lang === 'ru' ? text.replace('.', ',') : text;
}

export function msg(strings: TemplateStringsArray, ...args: MsgArg[]): Msg {
  let id = strings[0] ?? '';
  for (let i = 1; i < strings.length; i++) id += `{${i - 1}}${strings[i]}`;
  return new Msg(id, args);
}

/** Text that is the same in every language (a tool's own output, a value): wrapped so it can stand where a Msg goes. */
export function verbatim(text: string): Msg {
  return new Msg('{0}', [text]);
}

/** Several messages joined, each translated: "a; b; c". */
export function joinMsgs(parts: readonly Msg[], separator = '; '): Msg {
  return new Msg(parts.map((_, i) => `{${i}}`).join(separator), parts);
}

export function parseLangValue(raw: string): Lang | undefined {
  return LANGS.find((l) => l === raw.trim().toLowerCase());
}
