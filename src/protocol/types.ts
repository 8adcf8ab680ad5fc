// The shapes that cross the front doors: a parsed request and the document a function returns.
import type { DnsmgrError } from '../errors';

export type OutFormat = 'xml' | 'json' | 'text';

/** Raw request: every parameter as the front door received it, nothing validated yet. */
export interface RawRequest {
  func: string;
  params: Record<string, string>;
  out: OutFormat;
}

export type Row = Record<string, string>;

export interface SelectOption {
  key: string;
  label: string;
}

/** What a function returns; each front door renders it in its own format. */
export type Doc =
  | { kind: 'list'; rows: Row[] }
  | { kind: 'form'; fields: Row; slists?: Record<string, SelectOption[]> }
  | { kind: 'ok' }
  | { kind: 'auth'; key: string; level: number }
  | { kind: 'error'; error: DnsmgrError };
