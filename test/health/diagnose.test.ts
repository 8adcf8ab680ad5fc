import { describe, expect, it } from 'vitest';
import type { AxfrProbe, ProbeResult, SoaProbe } from '../../src/dns/probe';
import { compareSerials, diagnose } from '../../src/health/diagnose';
import type { Lang } from '../../src/health/diagnose';

const Z = 'example.com';
const M = '198.51.100.5';
const S = '198.51.100.2';

function probe(soa: SoaProbe, axfr: AxfrProbe, extra: Partial<ProbeResult> = {}): ProbeResult {
  return { master: M, source: S, timeoutMs: 5000, soa, axfr, ...extra };
}
const soaOk = (serial: number): SoaProbe => ({ outcome: 'ok', serial, rcode: 'NOERROR', authoritative: true });
const AXFR_OK: AxfrProbe = { outcome: 'ok', rcode: 'NOERROR' };
const SKIPPED: AxfrProbe = { outcome: 'skipped' };

interface Case {
  what: string;
  probe: ProbeResult;
  ours: number | null;
  result: string;
  serial: string;
  en: string;
  ru: string;
}

const CASES: Case[] = [
  {
    what: 'ok: same serial',
    probe: probe(soaOk(2026113001), AXFR_OK),
    ours: 2026113001,
    result: 'ok',
    serial: '2026113001',
    en: 'the master 198.51.100.5 serves example.com with serial 2026113001 and allows transfers to 198.51.100.2; we have the same serial',
    ru: 'первичный сервер 198.51.100.5 обслуживает example.com с серийным номером 2026113001 и разрешает передачу зоны адресу 198.51.100.2; у нас тот же серийный номер',
  },
  {
    what: 'ok: never transferred',
    probe: probe(soaOk(2026113001), AXFR_OK),
    ours: null,
    result: 'ok',
    serial: '2026113001',
    en: 'the master 198.51.100.5 serves example.com with serial 2026113001 and allows transfers to 198.51.100.2; the zone has not been transferred yet: a retransfer is due',
    ru: 'первичный сервер 198.51.100.5 обслуживает example.com с серийным номером 2026113001 и разрешает передачу зоны адресу 198.51.100.2; зона ещё не передавалась: нужна повторная передача',
  },
  {
    what: 'behind',
    probe: probe(soaOk(2026113002), AXFR_OK),
    ours: 2026113001,
    result: 'behind',
    serial: '2026113002',
    en: 'the master has serial 2026113002, we have 2026113001: a retransfer is due',
    ru: 'у первичного сервера серийный номер 2026113002, у нас 2026113001: нужна повторная передача зоны',
  },
  {
    what: 'behind: the master serial wrapped past 2^32',
    probe: probe(soaOk(5), AXFR_OK),
    ours: 4294967290,
    result: 'behind',
    serial: '5',
    en: 'the master has serial 5, we have 4294967290: a retransfer is due',
    ru: 'у первичного сервера серийный номер 5, у нас 4294967290: нужна повторная передача зоны',
  },
  {
    what: 'older: the master went back',
    probe: probe(soaOk(2026113001), AXFR_OK),
    ours: 2026113002,
    result: 'older',
    serial: '2026113001',
    en: 'the master 198.51.100.5 has serial 2026113001, older than ours (2026113002): this server will not take it by itself. Raise the serial on the master above 2026113002, or force a retransfer',
    ru: 'у первичного сервера 198.51.100.5 серийный номер 2026113001, меньше нашего (2026113002): сам этот сервер зону не обновит. Увеличьте серийный номер на первичном сервере выше 2026113002 или выполните повторную передачу вручную',
  },
  {
    what: 'refused: AXFR refused, SOA served',
    probe: probe(soaOk(7), { outcome: 'refused', rcode: 'REFUSED' }),
    ours: 7,
    result: 'refused',
    serial: '7',
    en: 'the master 198.51.100.5 refuses zone transfers to 198.51.100.2: add that address to its allow-transfer for example.com',
    ru: 'первичный сервер 198.51.100.5 отказывает в передаче зоны адресу 198.51.100.2: добавьте этот адрес в его allow-transfer для example.com',
  },
  {
    what: 'notauth: zone not served (REFUSED SOA, NOTAUTH AXFR, as named 9.18 answers)',
    probe: probe({ outcome: 'refused', rcode: 'REFUSED', authoritative: false }, { outcome: 'notauth', rcode: 'NOTAUTH' }),
    ours: null,
    result: 'notauth',
    serial: '',
    en: 'the master 198.51.100.5 does not serve example.com (it answers REFUSED for its SOA): add the zone on the master or correct the master address',
    ru: 'первичный сервер 198.51.100.5 не обслуживает example.com (на запрос SOA он отвечает REFUSED): добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  },
  {
    what: 'notauth: NOTAUTH SOA',
    probe: probe({ outcome: 'notauth', rcode: 'NOTAUTH', authoritative: false }, { outcome: 'notauth', rcode: 'NOTAUTH' }),
    ours: 1,
    result: 'notauth',
    serial: '',
    en: 'the master 198.51.100.5 does not serve example.com (it answers NOTAUTH for its SOA): add the zone on the master or correct the master address',
    ru: 'первичный сервер 198.51.100.5 не обслуживает example.com (на запрос SOA он отвечает NOTAUTH): добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  },
  {
    what: 'notauth: an answer without AA',
    probe: probe({ outcome: 'notauth', rcode: 'NOERROR', authoritative: false }, { outcome: 'refused', rcode: 'REFUSED' }),
    ours: 1,
    result: 'notauth',
    serial: '',
    en: 'the master 198.51.100.5 does not serve example.com (its answer for the SOA is not authoritative): add the zone on the master or correct the master address',
    ru: 'первичный сервер 198.51.100.5 не обслуживает example.com (его ответ на запрос SOA не авторитетный): добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  },
  {
    what: 'notauth: an authoritative answer without the SOA',
    probe: probe({ outcome: 'notauth', rcode: 'NOERROR', authoritative: true }, { outcome: 'notauth', rcode: 'NOTAUTH' }),
    ours: 1,
    result: 'notauth',
    serial: '',
    en: 'the master 198.51.100.5 does not serve example.com (its answer holds no SOA for the zone): add the zone on the master or correct the master address',
    ru: 'первичный сервер 198.51.100.5 не обслуживает example.com (в его ответе нет SOA зоны): добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  },
  {
    what: 'notauth: SOA served, AXFR NOTAUTH',
    probe: probe(soaOk(3), { outcome: 'notauth', rcode: 'NOTAUTH' }),
    ours: 3,
    result: 'notauth',
    serial: '3',
    en: 'the master 198.51.100.5 answers for example.com but does not transfer it (NOTAUTH): make example.com a primary or secondary zone there that allows transfers to 198.51.100.2',
    ru: 'первичный сервер 198.51.100.5 отвечает за example.com, но не передаёт зону (NOTAUTH): зона example.com должна быть на нём первичной или вторичной и разрешать передачу адресу 198.51.100.2',
  },
  {
    what: 'soa-refused: transfers allowed, SOA queries not',
    probe: probe({ outcome: 'refused', rcode: 'REFUSED', authoritative: false }, AXFR_OK),
    ours: 3,
    result: 'soa-refused',
    serial: '',
    en: 'the master 198.51.100.5 transfers example.com to 198.51.100.2 but refuses its SOA queries, which every refresh starts with: add that address to its allow-query for example.com',
    ru: 'первичный сервер 198.51.100.5 передаёт зону example.com адресу 198.51.100.2, но отказывает в запросах SOA, с которых начинается каждое обновление: добавьте этот адрес в его allow-query для example.com',
  },
  {
    what: 'soa-refused: SOA refused, transfer not answered',
    probe: probe({ outcome: 'refused', rcode: 'REFUSED', authoritative: false }, { outcome: 'timeout', detail: 'no TCP connection' }),
    ours: 3,
    result: 'soa-refused',
    serial: '',
    en: 'the master 198.51.100.5 refuses SOA queries for example.com from 198.51.100.2: if it serves the zone, add that address to its allow-query; if not, add the zone on the master or correct the master address',
    ru: 'первичный сервер 198.51.100.5 отказывает в запросах SOA для example.com с адреса 198.51.100.2: если зона на нём есть, добавьте этот адрес в его allow-query; если нет, добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  },
  {
    what: 'servfail: SOA',
    probe: probe({ outcome: 'servfail', rcode: 'SERVFAIL', authoritative: false }, { outcome: 'servfail', rcode: 'SERVFAIL' }),
    ours: 3,
    result: 'servfail',
    serial: '',
    en: "the master 198.51.100.5 answers SERVFAIL for example.com: the zone is probably not loaded there. Check the zone file and the master's log",
    ru: 'первичный сервер 198.51.100.5 отвечает SERVFAIL для example.com: вероятно, зона на нём не загружена. Проверьте файл зоны и журнал первичного сервера',
  },
  {
    what: 'servfail: AXFR',
    probe: probe(soaOk(3), { outcome: 'servfail', rcode: 'SERVFAIL' }),
    ours: 3,
    result: 'servfail',
    serial: '3',
    en: "the master 198.51.100.5 answers for example.com but its zone transfer fails (SERVFAIL): check the master's log",
    ru: 'первичный сервер 198.51.100.5 отвечает за example.com, но передача зоны завершается ошибкой (SERVFAIL): проверьте журнал первичного сервера',
  },
  {
    what: 'timeout: SOA',
    probe: probe({ outcome: 'timeout' }, SKIPPED),
    ours: 3,
    result: 'timeout',
    serial: '',
    en: 'no answer from 198.51.100.5 within 5 s: check the master address, and that the master lets 53/udp and 53/tcp in from 198.51.100.2',
    ru: 'нет ответа от 198.51.100.5 за 5 с: проверьте адрес первичного сервера и что он принимает 53/udp и 53/tcp с адреса 198.51.100.2',
  },
  {
    what: 'timeout: SOA, a fractional timeout',
    probe: probe({ outcome: 'timeout' }, SKIPPED, { timeoutMs: 1500 }),
    ours: 3,
    result: 'timeout',
    serial: '',
    en: 'no answer from 198.51.100.5 within 1.5 s: check the master address, and that the master lets 53/udp and 53/tcp in from 198.51.100.2',
    ru: 'нет ответа от 198.51.100.5 за 1,5 с: проверьте адрес первичного сервера и что он принимает 53/udp и 53/tcp с адреса 198.51.100.2',
  },
  {
    what: 'timeout: AXFR only',
    probe: probe(soaOk(3), { outcome: 'timeout', detail: 'no TCP connection' }),
    ours: 3,
    result: 'timeout',
    serial: '3',
    en: 'the master 198.51.100.5 answers for example.com over UDP but not over TCP within 5 s: zone transfers need 53/tcp open from 198.51.100.2',
    ru: 'первичный сервер 198.51.100.5 отвечает за example.com по UDP, но не отвечает по TCP за 5 с: для передачи зоны нужен открытый 53/tcp с адреса 198.51.100.2',
  },
  {
    what: 'unreachable: host',
    probe: probe({ outcome: 'unreachable', detail: 'EHOSTUNREACH' }, SKIPPED),
    ours: 3,
    result: 'unreachable',
    serial: '',
    en: '198.51.100.5 is unreachable (host unreachable): check the master address and the route to it',
    ru: 'первичный сервер 198.51.100.5 недоступен (узел недоступен): проверьте адрес первичного сервера и маршрут до него',
  },
  {
    what: 'unreachable: network',
    probe: probe({ outcome: 'unreachable', detail: 'ENETUNREACH' }, SKIPPED),
    ours: 3,
    result: 'unreachable',
    serial: '',
    en: '198.51.100.5 is unreachable (network unreachable): check the master address and the route to it',
    ru: 'первичный сервер 198.51.100.5 недоступен (сеть недоступна): проверьте адрес первичного сервера и маршрут до него',
  },
  {
    what: 'unreachable: port 53 closed',
    probe: probe({ outcome: 'unreachable', detail: 'ECONNREFUSED' }, SKIPPED),
    ours: 3,
    result: 'unreachable',
    serial: '',
    en: '198.51.100.5 is unreachable (connection refused): no name server answers on its port 53; check the master address and that named runs there',
    ru: 'первичный сервер 198.51.100.5 недоступен (соединение отклонено): на его порту 53 не отвечает сервер имён; проверьте адрес первичного сервера и что named на нём запущен',
  },
  {
    what: 'unreachable: TCP only',
    probe: probe(soaOk(3), { outcome: 'unreachable', detail: 'ECONNREFUSED' }),
    ours: 3,
    result: 'unreachable',
    serial: '3',
    en: 'the master 198.51.100.5 answers for example.com over UDP but cannot be reached over TCP (connection refused): zone transfers need 53/tcp open from 198.51.100.2',
    ru: 'первичный сервер 198.51.100.5 отвечает за example.com по UDP, но недоступен по TCP (соединение отклонено): для передачи зоны нужен открытый 53/tcp с адреса 198.51.100.2',
  },
  {
    what: 'error: SOA',
    probe: probe({ outcome: 'error', detail: 'EADDRNOTAVAIL: bind failed' }, { outcome: 'error', detail: 'x' }),
    ours: 3,
    result: 'error',
    serial: '',
    en: 'the check of the master 198.51.100.5 failed: EADDRNOTAVAIL: bind failed',
    ru: 'проверка первичного сервера 198.51.100.5 не удалась: EADDRNOTAVAIL: bind failed',
  },
  {
    what: 'error: AXFR',
    probe: probe(soaOk(3), { outcome: 'error', rcode: 'NOERROR', detail: 'the transfer does not start with the SOA of the zone' }),
    ours: 3,
    result: 'error',
    serial: '3',
    en: 'the master 198.51.100.5 answers for example.com, but the zone transfer check failed: the transfer does not start with the SOA of the zone',
    ru: 'первичный сервер 198.51.100.5 отвечает за example.com, но проверка передачи зоны не удалась: the transfer does not start with the SOA of the zone',
  },
];

describe('diagnose', () => {
  for (const lang of ['en', 'ru'] as const) {
    it.each(CASES)(`${lang}: $what`, (c) => {
      expect(diagnose(Z, c.ours, [c.probe], lang)).toEqual([
        { master: M, source: S, result: c.result, serial: c.serial, message: c[lang] },
      ]);
    });
  }

  it('covers every result code in both languages', () => {
    const codes = new Set(CASES.map((c) => c.result));
    expect([...codes].sort()).toEqual(
      ['ok', 'behind', 'older', 'refused', 'soa-refused', 'notauth', 'servfail', 'timeout', 'unreachable', 'error'].sort(),
    );
  });

  // 'error' findings quote the probe's detail (a system message) as it came.
  it('keeps the Russian messages Russian', () => {
    for (const c of CASES.filter((k) => k.result !== 'error')) {
      const [finding] = diagnose(Z, c.ours, [c.probe], 'ru');
      expect(finding?.message).toMatch(/[а-яё]/);
      expect(finding?.message).not.toMatch(/\b(the|master|serial|undefined)\b/);
    }
  });

  it('speaks of this server when the probe could not tell its address', () => {
    const refused = probe(soaOk(7), { outcome: 'refused', rcode: 'REFUSED' }, { source: undefined });
    delete refused.source;
    const expected: Record<Lang, string> = {
      en: "the master 198.51.100.5 refuses zone transfers to this server: add this server's address to its allow-transfer for example.com",
      ru: 'первичный сервер 198.51.100.5 отказывает в передаче зоны этому серверу: добавьте адрес этого сервера в его allow-transfer для example.com',
    };
    for (const lang of ['en', 'ru'] as const) {
      expect(diagnose(Z, 7, [refused], lang)).toEqual([
        { master: M, source: '', result: 'refused', serial: '7', message: expected[lang] },
      ]);
    }
  });

  it('leaves out how long it waited when the probe does not say', () => {
    const silent = probe({ outcome: 'timeout' }, SKIPPED);
    delete silent.timeoutMs;
    expect(diagnose(Z, 1, [silent], 'en')[0]?.message).toMatch(/^no answer from 198\.51\.100\.5: check/);
    expect(diagnose(Z, 1, [silent], 'ru')[0]?.message).toMatch(/^нет ответа от 198\.51\.100\.5: проверьте/);
  });

  it('calls serials exactly half the number space apart older: named would not transfer either', () => {
    expect(diagnose(Z, 0x80000000, [probe(soaOk(0), AXFR_OK)], 'en')[0]?.result).toBe('older');
  });

  it('gives one finding per master, in the order the masters were probed', () => {
    const probes = [
      probe({ outcome: 'timeout' }, SKIPPED, { master: '198.51.100.7' }),
      probe(soaOk(9), AXFR_OK, { master: '2001:db8:100::1', source: '2001:db8:100::2' }),
      probe(soaOk(8), { outcome: 'refused', rcode: 'REFUSED' }, { master: '198.51.100.5' }),
    ];
    const findings = diagnose(Z, 8, probes, 'en');
    expect(findings.map((f) => [f.master, f.source, f.result, f.serial])).toEqual([
      ['198.51.100.7', S, 'timeout', ''],
      ['2001:db8:100::1', '2001:db8:100::2', 'behind', '9'],
      ['198.51.100.5', S, 'refused', '8'],
    ]);
    expect(diagnose(Z, 8, [], 'en')).toEqual([]);
  });

  it('throws for a caller mistake', () => {
    expect(() => diagnose(Z, -1, [], 'en')).toThrow(/not a serial/);
    expect(() => diagnose(Z, 2 ** 32, [], 'en')).toThrow(/not a serial/);
    expect(() => diagnose(Z, 1.5, [], 'en')).toThrow(/not a serial/);
    expect(() => diagnose(Z, 1, [], 'de' as Lang)).toThrow(/unknown language/);
  });
});

describe('compareSerials (RFC 1982)', () => {
  it.each([
    [1, 1, 0],
    [1, 2, -1],
    [2, 1, 1],
    [2026113001, 2026113002, -1],
    [0xffffffff, 0, -1], // wrapped: 0 follows 4294967295
    [0, 0xffffffff, 1],
    [4294967290, 5, -1],
    [1, 0x80000000, -1], // 2^31 - 1 ahead: still newer
    [0x80000000, 1, 1],
    [0, 0x80000000, undefined], // exactly half apart: undefined
    [0x80000000, 0, undefined],
    [1, 0x80000001, undefined],
  ] as const)('%d vs %d → %s', (a, b, expected) => {
    expect(compareSerials(a, b)).toBe(expected);
  });

  it('refuses what is not a 32-bit serial', () => {
    expect(() => compareSerials(-1, 0)).toThrow(/not serials/);
    expect(() => compareSerials(0, 2 ** 32)).toThrow(/not serials/);
    expect(() => compareSerials(Number.NaN, 0)).toThrow(/not serials/);
  });
});
