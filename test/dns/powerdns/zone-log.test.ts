import { appendFileSync, mkdtempSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ZoneEvent } from '../../../src/dns/backend';
import { parsePdnsLogLine, readPdnsLogs } from '../../../src/dns/powerdns/zone-log';

// Lines pdns_server 4.7.3 wrote in the test network (loglevel 6).
const NOW = new Date(2026, 10, 30, 16, 0, 0);
const at = (h: number, m: number, s: number): number => Math.floor(new Date(2026, 10, 30, h, m, s).getTime() / 1000);

describe('parsePdnsLogLine', () => {
  it.each([
    ["Nov 30 15:23:51 AXFR-in zone: 'example.com', primary: '198.51.100.5', zone committed with serial 2026113001", 'example.com', 'ok'],
    ["Nov 30 15:23:51 XFR-in zone: 'refused.example', primary: '198.51.100.5', unable to xfr zone (ResolverException): AXFR chunk error: Query Refused (This was attempt number 1. Excluding zone from slave-checks until 1796052291)", 'refused.example', 'refused'],
    ["Nov 30 15:23:51 XFR-in zone: 'notauth.example', primary: '198.51.100.5', unable to xfr zone (ResolverException): AXFR chunk error: Server Not Authoritative for zone / Not Authorized (This was attempt number 1. Excluding zone from slave-checks until 1796052291)", 'notauth.example', 'notauth'],
    ["Nov 30 15:23:51 XFR-in zone: 'timeout.example', primary: '203.0.113.99', unable to xfr zone (ResolverException): connect: Network is unreachable (This was attempt number 1. Excluding zone from slave-checks until 1796052291)", 'timeout.example', 'unreachable'],
    ["Nov 30 15:23:59 XFR-in zone: 'silent.example', primary: '203.0.113.50', unable to xfr zone (ResolverException): Error connecting: Connection refused (This was attempt number 1. Excluding zone from slave-checks until 1796052299)", 'silent.example', 'unreachable'],
  ])('%s', (line, name, outcome) => {
    const e = parsePdnsLogLine('_ns3', line, NOW);
    expect(e && { view: e.view, name: e.name, outcome: e.outcome }).toEqual({ view: '_ns3', name, outcome });
    expect(e?.detail).toBe(line.slice(16, 216) + (line.length - 16 > 200 ? '…' : ''));
  });

  it('reads the time as local, this year, or last year for a date ahead of now', () => {
    const line = "Nov 30 15:23:51 AXFR-in zone: 'example.com', primary: '198.51.100.5', zone committed with serial 1";
    expect(parsePdnsLogLine('_ns3', line, NOW)?.at).toBe(at(15, 23, 51));
    const newYear = new Date(2027, 0, 1, 0, 5, 0);
    expect(parsePdnsLogLine('_ns3', line.replace('Nov 30', 'Dec 31'), newYear)?.at).toBe(Math.floor(new Date(2026, 11, 31, 15, 23, 51).getTime() / 1000));
  });

  it.each([
    "Nov 30 15:23:51 No serial for 'example.com' found - zone is missing?",
    "Nov 30 15:23:51 XFR-in zone: 'example.com', primary: '198.51.100.5', starting AXFR",
    'Nov 30 15:23:51 [webserver] 0a9e 127.0.0.1:47088 "POST /api/v1/servers/localhost/zones HTTP/1.1" 201 775',
    'not a log line',
  ])('skips %j', (line) => {
    expect(parsePdnsLogLine('_ns3', line, NOW)).toBeUndefined();
  });
});

describe('readPdnsLogs', () => {
  it('reads each instance\'s log from where the last reading stopped, whole lines only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-pdnslog-'));
    const a = join(dir, 'pdns-_ns1.log');
    const b = join(dir, 'pdns-_ns2.log');
    const ok = (zone: string) => `Nov 30 15:00:00 AXFR-in zone: '${zone}', primary: '198.51.100.1', zone committed with serial 1\n`;
    writeFileSync(a, ok('a.example'));
    writeFileSync(b, `${ok('b.example')}Nov 30 15:00:01 AXFR-in zone: 'c.exa`);
    const logs = new Map([['_ns1', a], ['_ns2', b]]);
    const seen: ZoneEvent[] = [];
    const first = readPdnsLogs(logs, '', (e) => seen.push(e));
    expect(seen.map((e) => `${e.view} ${e.name}`)).toEqual(['_ns1 a.example', '_ns2 b.example']);
    appendFileSync(b, "mple', primary: '198.51.100.1', zone committed with serial 2\n");
    appendFileSync(a, ok('d.example'));
    seen.length = 0;
    const second = readPdnsLogs(logs, first, (e) => seen.push(e));
    expect(seen.map((e) => `${e.view} ${e.name}`)).toEqual(['_ns1 d.example', '_ns2 c.example']);
    seen.length = 0;
    readPdnsLogs(logs, second, (e) => seen.push(e));
    expect(seen).toEqual([]);
    // A log started anew (the instance's file replaced) is read from its start.
    writeFileSync(`${a}.new`, ok('e.example'));
    renameSync(`${a}.new`, a);
    readPdnsLogs(logs, second, (e) => seen.push(e));
    expect(seen.map((e) => e.name)).toEqual(['e.example']);
  });
});
