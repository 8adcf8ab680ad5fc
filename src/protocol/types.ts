// The shapes that cross the front doors: a parsed request and the document a function returns.
import type { DnsmgrError } from '../errors';

/**
 * xml, json and text as COREmanager prints them; sjson (json with every field value in an array), bjson (BILLmanager's
 * plain JSON: no doc, no "$") and JSONdata (the data alone: a list is an array of rows) for the clients that ask for them.
 */
export type OutFormat = 'xml' | 'json' | 'text' | 'sjson' | 'bjson' | 'JSONdata';

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

/** One page of a paged list (p_num, p_cnt): which page, rows per page, and how many rows the whole list has. */
export interface PageFacts {
  num: number;
  cnt: number;
  elems: number;
}

/**
 * What a function returns; each front door renders it in its own format. A list's rows may be read lazily (a long list
 * from SQLite): they are iterated once, as they are written out. `page` is there when the request asked for a page.
 */
export type Doc =
  | { kind: 'list'; rows: Iterable<Row>; page?: PageFacts }
  | { kind: 'form'; fields: Row; slists?: Record<string, SelectOption[]> }
  /** Success; `rows` (bindip, a settings change) report what was done, after the ok that clients look for. */
  | { kind: 'ok'; rows?: Row[] }
  | { kind: 'auth'; key: string; level: number }
  | { kind: 'error'; error: DnsmgrError };
