// The one function registry every front door shares: name, level, parameters, and the handler.
import { collectProblems, ValidationError } from '../errors';
import type { InvalidParam } from '../errors';
import type { Lang, Msg } from '../i18n/msg';
import type { Actor } from '../model/access';
import type { Doc } from '../protocol/types';
import type { App } from '../app';
import { parseLogin } from '../model/account-name';
import type { Login } from '../model/account-name';
import type { ListQuery } from './lists';

export interface ParamDoc {
  name: string;
  /** What `dnsmgr -i <func>` says of it, in the language asked for. */
  desc: Msg;
  required?: boolean;
}

export interface FuncContext {
  app: App;
  /** Who authenticated. */
  caller: Actor;
  /** Who the request acts as: the caller, or the account named by su=. */
  actor: Actor;
  /** The language the request is answered in: what a function writes for people (reasons, diagnoses) is in it. */
  lang: Lang;
  /** For lists: the filter, sort and page asked for; dispatch applies them unless the list does (`pagesItself`). */
  list?: ListQuery;
}

export interface FuncDef<P = unknown> {
  name: string;
  kind: 'list' | 'form' | 'action';
  /** Lowest AUTH_LEVEL allowed to call it. */
  minLevel: number;
  desc: Msg;
  params: readonly ParamDoc[];
  /** For lists: the columns each row carries, each one a filter and a sort (p_sort) may name. */
  columns?: readonly string[];
  /** For a long list: it applies `ctx.list` itself (in SQL) and returns the page; dispatch leaves its rows alone. */
  pagesItself?: boolean;
  /** Changes state: finishes other processes' interrupted changes first. */
  mutates: boolean;
  /** Validates every parameter the function uses; runs before anything else happens. */
  parse(raw: Readonly<Record<string, string>>): P;
  run(ctx: FuncContext, p: P): Promise<Doc>;
}

export function defineFunc<P>(def: FuncDef<P>): FuncDef<P> {
  return def;
}

/** Runs every parser and reports all the invalid parameters together, not only the first. */
export function validateAll<T extends Record<string, unknown>>(parsers: { [K in keyof T]: () => T[K] }): T {
  const problems: InvalidParam[] = [];
  const out: Partial<T> = {};
  for (const key of Object.keys(parsers) as (keyof T)[]) out[key] = collectProblems(problems, parsers[key], undefined as T[keyof T]);
  if (problems.length > 0) throw new ValidationError(problems);
  return out as T;
}

/** The value of an optional parameter, undefined when absent or empty. */
export function optional(raw: Readonly<Record<string, string>>, name: string): string | undefined {
  const v = Object.hasOwn(raw, name) ? raw[name] : undefined;
  return v === undefined || v.trim() === '' ? undefined : v;
}

/** An optional parameter that names an account (owner=…): absent or a valid login. */
export function optionalLogin(raw: Readonly<Record<string, string>>, name: string): Login | undefined {
  const value = optional(raw, name);
  return value === undefined ? undefined : parseLogin(value, name);
}

/** COREmanager submits a form with any non-empty `sok` (clients send ok, yes, 1 …). */
export function isSubmit(raw: Readonly<Record<string, string>>): boolean {
  return raw.sok !== undefined && raw.sok !== '';
}
