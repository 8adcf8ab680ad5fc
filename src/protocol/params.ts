// Request parameters as each front door receives them: mgrctl words, PARAM_* environment variables, a form or query
// string. All three produce the same flat map; nothing here knows what a parameter means.
import type { InvalidParam } from '../errors';
import { ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { OutFormat } from './types';

// Also excludes NUL, so only values need a separate NUL check.
const PARAM_NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;
const ENV_PREFIX = 'PARAM_';
/** What the panel's own web interface adds to its requests; they mean nothing here and are dropped unread. */
const PANEL_UI_PARAMS: ReadonlySet<string> = new Set(['sform', 'clicked_button', 'progressid', 'zoom-ip']);
const OUT_FORMATS: readonly OutFormat[] = ['xml', 'json', 'text', 'sjson', 'bjson', 'JSONdata'];

/** What a word like `-x` among a function's parameters gets: the options there are, and where the list is. */
export const UNKNOWN_OPTION = msg`unknown option; the options are --root DIR, -o FORMAT, -i and -m MANAGER (see dnsmgr --help)`;

/** mgrctl style: `key=value` words; the value may be empty and may itself contain `=`. */
export function paramsFromArgs(args: string[]): Record<string, string> {
  const params = new ParamCollector();
  for (const word of args) {
    const eq = word.indexOf('=');
    const key = eq < 0 ? word : word.slice(0, eq);
    if (PANEL_UI_PARAMS.has(key)) continue;
    if (word.startsWith('-') && eq < 0) {
      params.reject({ param: '(option)', value: word, reason: UNKNOWN_OPTION });
    } else if (eq < 0 || !PARAM_NAME.test(key)) {
      params.reject({ param: '(argument)', value: word, reason: msg`expected key=value with a key of letters, digits, _ and .` });
    } else {
      params.add(key, word.slice(eq + 1));
    }
  }
  return params.result();
}

/** The panel passes every request parameter as `PARAM_<name>`; anything not shaped like a name is not ours and is ignored. */
export function paramsFromEnv(env: NodeJS.ProcessEnv): Record<string, string> {
  const params = new ParamCollector();
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith(ENV_PREFIX) || value === undefined) continue;
    const key = name.slice(ENV_PREFIX.length);
    if (PARAM_NAME.test(key) && !PANEL_UI_PARAMS.has(key)) params.add(key, value);
  }
  return params.result();
}

/** application/x-www-form-urlencoded, as a POST body or a query string (a leading `?` is tolerated). */
export function paramsFromForm(text: string): Record<string, string> {
  const params = new ParamCollector();
  for (const part of text.replace(/^\?/, '').split('&')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = decodeFormComponent(eq < 0 ? part : part.slice(0, eq));
    const value = decodeFormComponent(eq < 0 ? '' : part.slice(eq + 1));
    if (key !== undefined && PANEL_UI_PARAMS.has(key)) continue;
    if (key === undefined || !PARAM_NAME.test(key)) {
      params.reject({ param: '(argument)', value: part, reason: msg`expected key=value with a key of letters, digits, _ and .` });
    } else if (value === undefined) {
      params.reject({ param: key, value: part.slice(eq + 1), reason: msg`malformed percent-encoding` });
    } else {
      params.add(key, value);
    }
  }
  return params.result();
}

/** `out` selects the response format; absent or empty means the front door's own default. */
export function parseOutFormat(raw: string | undefined, fallback: OutFormat): OutFormat {
  if (raw === undefined || raw === '') return fallback;
  const format = OUT_FORMATS.find((f) => f === raw);
  if (format !== undefined) return format;
  throw new ValidationError({ param: 'out', value: raw, reason: msg`expected one of ${OUT_FORMATS.join(', ')}` });
}

/** undefined for a malformed escape (a lone `%`, `%zz`, or bytes that are not UTF-8). */
function decodeFormComponent(raw: string): string | undefined {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return undefined;
  }
}

/** Gathers parameters and every problem found, so one ValidationError reports them all. */
class ParamCollector {
  // A Map, not an object: keys such as `__proto__` or `constructor` must be plain data.
  private readonly values = new Map<string, string>();
  private readonly problems: InvalidParam[] = [];

  /** A key given twice is the panel's multi-selection (e.g. elid): the values are joined with ", ". */
  add(key: string, value: string): void {
    if (value.includes('\0')) {
      this.reject({ param: key, value, reason: msg`a NUL byte is not allowed` });
      return;
    }
    const previous = this.values.get(key);
    this.values.set(key, previous === undefined ? value : `${previous}, ${value}`);
  }

  reject(problem: InvalidParam): void {
    this.problems.push(problem);
  }

  result(): Record<string, string> {
    if (this.problems.length > 0) throw new ValidationError(this.problems);
    return Object.fromEntries(this.values);
  }
}
