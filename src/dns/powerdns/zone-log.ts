// The PowerDNS instances' logs (each instance's output, var/log/powerdns/pdns-<view>.log): read from where the last
// reading stopped, each transfer that committed a zone or failed turned into a ZoneEvent. Lines about anything else
// are skipped.
import type { ZoneEvent, ZoneFailure } from '../backend';
import { classify, identityOf, readLogLines, sizeOf } from '../bind/zone-log';

/** `Nov 30 15:23:51 <message>`: PowerDNS's own timestamp, local time, without a year. */
const LINE = /^([A-Z][a-z]{2}) +(\d{1,2}) (\d\d):(\d\d):(\d\d) (.*)$/;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const COMMITTED = /^[AI]XFR-in zone: '([^']+)', primary: '[^']*', zone committed with serial \d+/;
const FAILED = /^XFR-in zone: '([^']+)', primary: '[^']*', unable to xfr zone \([^)]*\): (.*?)(?: \(This was attempt number \d+\..*\))?$/;

/** A transfer's failure in PowerDNS's words → a class: a master refusing the transfer says "Query Refused". */
export function classifyPdns(why: string): ZoneFailure {
  if (/Query Refused/i.test(why)) return 'refused';
  return classify(why);
}

/** One log line of the instance of `view` → an event, or undefined for a line about anything else. */
export function parsePdnsLogLine(view: string, line: string, now = new Date()): ZoneEvent | undefined {
  const m = LINE.exec(line);
  if (!m) return undefined;
  const message = m[6] as string;
  const ok = COMMITTED.exec(message);
  const failed = ok ? undefined : FAILED.exec(message);
  const zone = (ok ?? failed)?.[1];
  if (zone === undefined) return undefined;
  return {
    view,
    name: zone.replace(/\.$/, '').toLowerCase(),
    at: timeOf(m, now),
    outcome: ok ? 'ok' : classifyPdns(failed?.[2] ?? ''),
    detail: message.length > 200 ? `${message.slice(0, 200)}…` : message,
  };
}

/** The line's time: this year's, or last year's for a date ahead of now (a log read just after New Year). */
function timeOf(m: RegExpExecArray, now: Date): number {
  const at = (year: number): number => new Date(year, MONTHS.indexOf(m[1] as string), Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])).getTime();
  let t = at(now.getFullYear());
  if (t > now.getTime() + 86_400_000) t = at(now.getFullYear() - 1);
  return Math.floor(t / 1000);
}

interface FileCursor {
  ino: number;
  born?: number;
  offset: number;
}

/**
 * Reads what each instance's log gained since `cursorText` (a JSON map view → file position; '' = from the start) and
 * returns the new cursor. A log replaced or truncated is read again from its start.
 */
export function readPdnsLogs(logs: ReadonlyMap<string, string>, cursorText: string, onEvent: (event: ZoneEvent) => void): string {
  let cursors: Record<string, FileCursor> = {};
  try {
    const parsed = JSON.parse(cursorText) as unknown;
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) cursors = parsed as Record<string, FileCursor>;
  } catch {
    // No cursor yet, or one of another backend's: from the start.
  }
  const next: Record<string, FileCursor> = {};
  const now = new Date();
  for (const [view, file] of logs) {
    const id = identityOf(file);
    if (id === undefined) continue;
    const c = cursors[view];
    const same = c !== undefined && Number.isSafeInteger(c.offset) && c.ino === id.ino && (c.born === undefined || id.born === undefined || c.born === id.born);
    let offset = same ? c.offset : 0;
    if (offset > sizeOf(file)) offset = 0;
    next[view] = { ...id, offset: readLogLines(file, offset, (line) => parsePdnsLogLine(view, line, now), onEvent) };
  }
  return JSON.stringify(next);
}
