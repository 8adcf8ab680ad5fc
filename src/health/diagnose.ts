// What the master of a slave zone must change, in words an administrator passes on to the master's administrator.
// Pure: takes what probeMaster found, returns one finding per master, in the order the masters were probed.
import type { ProbeResult } from '../dns/probe';
import { LANGS, msg, verbatim } from '../i18n/msg';
import type { Lang, Msg, MsgArg } from '../i18n/msg';

export type { Lang };

/** 'older': the master's serial is behind ours, so this server will not transfer it by itself. */
export type FindingResult =
  | 'ok'
  | 'behind'
  | 'older'
  | 'refused'
  | 'soa-refused'
  | 'notauth'
  | 'servfail'
  | 'timeout'
  | 'unreachable'
  | 'error';

export interface Finding {
  master: string;
  /** The local address the probe used ('' when unknown): the one the master must allow. */
  source: string;
  result: FindingResult;
  /** The master's serial, '' when it gave none. */
  serial: string;
  message: string;
}

/** What a message may say. */
interface Facts {
  zone: string;
  master: string;
  source: string;
  serial: string;
  ours: string;
  /** Seconds waited, undefined when not known. */
  waited: number | undefined;
  /** The response code, the errno code or the problem, as the probe reported it. */
  rcode: string;
  /** What failed, in words where there are words for it (an errno code), else as the probe reported it. */
  detail: MsgArg;
  /** Why the SOA answer does not count as authoritative. */
  answer: AnswerKind;
}

type AnswerKind = 'rcode' | 'non-aa' | 'no-soa';

type MessageKey =
  | 'ok'
  | 'ok-untransferred'
  | 'behind'
  | 'older'
  | 'axfr-refused'
  | 'axfr-notauth'
  | 'axfr-servfail'
  | 'axfr-timeout'
  | 'axfr-unreachable'
  | 'axfr-error'
  | 'not-served'
  | 'soa-refused'
  | 'soa-refused-transfers'
  | 'soa-servfail'
  | 'soa-timeout'
  | 'soa-unreachable'
  | 'soa-closed'
  | 'soa-error';

const RESULT_OF: Record<MessageKey, FindingResult> = {
  ok: 'ok',
  'ok-untransferred': 'ok',
  behind: 'behind',
  older: 'older',
  'axfr-refused': 'refused',
  'axfr-notauth': 'notauth',
  'axfr-servfail': 'servfail',
  'axfr-timeout': 'timeout',
  'axfr-unreachable': 'unreachable',
  'axfr-error': 'error',
  'not-served': 'notauth',
  'soa-refused': 'soa-refused',
  'soa-refused-transfers': 'soa-refused',
  'soa-servfail': 'servfail',
  'soa-timeout': 'timeout',
  'soa-unreachable': 'unreachable',
  'soa-closed': 'unreachable',
  'soa-error': 'error',
};

// Phrases that name our address, or this server when the probe could not tell which address it used.
const to = (s: string): Msg => (s === '' ? msg`to this server` : msg`to ${s}`);
const from = (s: string): Msg => (s === '' ? msg`from this server` : msg`from ${s}`);
const that = (s: string): Msg => (s === '' ? msg`this server's address` : msg`that address`);
const within = (w: number | undefined): Msg => (w === undefined ? verbatim('') : msg` within ${w} s`);

const ANSWERS: Record<AnswerKind, (rcode: string) => Msg> = {
  rcode: (rcode) => msg`it answers ${rcode} for its SOA`,
  'non-aa': () => msg`its answer for the SOA is not authoritative`,
  'no-soa': () => msg`its answer holds no SOA for the zone`,
};

/** Words for an errno code; unknown codes are shown as they are. */
const ERRNO_WORDS: Readonly<Record<string, Msg>> = {
  EHOSTUNREACH: msg`host unreachable`,
  ENETUNREACH: msg`network unreachable`,
  ECONNREFUSED: msg`connection refused`,
};

const MESSAGES: Record<MessageKey, (f: Facts) => Msg> = {
  ok: (f) =>
    msg`the master ${f.master} serves ${f.zone} with serial ${f.serial} and allows transfers ${to(f.source)}; we have the same serial`,
  'ok-untransferred': (f) =>
    msg`the master ${f.master} serves ${f.zone} with serial ${f.serial} and allows transfers ${to(f.source)}; the zone has not been transferred yet: a retransfer is due`,
  behind: (f) => msg`the master has serial ${f.serial}, we have ${f.ours}: a retransfer is due`,
  older: (f) =>
    msg`the master ${f.master} has serial ${f.serial}, older than ours (${f.ours}): this server will not take it by itself. Raise the serial on the master above ${f.ours}, or force a retransfer`,
  'axfr-refused': (f) =>
    msg`the master ${f.master} refuses zone transfers ${to(f.source)}: add ${that(f.source)} to its allow-transfer for ${f.zone}`,
  'axfr-notauth': (f) =>
    msg`the master ${f.master} answers for ${f.zone} but does not transfer it (${f.rcode}): make ${f.zone} a primary or secondary zone there that allows transfers ${to(f.source)}`,
  'axfr-servfail': (f) =>
    msg`the master ${f.master} answers for ${f.zone} but its zone transfer fails (SERVFAIL): check the master's log`,
  'axfr-timeout': (f) =>
    msg`the master ${f.master} answers for ${f.zone} over UDP but not over TCP${within(f.waited)}: zone transfers need 53/tcp open ${from(f.source)}`,
  'axfr-unreachable': (f) =>
    msg`the master ${f.master} answers for ${f.zone} over UDP but cannot be reached over TCP (${f.detail}): zone transfers need 53/tcp open ${from(f.source)}`,
  'axfr-error': (f) => msg`the master ${f.master} answers for ${f.zone}, but the zone transfer check failed: ${f.detail}`,
  'not-served': (f) =>
    msg`the master ${f.master} does not serve ${f.zone} (${ANSWERS[f.answer](f.rcode)}): add the zone on the master or correct the master address`,
  'soa-refused': (f) =>
    msg`the master ${f.master} refuses SOA queries for ${f.zone} ${from(f.source)}: if it serves the zone, add ${that(f.source)} to its allow-query; if not, add the zone on the master or correct the master address`,
  'soa-refused-transfers': (f) =>
    msg`the master ${f.master} transfers ${f.zone} ${to(f.source)} but refuses its SOA queries, which every refresh starts with: add ${that(f.source)} to its allow-query for ${f.zone}`,
  'soa-servfail': (f) =>
    msg`the master ${f.master} answers SERVFAIL for ${f.zone}: the zone is probably not loaded there. Check the zone file and the master's log`,
  'soa-timeout': (f) =>
    msg`no answer from ${f.master}${within(f.waited)}: check the master address, and that the master lets 53/udp and 53/tcp in ${from(f.source)}`,
  'soa-unreachable': (f) => msg`${f.master} is unreachable (${f.detail}): check the master address and the route to it`,
  'soa-closed': (f) =>
    msg`${f.master} is unreachable (${f.detail}): no name server answers on its port 53; check the master address and that named runs there`,
  'soa-error': (f) => msg`the check of the master ${f.master} failed: ${f.detail}`,
};

const SERIAL_MAX = 0xffffffff;
const HALF = 0x80000000;

export function diagnose(zone: string, ourSerial: number | null, probes: readonly ProbeResult[], lang: Lang): Finding[] {
  if (!LANGS.includes(lang)) throw new Error(`diagnose: unknown language ${JSON.stringify(lang)}`);
  if (ourSerial !== null && !isSerial(ourSerial)) throw new Error(`diagnose: not a serial: ${String(ourSerial)}`);
  return probes.map((p) => {
    const key = classify(p, ourSerial);
    const serial = p.soa.outcome === 'ok' && p.soa.serial !== undefined ? String(p.soa.serial) : '';
    const failed = key.startsWith('axfr-') ? p.axfr : p.soa;
    const facts: Facts = {
      zone,
      master: p.master,
      source: p.source ?? '',
      serial,
      ours: ourSerial === null ? '' : String(ourSerial),
      waited: p.timeoutMs === undefined ? undefined : Math.round(p.timeoutMs / 100) / 10,
      rcode: failed.rcode ?? '',
      detail:
        failed.outcome === 'unreachable' ? errnoWords(failed.detail) : (failed.detail ?? failed.rcode ?? failed.outcome),
      answer: answerKind(p),
    };
    return { master: p.master, source: facts.source, result: RESULT_OF[key], serial, message: MESSAGES[key](facts).in(lang) };
  });
}

/**
 * RFC 1982 serial number arithmetic: -1 when `a` precedes `b`, 1 when it follows, 0 when equal, and undefined when
 * they are exactly half the number space apart (the RFC leaves that comparison undefined; named transfers neither).
 */
export function compareSerials(a: number, b: number): -1 | 0 | 1 | undefined {
  if (!isSerial(a) || !isSerial(b)) throw new Error(`compareSerials: not serials: ${String(a)}, ${String(b)}`);
  if (a === b) return 0;
  const ahead = (b - a + SERIAL_MAX + 1) % (SERIAL_MAX + 1); // how far b is past a, modulo 2^32
  if (ahead === HALF) return undefined;
  return ahead < HALF ? -1 : 1;
}

// The first problem a refresh would hit decides: the SOA query comes first, the transfer after it.
function classify(p: ProbeResult, ourSerial: number | null): MessageKey {
  const { soa, axfr } = p;
  switch (soa.outcome) {
    case 'ok':
      break;
    case 'refused':
      if (axfr.outcome === 'ok') return 'soa-refused-transfers';
      return axfr.outcome === 'refused' || axfr.outcome === 'notauth' ? 'not-served' : 'soa-refused';
    case 'notauth':
      return 'not-served';
    case 'servfail':
      return 'soa-servfail';
    case 'timeout':
      return 'soa-timeout';
    case 'unreachable':
      // ICMP port unreachable: the host is there, its name server is not.
      return soa.detail === 'ECONNREFUSED' ? 'soa-closed' : 'soa-unreachable';
    case 'error':
      return 'soa-error';
  }
  switch (axfr.outcome) {
    case 'ok':
      break;
    case 'refused':
      return 'axfr-refused';
    case 'notauth':
      return 'axfr-notauth';
    case 'servfail':
      return 'axfr-servfail';
    case 'timeout':
      return 'axfr-timeout';
    case 'unreachable':
      return 'axfr-unreachable';
    case 'error':
    case 'skipped':
      return 'axfr-error';
  }
  if (ourSerial === null) return 'ok-untransferred';
  if (soa.serial === undefined || !isSerial(soa.serial)) return 'soa-error';
  const order = compareSerials(ourSerial, soa.serial);
  if (order === 0) return 'ok';
  return order === -1 ? 'behind' : 'older';
}

function answerKind(p: ProbeResult): AnswerKind {
  if (p.soa.outcome !== 'notauth' || p.soa.rcode !== 'NOERROR') return 'rcode';
  return p.soa.authoritative === false ? 'non-aa' : 'no-soa';
}

function errnoWords(code: string | undefined): MsgArg {
  if (code === undefined || code === '') return '?';
  return Object.hasOwn(ERRNO_WORDS, code) ? (ERRNO_WORDS[code] as Msg) : code;
}

function isSerial(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= SERIAL_MAX;
}
