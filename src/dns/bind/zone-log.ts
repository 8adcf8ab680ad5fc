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
  /** The outcome, from the message's own words where it carries them (group `why`). */
  outcome: (why: string) => 'ok' | ZoneFailure;
}

const RULES: readonly Rule[] = [
  { re: new RegExp(`^zone ${ZONE}: transferred serial \\d+`), outcome: () => 'ok' },
  { re: new RegExp(`^transfer of '${ZONE}' from \\S+: Transfer status: (?<why>.*)$`), outcome: (why) => (why === 'success' ? 'ok' : classify(why)) },
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
  if (/unreachable|connection refused|connection reset|no route/i.test(why)) return 'unreachable';
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
    return {
      view: r[2] as string,
      name: (r[1] as string).toLowerCase(),
      at: Math.floor(Date.parse(m[1] as string) / 1000),
      outcome: rule.outcome(r.groups?.why ?? ''),
      detail: message.length > 200 ? `${message.slice(0, 200)}…` : message,
    };
  }
  return undefined;
}

/** Where the last reading stopped: the file's inode and the offset after the last whole line read. */
interface Cursor {
  ino: number;
  offset: number;
}

const CHUNK = 1 << 20;

/**
 * Reads the lines added since `cursor` and returns the new cursor. named rotates the file to `<file>.0` when it grows
 * past its size: the rest of the rotated file is read first, then the new one from its start.
 */
export function readZoneLog(file: string, cursorText: string, onEvent: (event: ZoneEvent) => void): string {
  const cursor = parseCursor(cursorText);
  const current = inodeOf(file);
  if (current === undefined) return cursorText;
  onEvent = soaReasonWins(onEvent);
  let offset = 0;
  if (cursor && cursor.ino === current) {
    offset = cursor.offset;
  } else if (cursor && inodeOf(`${file}.0`) === cursor.ino) {
    readLines(`${file}.0`, cursor.offset, onEvent);
  }
  // A file shorter than the cursor was truncated or replaced in place: start over.
  if (offset > sizeOf(file)) offset = 0;
  const end = readLines(file, offset, onEvent);
  return JSON.stringify({ ino: current, offset: end } satisfies Cursor);
}

/**
 * named tries a first transfer even after the master refused the SOA query; a master that does not serve the zone may
 * then refuse the transfer too. The SOA's answer says why, so a transfer REFUSED right after it keeps that reason.
 */
function soaReasonWins(onEvent: (event: ZoneEvent) => void): (event: ZoneEvent) => void {
  const notauthAt = new Map<string, number>();
  return (event) => {
    const key = `${event.view}/${event.name}`;
    if (event.outcome === 'notauth') notauthAt.set(key, event.at);
    else if (event.outcome === 'refused' && event.at - (notauthAt.get(key) ?? -Infinity) <= 5) event = { ...event, outcome: 'notauth' };
    else notauthAt.delete(key);
    onEvent(event);
  };
}

/** Reads whole lines from `offset`; returns the offset after the last complete line. */
function readLines(file: string, offset: number, onEvent: (event: ZoneEvent) => void): number {
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
        const event = parseZoneLogLine(line);
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
    const c = JSON.parse(text) as Partial<Cursor>;
    return Number.isSafeInteger(c.ino) && Number.isSafeInteger(c.offset) && (c.offset as number) >= 0 ? (c as Cursor) : undefined;
  } catch {
    return undefined;
  }
}

function inodeOf(file: string): number | undefined {
  try {
    return statSync(file).ino;
  } catch {
    return undefined;
  }
}

function sizeOf(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}
