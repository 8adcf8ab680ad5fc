// named's zone log (the `dnsmgr_zones` channel: categories general, xfer-in and notify, severity info, ISO times):
// read from where the last reading stopped, each line turned into a ZoneEvent when it says a zone transferred,
// refreshed, or failed and why. Lines about anything else are skipped.
import { closeSync, openSync, readSync, statSync } from 'node:fs';
import type { ZoneEvent, ZoneFailure } from '../backend';

/** `2026-11-30T05:13:26.691Z xfer-in: error: <message>` (print-time iso8601-utc, print-category, print-severity). */
const LINE = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?Z) [\w-]+: [\w ]+: (.*)$/;
const ZONE = String.raw`([^\s/]+)/IN/([^\s:']+)`;

interface Rule {
  re: RegExp;
  /** The outcome, from the message's own words where it carries them (group `why`); undefined: says nothing of the zone. */
  outcome: (why: string) => 'ok' | ZoneFailure | undefined;
}

const RULES: readonly Rule[] = [
  // named cancels a transfer under way when it stops or drops the zone: no news about the zone or its master.
  { re: new RegExp(`^transfer of '${ZONE}' from \\S+: Transfer status: shutting down$`), outcome: () => undefined },
  { re: new RegExp(`^zone ${ZONE}: transferred serial \\d+`), outcome: () => 'ok' },
  // "up to date": the transfer found the master's serial no newer than ours, which is a successful contact.
  { re: new RegExp(`^transfer of '${ZONE}' from \\S+: Transfer status: (?<why>.*)$`), outcome: (why) => (why === 'success' || why === 'up to date' ? 'ok' : classify(why)) },
  { re: new RegExp(`^zone ${ZONE}: refresh: unexpected rcode \\((?<why>\\w+)\\) from primary`), outcome: (why) => (why === 'REFUSED' ? 'notauth' : classify(why)) },
  { re: new RegExp(`^zone ${ZONE}: refresh: non-authoritative answer from primary`), outcome: () => 'notauth' },
  { re: new RegExp(`^zone ${ZONE}: refresh: retry limit for primary \\S+ exceeded`), outcome: () => 'timeout' },
  { re: new RegExp(`^zone ${ZONE}: refresh: failure trying primary \\S+ \\(source \\S+\\): (?<why>.*)$`), outcome: (why) => classify(why) },
  { re: new RegExp(`^zone ${ZONE}: refresh: skip(?:ping|ped) .*unreachable`), outcome: () => 'unreachable' },
  { re: new RegExp(`^zone ${ZONE}: expired`), outcome: () => 'expired' },
];

/**
 * The reason in named's words → a class. A master that does not serve the zone answers its SOA with REFUSED (BIND
 * with recursion off), NOTAUTH or a non-authoritative answer, and a transfer with NOTAUTH; REFUSED for the transfer
 * itself means the master serves the zone but does not let us have it.
 */
export function classify(why: string): ZoneFailure {
  if (/^REFUSED$/.test(why)) return 'refused';
  if (/NOTAUTH|NXDOMAIN|not authoritative|SERVFAIL|FORMERR|NOTIMP/i.test(why)) return 'notauth';
  if (/timed out|timeout/i.test(why)) return 'timeout';
  // named says "operation canceled" when the kernel has no route to the master.
  if (/unreachable|connection refused|connection reset|no route|operation canceled/i.test(why)) return 'unreachable';
  return 'error';
}

/** One log line → an event, or undefined for a line about anything else. */
export function parseZoneLogLine(line: string): ZoneEvent | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const message = m[2] as string;
  for (const rule of RULES) {
    const r = rule.re.exec(message);
    if (!r) continue;
    const outcome = rule.outcome(r.groups?.why ?? '');
    if (outcome === undefined) return undefined;
    return {
      view: r[2] as string,
      name: (r[1] as string).toLowerCase(),
      at: Math.floor(Date.parse(m[1] as string) / 1000),
      outcome,
      detail: message.length > 200 ? `${message.slice(0, 200)}…` : message,
    };
  }
  return undefined;
}

/**
 * Where the last reading stopped: the file (inode, and birth time where the file system keeps it: a file deleted and
 * made anew may get the same inode), the offset after the last whole line read, and the SOA refusals of the last
 * seconds, which decide what a transfer refusal right after them means even when a reading falls between the two.
 */
interface Cursor {
  ino: number;
  born?: number;
  offset: number;
  notauth?: Record<string, number>;
}

const CHUNK = 1 << 20;

/**
 * Reads the lines added since `cursor` and returns the new cursor. named rotates the file to `<file>.0` when it grows
 * past its size: the rest of the rotated file is read first, then the new one from its start.
 */
export function readZoneLog(file: string, cursorText: string, onEvent: (event: ZoneEvent) => void): string {
  const cursor = parseCursor(cursorText);
  const current = identityOf(file);
  if (current === undefined) return cursorText;
  const soa = new SoaReasonWins(onEvent, cursor?.notauth ?? {});
  const emit = (event: ZoneEvent): void => soa.take(event);
  let offset = 0;
  if (cursor && sameFile(cursor, current)) {
    offset = cursor.offset;
  } else if (cursor) {
    const rotated = identityOf(`${file}.0`);
    if (rotated && sameFile(cursor, rotated)) readLines(`${file}.0`, cursor.offset, emit);
  }
  // A file shorter than the cursor was truncated or replaced in place: start over.
  if (offset > sizeOf(file)) offset = 0;
  const end = readLines(file, offset, emit);
  return JSON.stringify({ ...current, offset: end, notauth: soa.recent() } satisfies Cursor);
}

/**
 * named tries a first transfer even after the master refused the SOA query; a master that does not serve the zone may
 * then refuse the transfer too. The SOA's answer says why, so a transfer REFUSED right after it keeps that reason.
 */
class SoaReasonWins {
  private readonly notauthAt: Map<string, number>;
  private latest = 0;

  constructor(private readonly onEvent: (event: ZoneEvent) => void, carried: Readonly<Record<string, number>>) {
    this.notauthAt = new Map(Object.entries(carried).filter(([, at]) => Number.isSafeInteger(at)));
  }

  take(event: ZoneEvent): void {
    const key = `${event.view}/${event.name}`;
    this.latest = Math.max(this.latest, event.at);
    if (event.outcome === 'notauth') this.notauthAt.set(key, event.at);
    else if (event.outcome === 'refused' && event.at - (this.notauthAt.get(key) ?? -Infinity) <= SOA_WINDOW_SECONDS) event = { ...event, outcome: 'notauth' };
    else this.notauthAt.delete(key);
    this.onEvent(event);
  }

  /** The refusals still inside the window, to carry in the cursor. */
  recent(): Record<string, number> {
    return Object.fromEntries([...this.notauthAt].filter(([, at]) => at >= this.latest - SOA_WINDOW_SECONDS));
  }
}

const SOA_WINDOW_SECONDS = 5;

/** Reads named's whole lines from `offset`; returns the offset after the last complete line. */
function readLines(file: string, offset: number, onEvent: (event: ZoneEvent) => void): number {
  return readLogLines(file, offset, parseZoneLogLine, onEvent);
}

/** Reads whole lines from `offset`, each through `parse`; returns the offset after the last complete line. */
export function readLogLines(file: string, offset: number, parse: (line: string) => ZoneEvent | undefined, onEvent: (event: ZoneEvent) => void): number {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return offset;
  }
  try {
    const buf = Buffer.alloc(CHUNK);
    let pos = offset;
    let carry = '';
    for (;;) {
      const n = readSync(fd, buf, 0, CHUNK, pos);
      if (n === 0) break;
      pos += n;
      const text = carry + buf.toString('latin1', 0, n);
      const lines = text.split('\n');
      carry = lines.pop() ?? '';
      for (const line of lines) {
        const event = parse(line);
        if (event) onEvent(event);
      }
    }
    // An unfinished last line is read again next time, whole.
    return pos - Buffer.byteLength(carry, 'latin1');
  } finally {
    closeSync(fd);
  }
}

function parseCursor(text: string): Cursor | undefined {
  try {
    const c = JSON.parse(text) as Partial<Cursor> | null;
    if (c === null || typeof c !== 'object' || !Number.isSafeInteger(c.ino) || !Number.isSafeInteger(c.offset) || (c.offset as number) < 0) return undefined;
    const notauth = c.notauth !== null && typeof c.notauth === 'object' && !Array.isArray(c.notauth) ? c.notauth : undefined;
    return { ino: c.ino as number, offset: c.offset as number, ...(typeof c.born === 'number' ? { born: c.born } : {}), ...(notauth ? { notauth } : {}) };
  } catch {
    return undefined;
  }
}

export function identityOf(file: string): { ino: number; born?: number } | undefined {
  try {
    const st = statSync(file);
    return st.birthtimeMs > 0 ? { ino: st.ino, born: st.birthtimeMs } : { ino: st.ino };
  } catch {
    return undefined;
  }
}

function sameFile(cursor: Cursor, file: { ino: number; born?: number }): boolean {
  return cursor.ino === file.ino && (cursor.born === undefined || file.born === undefined || cursor.born === file.born);
}

export function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
