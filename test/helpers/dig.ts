// dig, run inside a namespace, with its text answer parsed into something a test can assert on.
import { nsExec } from './netns';

export interface DigRecord {
  name: string;
  ttl: number;
  class: string;
  type: string;
  rdata: string;
}

export interface DigAnswer {
  /**
   * The response code (NOERROR, REFUSED, SERVFAIL, NXDOMAIN, NOTAUTH…); 'TIMEOUT' when no answer came at all (timed
   * out, connection refused, network unreachable: see `error`). A successful AXFR/IXFR prints no header and counts
   * as NOERROR; a refused one carries the server's code (REFUSED, NOTAUTH); any other failed transfer is
   * 'TRANSFER_FAILED'.
   */
  status: string;
  /** Rdata of each answer record, as dig prints it (TXT keeps its quotes). */
  answers: string[];
  /** The full answer records; for AXFR, the whole zone including both SOAs. */
  records: DigRecord[];
  /** Authoritative answer flag; for AXFR/IXFR, true when the transfer succeeded. */
  aa: boolean;
  /** Serial of the first SOA in the answer. */
  serial?: number;
  /** dig's own complaint (";; communications error …"), when there was one. */
  error?: string;
}

/**
 * `dig +tries=1 +time=1 @server name type +noall +answer +comments` inside namespace `ns`: one try, one second, so
 * a dead server costs about a second (more for TCP-based AXFR).
 */
export async function dig(
  ns: string,
  server: string,
  name: string,
  type = 'SOA',
  extra: string[] = [],
): Promise<DigAnswer> {
  const result = await nsExec(
    ns,
    'dig',
    ['+tries=1', '+time=1', `@${server}`, name, type, '+noall', '+answer', '+comments', ...extra],
    { reject: false, timeout: 15_000 },
  );
  return parseDig(`${result.stdout}\n${result.stderr}`, result.exitCode ?? -1, type);
}

/** Parses dig's `+noall +answer +comments` output; exported for unit tests of the parser. */
export function parseDig(output: string, exitCode: number, type: string): DigAnswer {
  const lines = output.split('\n');
  const records: DigRecord[] = [];
  let status: string | undefined;
  let aa = false;
  let error: string | undefined;
  for (const line of lines) {
    const header = /^;; ->>HEADER<<-.* status: ([A-Z]+)/.exec(line);
    if (header?.[1] !== undefined && status === undefined) status = header[1];
    const flags = /^;; flags: ([^;]*);/.exec(line);
    if (flags?.[1] !== undefined) aa ||= flags[1].split(/\s+/).includes('aa');
    if (/communications error|failed: |no servers could be reached|Transfer failed/i.test(line)) {
      error ??= line.replace(/^;+\s*/, '');
    }
    const record = /^(\S+)\s+(\d+)\s+(\S+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!line.startsWith(';') && record !== null) {
      const [, rname = '', ttl = '0', rclass = '', rtype = '', rdata = ''] = record;
      records.push({ name: rname, ttl: Number(ttl), class: rclass, type: rtype, rdata: rdata.trim() });
    }
  }

  const transferFailed = lines.some((line) => line.startsWith('; Transfer failed'));
  // A successful AXFR/IXFR prints no header: records and no complaint mean NOERROR.
  status ??= transferFailed ? 'TRANSFER_FAILED' : records.length > 0 && exitCode === 0 ? 'NOERROR' : 'TIMEOUT';
  if (/^(AXFR|IXFR)/i.test(type)) {
    if (transferFailed && status === 'NOERROR') status = 'TRANSFER_FAILED';
    aa = status === 'NOERROR' && records.length > 0;
  }

  const soa = records.find((r) => r.type === 'SOA');
  const serialText = soa?.rdata.split(/\s+/)[2];
  const answer: DigAnswer = { status, answers: records.map((r) => r.rdata), records, aa };
  if (serialText !== undefined && /^\d+$/.test(serialText)) answer.serial = Number(serialText);
  if (error !== undefined) answer.error = error;
  return answer;
}

/** The answers' data (whitespace single), sorted: what a test compares with the records it expects. */
export async function digAnswers(ns: string, server: string, name: string, type: string): Promise<string[]> {
  return (await dig(ns, server, name, type)).answers.map((a) => a.replace(/\s+/g, ' ')).sort();
}

/** Only the response code: NOERROR, NXDOMAIN, REFUSED… */
export async function digStatus(ns: string, server: string, name: string, type = 'SOA'): Promise<string> {
  return (await dig(ns, server, name, type)).status;
}
