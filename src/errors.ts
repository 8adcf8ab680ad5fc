// The one errors module. Every front door maps these once: to a COREmanager <error>, an exit code, an HTTP status.
import { Msg, msg, verbatim, joinMsgs } from './i18n/msg';
import type { Lang } from './i18n/msg';

/** COREmanager error types, plus `tool` (a system tool failed) and `internal` (a bug). */
export type ErrorType = 'value' | 'missed' | 'exists' | 'access' | 'auth' | 'limit' | 'tool' | 'internal';

const MAX_ECHO = 80;

/** Echoed input is shortened and stripped of control characters so an error never carries a payload back whole. */
export function echo(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean;
}

/** Text a message may be given as: a translatable Msg, or (until every caller says msg`…`) a plain English string. */
export type Text = Msg | string;

export function asMsg(text: Text): Msg {
  return text instanceof Msg ? text : verbatim(text);
}

export class DnsmgrError extends Error {
  /** The message, translatable; `message` is its English text. */
  readonly text: Msg;
  constructor(
    readonly type: ErrorType,
    /** What the error is about: a parameter name for `value`, an object kind ("domain", "user") otherwise. */
    readonly object: string,
    /** The offending value, already shortened. */
    readonly value: string,
    message: Text,
  ) {
    const text = asMsg(message);
    super(text.in('en'));
    this.text = text;
    this.name = new.target.name;
  }

  /** The message in the request's language. */
  messageIn(lang: Lang): string {
    return this.text.in(lang);
  }
}

export interface InvalidParam {
  param: string;
  value: string;
  reason: Text;
  /** The parameter was absent or empty: said as "'passwd' is required", not as an invalid empty value. */
  missing?: true;
}

/** The problem of a parameter that must be given and was not. */
export function missingParam(param: string): InvalidParam {
  return { param, value: '', reason: msg`is required`, missing: true };
}

/** A request parameter failed validation. Carries every reason found, not just the first. */
export class ValidationError extends DnsmgrError {
  readonly problems: InvalidParam[];
  constructor(problems: InvalidParam | InvalidParam[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    const first = list[0] ?? { param: '', value: '', reason: 'invalid request' };
    const text = joinMsgs(list.map((p) => (p.missing
      ? msg`'${p.param}' is required`
      : msg`Invalid value '${echo(p.value)}' of parameter '${p.param}': ${asMsg(p.reason)}`)));
    super('value', first.param, echo(first.value), text);
    this.problems = list;
  }
}

/** Runs a parser: a ValidationError's problems join `problems` and `fallback` stands in for the value. */
export function collectProblems<T>(problems: InvalidParam[], parse: () => T, fallback: T): T {
  try {
    return parse();
  } catch (err) {
    if (!(err instanceof ValidationError)) throw err;
    problems.push(...err.problems);
    return fallback;
  }
}

export class NotFoundError extends DnsmgrError {
  constructor(object: string, value: string, what = object) {
    super('missed', object, echo(value), `${capitalize(what)} '${echo(value)}' does not exist`);
  }
}

export class ExistsError extends DnsmgrError {
  constructor(object: string, value: string, message?: Text) {
    super('exists', object, echo(value), message ?? `${capitalize(object)} '${echo(value)}' already exists`);
  }
}

export class AccessError extends DnsmgrError {
  constructor(object: string, value: string, message?: Text) {
    super('access', object, echo(value), message ?? `Access to ${object} '${echo(value)}' is denied`);
  }
}

export class AuthError extends DnsmgrError {
  constructor(message: Text = msg`Authentication failed: wrong user name or password`) {
    super('auth', 'auth', '', message);
  }
}

export class LimitError extends DnsmgrError {
  constructor(object: string, value: string, message: Text) {
    super('limit', object, echo(value), message);
  }
}

/** A system tool (rndc, named-checkconf, ip) failed or could not be run. */
export class ToolError extends DnsmgrError {
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    readonly stderr: string,
    what = 'failed',
  ) {
    const detail = stderr.trim().split('\n').slice(-3).join(' | ');
    const code = exitCode === undefined ? '' : ` with exit code ${exitCode}`;
    super('tool', command, '', `${command} ${what}${code}${detail ? `: ${detail}` : ''}`);
  }
}

export class InternalError extends DnsmgrError {
  constructor(message: Text) {
    super('internal', 'internal', '', message);
  }
}

/** Anything thrown becomes a DnsmgrError; an unexpected throw is an internal error with its message kept. */
export function asDnsmgrError(err: unknown): DnsmgrError {
  if (err instanceof DnsmgrError) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(message);
}

/** CLI exit status: the legacy COREmanager numeric codes where they exist. */
export function exitCodeOf(err: DnsmgrError): number {
  switch (err.type) {
    case 'exists': return 2;
    case 'missed': return 3;
    case 'value': return 4;
    case 'limit': return 5;
    case 'access': return 6;
    case 'auth': return 7;
    case 'tool': return 8;
    case 'internal': return 1;
  }
}

export function httpStatusOf(err: DnsmgrError): number {
  // COREmanager answers errors with 200 and an <error> document; clients look for it. Keep that, except for a bug.
  return err.type === 'internal' ? 500 : 200;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
