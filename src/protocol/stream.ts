// Documents as a sequence of chunks, so a list of 100,000 rows is written as it is read and never held whole. Every
// renderer's string form is its chunks joined (collect), so the streamed output and the string cannot differ.
import type { PageFacts, Row } from './types';

/** About what one write to a pipe or socket takes at once; rows are gathered up to this many UTF-16 units. */
const CHUNK_CHARS = 64 * 1024;

/** How a format writes a list: what comes before the rows (with the page, if any), each row, and what closes it. */
export interface ListShape {
  open(page: PageFacts | undefined): string;
  /** `first`: no row was written before it (for separators). */
  row(row: Row, first: boolean): string;
  close: string;
  /** The whole document for a list with no rows and no page, when it is not open + close (XML's self-closed <doc/>). */
  empty?: string;
}

export function* listChunks(rows: Iterable<Row>, page: PageFacts | undefined, shape: ListShape): Generator<string, void, undefined> {
  const it = rows[Symbol.iterator]();
  let done = false;
  try {
    let next = it.next();
    if (next.done === true && page === undefined && shape.empty !== undefined) {
      done = true;
      yield shape.empty;
      return;
    }
    let buf = shape.open(page);
    for (let first = true; next.done !== true; next = it.next(), first = false) {
      buf += shape.row(next.value, first);
      if (buf.length >= CHUNK_CHARS) {
        yield buf;
        buf = '';
      }
    }
    done = true;
    yield buf + shape.close;
  } finally {
    // A reader that stops early (a client gone) lets a lazy row source close what it holds.
    if (!done) it.return?.();
  }
}

export function collect(chunks: Iterable<string>): string {
  let out = '';
  for (const chunk of chunks) out += chunk;
  return out;
}

/** The paging facts as name/value pairs, in the order every format writes them. */
export function pagePairs(page: PageFacts): [string, string][] {
  return [['p_num', String(page.num)], ['p_cnt', String(page.cnt)], ['p_elems', String(page.elems)]];
}
