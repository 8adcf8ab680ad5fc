// named's zone log: real named 9.18 lines (print-time iso8601-utc, print-category, print-severity) turned into
// ZoneEvents, and the incremental reading with a cursor across appends, unfinished lines, rotation and truncation.
import { appendFileSync, mkdtempSync, renameSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ZoneEvent } from '../../../src/dns/backend';
import { classify, parseZoneLogLine, readZoneLog } from '../../../src/dns/bind/zone-log';

const T0 = 1796015606; // 2026-11-30T05:13:26.691Z
const T1 = 1796015636; // 2026-11-30T05:13:56.719Z
const T2 = 1796015639; // 2026-11-30T05:13:59.779Z

/** Lines as named 9.18 writes them into the dnsmgr_zones channel, and the event each one is. */
const EVENTS: readonly [line: string, event: ZoneEvent][] = [
  [
    '2026-11-30T05:13:26.691Z general: info: zone notauth.test/IN/v1: refresh: unexpected rcode (REFUSED) from primary 198.51.100.1#53 (source 0.0.0.0#0)',
    { view: 'v1', name: 'notauth.test', at: T0, outcome: 'notauth', detail: 'zone notauth.test/IN/v1: refresh: unexpected rcode (REFUSED) from primary 198.51.100.1#53 (source 0.0.0.0#0)' },
  ],
  [
    "2026-11-30T05:13:26.691Z xfer-in: info: transfer of 'notauth.test/IN/v1' from 198.51.100.1#53: Transfer status: NOTAUTH",
    { view: 'v1', name: 'notauth.test', at: T0, outcome: 'notauth', detail: "transfer of 'notauth.test/IN/v1' from 198.51.100.1#53: Transfer status: NOTAUTH" },
  ],
  [
    '2026-11-30T05:13:26.691Z xfer-in: info: zone good.test/IN/v1: transferred serial 2026113001',
    { view: 'v1', name: 'good.test', at: T0, outcome: 'ok', detail: 'zone good.test/IN/v1: transferred serial 2026113001' },
  ],
  [
    "2026-11-30T05:13:26.691Z xfer-in: info: transfer of 'good.test/IN/v1' from 198.51.100.1#53: Transfer status: success",
    { view: 'v1', name: 'good.test', at: T0, outcome: 'ok', detail: "transfer of 'good.test/IN/v1' from 198.51.100.1#53: Transfer status: success" },
  ],
  [
    "2026-11-30T05:13:26.691Z xfer-in: info: transfer of 'refused.test/IN/v1' from 198.51.100.1#53: Transfer status: REFUSED",
    { view: 'v1', name: 'refused.test', at: T0, outcome: 'refused', detail: "transfer of 'refused.test/IN/v1' from 198.51.100.1#53: Transfer status: REFUSED" },
  ],
  [
    '2026-11-30T05:13:56.719Z general: info: zone dead.test/IN/v1: refresh: retry limit for primary 198.51.100.9#53 exceeded (source 0.0.0.0#0)',
    { view: 'v1', name: 'dead.test', at: T1, outcome: 'timeout', detail: 'zone dead.test/IN/v1: refresh: retry limit for primary 198.51.100.9#53 exceeded (source 0.0.0.0#0)' },
  ],
  [
    "2026-11-30T05:13:59.779Z xfer-in: info: transfer of 'dead.test/IN/v1' from 198.51.100.9#53: Transfer status: host unreachable",
    { view: 'v1', name: 'dead.test', at: T2, outcome: 'unreachable', detail: "transfer of 'dead.test/IN/v1' from 198.51.100.9#53: Transfer status: host unreachable" },
  ],
  // From named 9.18 with a master that went away and a zone that then expired.
  [
    '2026-11-30T05:41:10.835Z general: info: zone exp.test/IN/v1: refresh: failure trying primary 127.0.0.2#53 (source 0.0.0.0#0): connection refused',
    { view: 'v1', name: 'exp.test', at: 1796017270, outcome: 'unreachable', detail: 'zone exp.test/IN/v1: refresh: failure trying primary 127.0.0.2#53 (source 0.0.0.0#0): connection refused' },
  ],
  [
    '2026-11-30T05:41:13.835Z general: warning: zone exp.test/IN/v1: expired',
    { view: 'v1', name: 'exp.test', at: 1796017273, outcome: 'expired', detail: 'zone exp.test/IN/v1: expired' },
  ],
];

/** Lines about other things: the same zones, but nothing that says whether a transfer or refresh worked. */
const OTHER_LINES = [
  "2026-11-30T05:13:26.691Z xfer-in: error: transfer of 'notauth.test/IN/v1' from 198.51.100.1#53: failed while receiving responses: NOTAUTH",
  "2026-11-30T05:13:59.779Z xfer-in: error: transfer of 'dead.test/IN/v1' from 198.51.100.9#53: failed to connect: host unreachable",
  '2026-11-30T05:13:26.691Z xfer-in: info: zone notauth.test/IN/v1: Transfer started.',
  "2026-11-30T05:13:54.679Z general: info: received control channel command 'refresh good.test IN v1'",
  "2026-11-30T05:41:06.831Z xfer-in: info: transfer of 'exp.test/IN/v1' from 127.0.0.2#53: connected using 127.0.0.2#53",
  "2026-11-30T05:41:06.835Z xfer-in: info: transfer of 'exp.test/IN/v1' from 127.0.0.2#53: Transfer completed: 1 messages, 4 records, 133 bytes, 0.004 secs (33250 bytes/sec) (serial 5)",
  '2026-11-30T05:41:06.831Z general: notice: all zones loaded',
  '2026-11-30T05:41:06.831Z general: notice: running',
  '',
  // Not the channel's format: no ISO time, or no category and severity.
  '30-Nov-2026 05:13:26.691 xfer-in: info: zone good.test/IN/v1: transferred serial 2026113001',
  '2026-11-30T05:13:26.691Z zone good.test/IN/v1: transferred serial 2026113001',
  'zone good.test/IN/v1: transferred serial 2026113001',
];

describe('parseZoneLogLine', () => {
  it.each(EVENTS)('%s', (line, event) => {
    expect(parseZoneLogLine(line)).toEqual(event);
  });

  it.each(OTHER_LINES)('skips %j', (line) => {
    expect(parseZoneLogLine(line)).toBeUndefined();
  });

  it('lowercases the zone name and keeps the view as written', () => {
    const e = parseZoneLogLine('2026-11-30T05:13:26.691Z xfer-in: info: zone Good.TEST/IN/Alice_1: transferred serial 7');
    expect(e).toMatchObject({ view: 'Alice_1', name: 'good.test', outcome: 'ok' });
  });

  it('takes the time in Unix seconds, also without fractions', () => {
    expect(parseZoneLogLine('1970-01-01T00:01:40Z xfer-in: info: zone a.test/IN/v: transferred serial 1')?.at).toBe(100);
    expect(parseZoneLogLine('2026-11-30T05:13:26.999Z xfer-in: info: zone a.test/IN/v: transferred serial 1')?.at).toBe(T0);
  });

  it('takes the reason from the rcode of a refused refresh other than REFUSED', () => {
    expect(parseZoneLogLine('2026-11-30T05:13:26.691Z general: info: zone a.test/IN/v1: refresh: unexpected rcode (NOTAUTH) from primary 198.51.100.1#53 (source 0.0.0.0#0)')?.outcome).toBe('notauth');
    expect(parseZoneLogLine('2026-11-30T05:13:26.691Z general: info: zone a.test/IN/v1: refresh: non-authoritative answer from primary 198.51.100.1#53 (source 0.0.0.0#0)')?.outcome).toBe('notauth');
    expect(parseZoneLogLine('2026-11-30T05:13:26.691Z general: info: zone a.test/IN/v1: refresh: failure trying primary 198.51.100.9#53 (source 0.0.0.0#0): timed out')?.outcome).toBe('timeout');
    expect(parseZoneLogLine('2026-11-30T05:13:26.691Z general: info: zone a.test/IN/v1: refresh: skipping zone transfer as primary 198.51.100.9#53 (source 0.0.0.0#0) is unreachable (cached)')?.outcome).toBe('unreachable');
  });

  it('a transfer that found the zone up to date is not a failure', () => {
    // xfrin ends with DNS_R_UPTODATE ("up to date") when the master's serial is not newer, e.g. after the SOA query
    // over TCP that named falls back to (try-tcp-refresh) when the UDP one got no answer.
    const e = parseZoneLogLine("2026-11-30T05:13:26.691Z xfer-in: info: transfer of 'a.test/IN/v1' from 198.51.100.1#53: Transfer status: up to date");
    expect(e === undefined || e.outcome === 'ok', JSON.stringify(e)).toBe(true);
  });

  it('a transfer cancelled because named stops or drops the zone says nothing about the zone', () => {
    // Seen when named was stopped while a transfer from an unreachable master was still trying: not a failure class.
    expect(parseZoneLogLine("2026-11-30T08:40:01.100Z xfer-in: info: transfer of 'dead.test/IN/v1' from 198.51.100.9#53: Transfer status: shutting down")).toBeUndefined();
  });

  it('shortens a long message to 200 characters and an ellipsis', () => {
    const why = 'x'.repeat(300);
    const e = parseZoneLogLine(`2026-11-30T05:13:26.691Z xfer-in: info: transfer of 'a.test/IN/v1' from 198.51.100.1#53: Transfer status: ${why}`);
    expect(e?.outcome).toBe('error');
    expect(e?.detail).toHaveLength(201);
    expect(e?.detail.startsWith("transfer of 'a.test/IN/v1' from 198.51.100.1#53: Transfer status: xxx")).toBe(true);
    expect(e?.detail.endsWith('x…')).toBe(true);
  });
});

describe('classify', () => {
  it.each([
    ['REFUSED', 'refused'],
    ['NOTAUTH', 'notauth'],
    ['NXDOMAIN', 'notauth'],
    ['SERVFAIL', 'notauth'],
    ['FORMERR', 'notauth'],
    ['NOTIMP', 'notauth'],
    ['not authoritative', 'notauth'],
    ['timed out', 'timeout'],
    ['timeout', 'timeout'],
    ['host unreachable', 'unreachable'],
    ['network unreachable', 'unreachable'],
    ['connection refused', 'unreachable'],
    ['connection reset', 'unreachable'],
    ['no route to host', 'unreachable'],
    ['out of memory', 'error'],
    ['', 'error'],
    // REFUSED only as the whole answer: a message that merely contains the word is not the rcode.
    ['REFUSED by policy', 'error'],
  ] as const)('%j → %s', (why, failure) => {
    expect(classify(why)).toBe(failure);
  });
});

// ---- readZoneLog ---------------------------------------------------------------------------------------------------

const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-zone-log-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileNo = 0;
const newLogFile = (): string => join(dir, `zones-${++fileNo}.log`);

/** A transfer line for `zone` at second `s` after T0: the zone name tells which line an event came from. */
function line(zone: string, s = 0, status = 'success', view = 'v1'): string {
  const at = new Date((T0 + s) * 1000).toISOString();
  return `${at} xfer-in: info: transfer of '${zone}/IN/${view}' from 198.51.100.1#53: Transfer status: ${status}\n`;
}
const soaRefused = (zone: string, s = 0, view = 'v1'): string =>
  `${new Date((T0 + s) * 1000).toISOString()} general: info: zone ${zone}/IN/${view}: refresh: unexpected rcode (REFUSED) from primary 198.51.100.1#53 (source 0.0.0.0#0)\n`;

/** One reading: the events in order and the cursor for the next one. */
function read(file: string, cursor: string): { events: ZoneEvent[]; cursor: string } {
  const events: ZoneEvent[] = [];
  const next = readZoneLog(file, cursor, (e) => events.push(e));
  return { events, cursor: next };
}
const names = (events: readonly ZoneEvent[]): string[] => events.map((e) => e.name);

describe('readZoneLog', () => {
  it('reads the whole file the first time, then only the lines added since', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test') + OTHER_LINES[3] + '\n' + line('b.test'));
    const first = read(file, '');
    expect(names(first.events)).toEqual(['a.test', 'b.test']);
    expect(read(file, first.cursor).events).toEqual([]);
    appendFileSync(file, line('c.test') + line('d.test', 1, 'REFUSED'));
    const second = read(file, first.cursor);
    expect(second.events.map((e) => [e.name, e.outcome])).toEqual([['c.test', 'ok'], ['d.test', 'refused']]);
    expect(read(file, second.cursor).events).toEqual([]);
  });

  it('gives the same events for the same cursor: the cursor alone says where to go on', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test'));
    const { cursor } = read(file, '');
    appendFileSync(file, line('b.test'));
    expect(names(read(file, cursor).events)).toEqual(['b.test']);
    expect(names(read(file, cursor).events)).toEqual(['b.test']);
  });

  it('leaves an unfinished last line for the next reading, then reads it whole', () => {
    const file = newLogFile();
    const half = line('half.test', 0, 'REFUSED');
    writeFileSync(file, line('a.test') + half.slice(0, 40));
    const first = read(file, '');
    expect(names(first.events)).toEqual(['a.test']);
    appendFileSync(file, half.slice(40, -1));
    const second = read(file, first.cursor);
    expect(second.events).toEqual([]);
    appendFileSync(file, '\n');
    const third = read(file, second.cursor);
    expect(third.events).toEqual([parseZoneLogLine(half.slice(0, -1))]);
    expect(third.events[0]?.outcome).toBe('refused');
  });

  it('reads lines that cross the 1 MiB read size whole', () => {
    const file = newLogFile();
    const filler = `2026-11-30T05:13:26.691Z general: info: ${'n'.repeat(200)}\n`;
    let text = '';
    let zones = 0;
    const expected: string[] = [];
    while (text.length < 3 * (1 << 20)) {
      text += filler;
      if (text.length % 7 === 0 || text.length % 11 === 0) {
        const zone = `z${++zones}.test`;
        expected.push(zone);
        text += line(zone);
      }
    }
    writeFileSync(file, text);
    expect(zones).toBeGreaterThan(10);
    expect(names(read(file, '').events)).toEqual(expected);
  });

  it('after rotation to <file>.0 reads the rest of the rotated file, then the new one from its start', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test'));
    const first = read(file, '');
    appendFileSync(file, line('b.test') + line('c.test'));
    renameSync(file, `${file}.0`);
    writeFileSync(file, line('d.test') + line('e.test'));
    const second = read(file, first.cursor);
    expect(names(second.events)).toEqual(['b.test', 'c.test', 'd.test', 'e.test']);
    appendFileSync(file, line('f.test'));
    appendFileSync(`${file}.0`, line('never.test'));
    expect(names(read(file, second.cursor).events)).toEqual(['f.test']);
  });

  it('after rotation with nothing left in the rotated file reads the new one from its start', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test') + line('b.test'));
    const first = read(file, '');
    renameSync(file, `${file}.0`);
    writeFileSync(file, line('c.test'));
    expect(names(read(file, first.cursor).events)).toEqual(['c.test']);
  });

  it('after rotation before named wrote the new file: nothing yet, and nothing lost once it appears', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test'));
    const first = read(file, '');
    appendFileSync(file, line('b.test'));
    renameSync(file, `${file}.0`);
    const gap = read(file, first.cursor);
    expect(gap).toEqual({ events: [], cursor: first.cursor });
    writeFileSync(file, line('c.test'));
    expect(names(read(file, gap.cursor).events)).toEqual(['b.test', 'c.test']);
  });

  it('starts over when the file was truncated', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test') + line('b.test') + line('c.test'));
    const first = read(file, '');
    const ino = statSync(file).ino;
    truncateSync(file, 0);
    appendFileSync(file, line('d.test'));
    expect(statSync(file).ino).toBe(ino);
    const second = read(file, first.cursor);
    expect(names(second.events)).toEqual(['d.test']);
    appendFileSync(file, line('e.test'));
    expect(names(read(file, second.cursor).events)).toEqual(['e.test']);
  });

  it('reads nothing and keeps the cursor while the file is missing', () => {
    const file = newLogFile();
    expect(read(file, '')).toEqual({ events: [], cursor: '' });
    const other = newLogFile();
    writeFileSync(other, line('a.test'));
    const { cursor } = read(other, '');
    // Moved away, not deleted: a deleted file's inode may be given to the next file made.
    renameSync(other, `${other}.old`);
    expect(read(other, cursor)).toEqual({ events: [], cursor });
    writeFileSync(other, line('b.test'));
    expect(names(read(other, cursor).events)).toEqual(['b.test']);
  });

  it.each([
    'garbage', 'null', '[]', '{}', '42', '"x"', '{"ino":"1","offset":0}', '{"ino":1,"offset":-1}', '{"ino":1.5,"offset":0}',
    '{"ino":1,"offset":1e400}', '{"offset":0}',
  ])('reads from the start with a garbage cursor %j', (cursor) => {
    const file = newLogFile();
    writeFileSync(file, line('a.test') + line('b.test'));
    const r = read(file, cursor);
    expect(names(r.events)).toEqual(['a.test', 'b.test']);
    expect(read(file, r.cursor).events).toEqual([]);
  });

  it('reads from the start when the cursor points past the end of the same file', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test'));
    const cursor = JSON.stringify({ ino: statSync(file).ino, offset: 1_000_000 });
    expect(names(read(file, cursor).events)).toEqual(['a.test']);
  });
});

describe('a transfer REFUSED right after the SOA query was refused keeps the SOA reason (notauth)', () => {
  const reasons = (text: string): string[] => {
    const file = newLogFile();
    writeFileSync(file, text);
    return read(file, '').events.map((e) => `${e.view}/${e.name} ${e.outcome}`);
  };

  it('in the same second, as named logs it', () => {
    expect(reasons(soaRefused('x.test') + line('x.test', 0, 'REFUSED'))).toEqual(['v1/x.test notauth', 'v1/x.test notauth']);
  });

  it('up to 5 s later, not 6 s later', () => {
    expect(reasons(soaRefused('x.test') + line('x.test', 5, 'REFUSED'))).toEqual(['v1/x.test notauth', 'v1/x.test notauth']);
    expect(reasons(soaRefused('x.test') + line('x.test', 6, 'REFUSED'))).toEqual(['v1/x.test notauth', 'v1/x.test refused']);
  });

  it('after a transfer that ended NOTAUTH too', () => {
    expect(reasons(line('x.test', 0, 'NOTAUTH') + line('x.test', 2, 'REFUSED'))).toEqual(['v1/x.test notauth', 'v1/x.test notauth']);
  });

  it('only for the same zone in the same view', () => {
    expect(reasons(soaRefused('x.test') + line('y.test', 0, 'REFUSED') + line('x.test', 0, 'REFUSED', 'v2'))).toEqual([
      'v1/x.test notauth', 'v1/y.test refused', 'v2/x.test refused',
    ]);
  });

  it('a transfer REFUSED alone is refused', () => {
    expect(reasons(line('x.test', 0, 'REFUSED'))).toEqual(['v1/x.test refused']);
  });

  it('across a rotation read at once', () => {
    const file = newLogFile();
    writeFileSync(file, line('a.test'));
    const first = read(file, '');
    appendFileSync(file, soaRefused('x.test'));
    renameSync(file, `${file}.0`);
    writeFileSync(file, line('x.test', 1, 'REFUSED'));
    expect(read(file, first.cursor).events.map((e) => e.outcome)).toEqual(['notauth', 'notauth']);
  });

  it('when a reading falls between the two lines', () => {
    const file = newLogFile();
    writeFileSync(file, soaRefused('x.test'));
    const first = read(file, '');
    expect(first.events.map((e) => e.outcome)).toEqual(['notauth']);
    appendFileSync(file, line('x.test', 0, 'REFUSED'));
    expect(read(file, first.cursor).events.map((e) => e.outcome)).toEqual(['notauth']);
  });
});
