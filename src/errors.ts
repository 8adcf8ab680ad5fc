// The one errors module. Every front door maps these once: to a COREmanager <error>, an exit code, an HTTP status.
import { msg, verbatim, joinMsgs } from './i18n/msg';
import type { Lang, Msg } from './i18n/msg';

/** COREmanager error types, plus `tool` (a system tool failed) and `internal` (a bug). */
export type ErrorType = 'value' | 'missed' | 'exists' | 'access' | 'auth' | 'limit' | 'tool' | 'internal';

const MAX_ECHO = 80;

/** Echoed input is shortened and stripped of control characters so an error never carries a payload back whole. */
export function echo(value: string): string {
  const clean = value.replace(/[\u0000-\u001f\u007f]/g, '?');
  return clean.length > MAX_ECHO ? `${clean.slice(0, MAX_ECHO)}…` : clean;
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
    /** Every message is msg`…` (or verbatim(…) for text the same in every language): the compiler sees to it. */
    message: Msg,
  ) {
    super(message.in('en'));
    this.text = message;
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
  reason: Msg;
  /** The parameter was absent or empty: the reason is said alone ("'passwd' is required"), not as an invalid value. */
  missing?: true;
}

/** The problem of a parameter that must be given and was not; `why` says more than "is required" where it helps. */
export function missingParam(param: string, why: Msg = msg`'${param}' is required`): InvalidParam {
  return { param, value: '', reason: why, missing: true };
}

/** A request parameter failed validation. Carries every reason found, not just the first. */
export class ValidationError extends DnsmgrError {
  readonly problems: InvalidParam[];
  constructor(problems: InvalidParam | InvalidParam[]) {
    const list = Array.isArray(problems) ? problems : [problems];
    const first = list[0] ?? { param: '', value: '', reason: msg`invalid request` };
    const text = joinMsgs(list.map((p) => (p.missing
      ? p.reason
      : msg`Invalid value '${echo(p.value)}' of parameter '${p.param}': ${p.reason}`)));
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

/** What an error can be about: its `object` in the error document, and the words its default messages use. */
export type ObjectKind = 'domain' | 'user' | 'reseller' | 'func' | 'ipaddr' | 'namespace' | 'record';

// One message per kind rather than a word put into a sentence: Russian declines the word ("доступ к домену").
const NOT_FOUND: Record<ObjectKind, (value: string) => Msg> = {
  domain: (v) => msg`Domain '${v}' does not exist`,
  user: (v) => msg`User '${v}' does not exist`,
  reseller: (v) => msg`Reseller '${v}' does not exist`,
  func: (v) => msg`Function '${v}' does not exist`,
  ipaddr: (v) => msg`Address '${v}' does not exist`,
  namespace: (v) => msg`Namespace '${v}' does not exist`,
  record: (v) => msg`Record '${v}' does not exist`,
};

const EXISTS: Record<ObjectKind, (value: string) => Msg> = {
  domain: (v) => msg`Domain '${v}' already exists`,
  user: (v) => msg`User '${v}' already exists`,
  reseller: (v) => msg`Reseller '${v}' already exists`,
  func: (v) => msg`Function '${v}' already exists`,
  ipaddr: (v) => msg`Address '${v}' already exists`,
  namespace: (v) => msg`Namespace '${v}' already exists`,
  record: (v) => msg`Record '${v}' already exists`,
};

const ACCESS_DENIED: Record<ObjectKind, (value: string) => Msg> = {
  domain: (v) => msg`Access to domain '${v}' is denied`,
  user: (v) => msg`Access to user '${v}' is denied`,
  reseller: (v) => msg`Access to reseller '${v}' is denied`,
  func: (v) => msg`Access to function '${v}' is denied`,
  ipaddr: (v) => msg`Access to address '${v}' is denied`,
  namespace: (v) => msg`Access to namespace '${v}' is denied`,
  record: (v) => msg`Access to record '${v}' is denied`,
};

export class NotFoundError extends DnsmgrError {
  constructor(object: ObjectKind, value: string) {
    super('missed', object, echo(value), NOT_FOUND[object](echo(value)));
  }
}

export class ExistsError extends DnsmgrError {
  constructor(object: ObjectKind, value: string, message?: Msg) {
    super('exists', object, echo(value), message ?? EXISTS[object](echo(value)));
  }
}

export class AccessError extends DnsmgrError {
  constructor(object: ObjectKind, value: string, message?: Msg) {
    super('access', object, echo(value), message ?? ACCESS_DENIED[object](echo(value)));
  }
}

export class AuthError extends DnsmgrError {
  constructor(message: Msg = msg`Authentication failed: wrong user name or password`) {
    super('auth', 'auth', '', message);
  }
}

export class LimitError extends DnsmgrError {
  constructor(object: string, value: string, message: Msg) {
    super('limit', object, echo(value), message);
  }
}

/** A system tool (rndc, named-checkconf, ip) failed or could not be run. */
export class ToolError extends DnsmgrError {
  /** What the tool printed, or dnsmgr's own account of the failure, in English. */
  readonly stderr: string;
  /** The detail as shown: the tool's last lines verbatim, or dnsmgr's message. */
  readonly detail: Msg;
  constructor(
    readonly command: string,
    readonly exitCode: number | undefined,
    /** The tool's own output, shown verbatim (its last lines), or a message of dnsmgr's saying what went wrong. */
    detail: string | Msg,
    /** What happened to the command: failed, timed out after …, found nothing. */
    readonly what: Msg = msg`failed`,
  ) {
    const shown = typeof detail === 'string' ? verbatim(detail.trim().split('\n').slice(-3).join(' | ')) : detail;
    const head = exitCode === undefined ? msg`${command} ${what}` : msg`${command} ${what} with exit code ${exitCode}`;
    super('tool', command, '', shown.in('en') === '' ? head : joinMsgs([head, shown], ': '));
    this.stderr = typeof detail === 'string' ? detail : detail.in('en');
    this.detail = shown;
  }
}

export class InternalError extends DnsmgrError {
  constructor(message: Msg) {
    super('internal', 'internal', '', message);
  }
}

/** Anything thrown becomes a DnsmgrError; an unexpected throw is an internal error with its message kept. */
export function asDnsmgrError(err: unknown): DnsmgrError {
  if (err instanceof DnsmgrError) return err;
  // Not one of ours: its text is whatever the runtime or a library said, the same in every language.
  const message = err instanceof Error ? err.message : String(err);
  return new InternalError(verbatim(message));
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
