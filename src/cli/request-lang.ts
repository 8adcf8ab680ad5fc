// The language a request is answered in: the request's own lang=ru|en (a query or form parameter, PARAM_lang from the
// panel, a lang= word on the command line), else DefaultLang of dnsmgr.conf, else English. A lang that names no
// language dnsmgr speaks is a `value` error, said in the default language: answering in another language than the one
// asked for would hide the typo.
import { ValidationError } from '../errors';
import { readDefaultLang } from '../files/settings';
import type { App } from '../app';
import { LANGS, msg, parseLangValue } from '../i18n/msg';
import type { Lang } from '../i18n/msg';

/** The language the request asks for; undefined when it asks for none (absent or empty). */
export function requestLang(raw: string | undefined): Lang | undefined {
  if (raw === undefined || raw.trim() === '') return undefined;
  const lang = parseLangValue(raw);
  if (lang === undefined) throw new ValidationError({ param: 'lang', value: raw, reason: msg`expected one of ${LANGS.join(', ')}` });
  return lang;
}

/** DefaultLang of the installation; when dnsmgr.conf does not read as a whole, its DefaultLang line alone; else en. */
export function defaultLang(app: App): Lang {
  try {
    return app.settings.defaultLang;
  } catch {
    return readDefaultLang(app.root);
  }
}

/**
 * The language a request asked for, read without trusting the rest of it: for the error about a request that could
 * not be read as a whole (a malformed query string, an unknown out=), which is still said in the language asked for.
 * `texts` are form-encoded strings (the query string, the body); a lang that cannot be read counts as none.
 */
export function langInForm(...texts: string[]): Lang | undefined {
  for (const text of texts) {
    for (const part of text.replace(/^\?/, '').split('&')) {
      if (!part.startsWith('lang=')) continue;
      try {
        return parseLangValue(decodeURIComponent(part.slice('lang='.length).replace(/\+/g, ' ')));
      } catch {
        return undefined;
      }
    }
  }
  return undefined;
}

/**
 * The panel's handler: the request's PARAM_lang, else SESSION_LANG (the language of the user's session, which older
 * panels set for handlers; a value that is no language of ours is the panel's business and ignored), else `fallback`.
 */
export function handlerLang(env: NodeJS.ProcessEnv, fallback: () => Lang): Lang {
  return requestLang(env.PARAM_lang) ?? parseLangValue(env.SESSION_LANG ?? '') ?? fallback();
}

/**
 * The language of an error raised before the request's own was known (a command line or environment that did not
 * parse): a lang the request gave, if it can be read, else DefaultLang as `readDefault` finds it, else English.
 */
export function fallbackLang(argv: readonly string[], env: NodeJS.ProcessEnv, readDefault: () => Lang): Lang {
  const word = argv.find((a) => a.startsWith('lang='))?.slice('lang='.length);
  const panel = env.PARAM_func === undefined ? undefined : parseLangValue(env.PARAM_lang ?? '') ?? parseLangValue(env.SESSION_LANG ?? '');
  const asked = (word === undefined ? undefined : parseLangValue(word)) ?? panel;
  if (asked !== undefined) return asked;
  try {
    return readDefault();
  } catch {
    return 'en';
  }
}
