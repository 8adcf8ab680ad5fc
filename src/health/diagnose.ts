// What the master of a slave zone must change, in words an administrator passes on to the master's administrator.
// Pure: takes what probeMaster found, returns one finding per master, in the order the masters were probed.
import type { ProbeResult } from '../dns/probe';
import type { Lang } from '../files/settings';

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

/** What a message may say; every field is already text. */
interface Facts {
  zone: string;
  master: string;
  source: string;
  serial: string;
  ours: string;
  /** Seconds waited, '' when not known. */
  waited: string;
  /** The response code, the errno code or the problem, as the probe reported it. */
  rcode: string;
  detail: string;
  /** Why the SOA answer does not count as authoritative; a key of the language's `answers`. */
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

interface Catalog {
  messages: Record<MessageKey, (f: Facts) => string>;
  answers: Record<AnswerKind, (rcode: string) => string>;
  /** Words for an errno code; unknown codes are shown as they are. */
  reasons: Record<string, string>;
  decimalComma: boolean;
}

// Phrases that name our address, or this server when the probe could not tell which address it used.
const en = {
  to: (s: string): string => (s === '' ? 'to this server' : `to ${s}`),
  from: (s: string): string => (s === '' ? 'from this server' : `from ${s}`),
  that: (s: string): string => (s === '' ? "this server's address" : 'that address'),
  within: (w: string): string => (w === '' ? '' : ` within ${w} s`),
};

const EN: Catalog = {
  messages: {
    ok: (f) =>
      `the master ${f.master} serves ${f.zone} with serial ${f.serial} and allows transfers ${en.to(f.source)}; we have the same serial`,
    'ok-untransferred': (f) =>
      `the master ${f.master} serves ${f.zone} with serial ${f.serial} and allows transfers ${en.to(f.source)}; the zone has not been transferred yet: a retransfer is due`,
    behind: (f) => `the master has serial ${f.serial}, we have ${f.ours}: a retransfer is due`,
    older: (f) =>
      `the master ${f.master} has serial ${f.serial}, older than ours (${f.ours}): this server will not take it by itself. Raise the serial on the master above ${f.ours}, or force a retransfer`,
    'axfr-refused': (f) =>
      `the master ${f.master} refuses zone transfers ${en.to(f.source)}: add ${en.that(f.source)} to its allow-transfer for ${f.zone}`,
    'axfr-notauth': (f) =>
      `the master ${f.master} answers for ${f.zone} but does not transfer it (${f.rcode}): make ${f.zone} a primary or secondary zone there that allows transfers ${en.to(f.source)}`,
    'axfr-servfail': (f) =>
      `the master ${f.master} answers for ${f.zone} but its zone transfer fails (SERVFAIL): check the master's log`,
    'axfr-timeout': (f) =>
      `the master ${f.master} answers for ${f.zone} over UDP but not over TCP${en.within(f.waited)}: zone transfers need 53/tcp open ${en.from(f.source)}`,
    'axfr-unreachable': (f) =>
      `the master ${f.master} answers for ${f.zone} over UDP but cannot be reached over TCP (${f.detail}): zone transfers need 53/tcp open ${en.from(f.source)}`,
    'axfr-error': (f) => `the master ${f.master} answers for ${f.zone}, but the zone transfer check failed: ${f.detail}`,
    'not-served': (f) =>
      `the master ${f.master} does not serve ${f.zone} (${EN.answers[f.answer](f.rcode)}): add the zone on the master or correct the master address`,
    'soa-refused': (f) =>
      `the master ${f.master} refuses SOA queries for ${f.zone} ${en.from(f.source)}: if it serves the zone, add ${en.that(f.source)} to its allow-query; if not, add the zone on the master or correct the master address`,
    'soa-refused-transfers': (f) =>
      `the master ${f.master} transfers ${f.zone} ${en.to(f.source)} but refuses its SOA queries, which every refresh starts with: add ${en.that(f.source)} to its allow-query for ${f.zone}`,
    'soa-servfail': (f) =>
      `the master ${f.master} answers SERVFAIL for ${f.zone}: the zone is probably not loaded there. Check the zone file and the master's log`,
    'soa-timeout': (f) =>
      `no answer from ${f.master}${en.within(f.waited)}: check the master address, and that the master lets 53/udp and 53/tcp in ${en.from(f.source)}`,
    'soa-unreachable': (f) => `${f.master} is unreachable (${f.detail}): check the master address and the route to it`,
    'soa-closed': (f) =>
      `${f.master} is unreachable (${f.detail}): no name server answers on its port 53; check the master address and that named runs there`,
    'soa-error': (f) => `the check of the master ${f.master} failed: ${f.detail}`,
  },
  answers: {
    rcode: (rcode) => `it answers ${rcode} for its SOA`,
    'non-aa': () => 'its answer for the SOA is not authoritative',
    'no-soa': () => 'its answer holds no SOA for the zone',
  },
  reasons: {
    EHOSTUNREACH: 'host unreachable',
    ENETUNREACH: 'network unreachable',
    ECONNREFUSED: 'connection refused',
  },
  decimalComma: false,
};

const ru = {
  to: (s: string): string => (s === '' ? 'этому серверу' : `адресу ${s}`),
  from: (s: string): string => (s === '' ? 'с этого сервера' : `с адреса ${s}`),
  that: (s: string): string => (s === '' ? 'адрес этого сервера' : 'этот адрес'),
  within: (w: string): string => (w === '' ? '' : ` за ${w} с`),
};

const RU: Catalog = {
  messages: {
    ok: (f) =>
      `первичный сервер ${f.master} обслуживает ${f.zone} с серийным номером ${f.serial} и разрешает передачу зоны ${ru.to(f.source)}; у нас тот же серийный номер`,
    'ok-untransferred': (f) =>
      `первичный сервер ${f.master} обслуживает ${f.zone} с серийным номером ${f.serial} и разрешает передачу зоны ${ru.to(f.source)}; зона ещё не передавалась: нужна повторная передача`,
    behind: (f) => `у первичного сервера серийный номер ${f.serial}, у нас ${f.ours}: нужна повторная передача зоны`,
    older: (f) =>
      `у первичного сервера ${f.master} серийный номер ${f.serial}, меньше нашего (${f.ours}): сам этот сервер зону не обновит. Увеличьте серийный номер на первичном сервере выше ${f.ours} или выполните повторную передачу вручную`,
    'axfr-refused': (f) =>
      `первичный сервер ${f.master} отказывает в передаче зоны ${ru.to(f.source)}: добавьте ${ru.that(f.source)} в его allow-transfer для ${f.zone}`,
    'axfr-notauth': (f) =>
      `первичный сервер ${f.master} отвечает за ${f.zone}, но не передаёт зону (${f.rcode}): зона должна быть на нём первичной или вторичной и разрешать передачу ${ru.to(f.source)}`,
    'axfr-servfail': (f) =>
      `первичный сервер ${f.master} отвечает за ${f.zone}, но передача зоны завершается ошибкой (SERVFAIL): проверьте журнал первичного сервера`,
    'axfr-timeout': (f) =>
      `первичный сервер ${f.master} отвечает за ${f.zone} по UDP, но не отвечает по TCP${ru.within(f.waited)}: для передачи зоны нужен открытый 53/tcp ${ru.from(f.source)}`,
    'axfr-unreachable': (f) =>
      `первичный сервер ${f.master} отвечает за ${f.zone} по UDP, но недоступен по TCP (${f.detail}): для передачи зоны нужен открытый 53/tcp ${ru.from(f.source)}`,
    'axfr-error': (f) =>
      `первичный сервер ${f.master} отвечает за ${f.zone}, но проверка передачи зоны не удалась: ${f.detail}`,
    'not-served': (f) =>
      `первичный сервер ${f.master} не обслуживает ${f.zone} (${RU.answers[f.answer](f.rcode)}): добавьте зону на первичном сервере или исправьте адрес первичного сервера`,
    'soa-refused': (f) =>
      `первичный сервер ${f.master} отказывает в запросах SOA для ${f.zone} ${ru.from(f.source)}: если зона на нём есть, добавьте ${ru.that(f.source)} в его allow-query; если нет, добавьте зону на первичном сервере или исправьте адрес первичного сервера`,
    'soa-refused-transfers': (f) =>
      `первичный сервер ${f.master} передаёт зону ${f.zone} ${ru.to(f.source)}, но отказывает в запросах SOA, с которых начинается каждое обновление: добавьте ${ru.that(f.source)} в его allow-query для ${f.zone}`,
    'soa-servfail': (f) =>
      `первичный сервер ${f.master} отвечает SERVFAIL для ${f.zone}: вероятно, зона на нём не загружена. Проверьте файл зоны и журнал первичного сервера`,
    'soa-timeout': (f) =>
      `нет ответа от ${f.master}${ru.within(f.waited)}: проверьте адрес первичного сервера и что он принимает 53/udp и 53/tcp ${ru.from(f.source)}`,
    'soa-unreachable': (f) =>
      `первичный сервер ${f.master} недоступен (${f.detail}): проверьте адрес первичного сервера и маршрут до него`,
    'soa-closed': (f) =>
      `первичный сервер ${f.master} недоступен (${f.detail}): на его порту 53 не отвечает сервер имён; проверьте адрес первичного сервера и что named на нём запущен`,
    'soa-error': (f) => `проверка первичного сервера ${f.master} не удалась: ${f.detail}`,
  },
  answers: {
    rcode: (rcode) => `на запрос SOA он отвечает ${rcode}`,
    'non-aa': () => 'его ответ на запрос SOA не авторитетный',
    'no-soa': () => 'в его ответе нет SOA зоны',
  },
  reasons: {
    EHOSTUNREACH: 'узел недоступен',
    ENETUNREACH: 'сеть недоступна',
    ECONNREFUSED: 'соединение отклонено',
  },
  decimalComma: true,
};

const CATALOGS: Record<Lang, Catalog> = { en: EN, ru: RU };
const SERIAL_MAX = 0xffffffff;
const HALF = 0x80000000;

export function diagnose(zone: string, ourSerial: number | null, probes: readonly ProbeResult[], lang: Lang): Finding[] {
  const catalog = CATALOGS[lang];
  if (catalog === undefined) throw new Error(`diagnose: unknown language ${JSON.stringify(lang)}`);
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
      waited: p.timeoutMs === undefined ? '' : seconds(p.timeoutMs, catalog.decimalComma),
      rcode: failed.rcode ?? '',
      detail:
        failed.outcome === 'unreachable' ? reason(failed.detail, catalog) : (failed.detail ?? failed.rcode ?? failed.outcome),
      answer: answerKind(p),
    };
    return { master: p.master, source: facts.source, result: RESULT_OF[key], serial, message: catalog.messages[key](facts) };
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

function reason(code: string | undefined, catalog: Catalog): string {
  if (code === undefined || code === '') return '?';
  return catalog.reasons[code] ?? code;
}

function seconds(ms: number, decimalComma: boolean): string {
  const text = String(Math.round(ms / 100) / 10);
  return decimalComma ? text.replace('.', ',') : text;
}

function isSerial(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n <= SERIAL_MAX;
}
