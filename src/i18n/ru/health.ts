// Zone health: the reason column of the domain lists (src/health/reasons.ts, in the panel's own words) and what
// domain.check says the master must change (src/health/diagnose.ts).
export const HEALTH: Readonly<Record<string, string>> = {
  // src/health/reasons.ts
  'Master refuses the transfer': 'Первичный сервер отказывает в передаче',
  'Master does not serve the zone': 'Первичный сервер не обслуживает зону',
  'No answer from the master': 'Первичный сервер не отвечает',
  'Master unreachable': 'Первичный сервер недоступен',
  'Transfer failed': 'Ошибка передачи',
  'Expired': 'Срок действия истёк',
  'Never loaded': 'Ни разу не загружалась',
  'Missing from the name server': 'Отсутствует на сервере имён',

  // src/health/diagnose.ts: phrases
  'to this server': 'этому серверу',
  'to {0}': 'адресу {0}',
  'from this server': 'с этого сервера',
  'from {0}': 'с адреса {0}',
  "this server's address": 'адрес этого сервера',
  'that address': 'этот адрес',
  ' within {0} s': ' за {0} с',
  'it answers {0} for its SOA': 'на запрос SOA он отвечает {0}',
  'its answer for the SOA is not authoritative': 'его ответ на запрос SOA не авторитетный',
  'its answer holds no SOA for the zone': 'в его ответе нет SOA зоны',
  'host unreachable': 'узел недоступен',
  'network unreachable': 'сеть недоступна',
  'connection refused': 'соединение отклонено',

  // src/health/diagnose.ts: findings
  'the master {0} serves {1} with serial {2} and allows transfers {3}; we have the same serial':
    'первичный сервер {0} обслуживает {1} с серийным номером {2} и разрешает передачу зоны {3}; у нас тот же серийный номер',
  'the master {0} serves {1} with serial {2} and allows transfers {3}; the zone has not been transferred yet: a retransfer is due':
    'первичный сервер {0} обслуживает {1} с серийным номером {2} и разрешает передачу зоны {3}; зона ещё не передавалась: нужна повторная передача',
  'the master has serial {0}, we have {1}: a retransfer is due': 'у первичного сервера серийный номер {0}, у нас {1}: нужна повторная передача зоны',
  'the master {0} has serial {1}, older than ours ({2}): this server will not take it by itself. Raise the serial on the master above {3}, or force a retransfer':
    'у первичного сервера {0} серийный номер {1}, меньше нашего ({2}): сам этот сервер зону не обновит. Увеличьте серийный номер на первичном сервере выше {3} или выполните повторную передачу вручную',
  'the master {0} refuses zone transfers {1}: add {2} to its allow-transfer for {3}':
    'первичный сервер {0} отказывает в передаче зоны {1}: добавьте {2} в его allow-transfer для {3}',
  'the master {0} answers for {1} but does not transfer it ({2}): make {3} a primary or secondary zone there that allows transfers {4}':
    'первичный сервер {0} отвечает за {1}, но не передаёт зону ({2}): зона {3} должна быть на нём первичной или вторичной и разрешать передачу {4}',
  "the master {0} answers for {1} but its zone transfer fails (SERVFAIL): check the master's log":
    'первичный сервер {0} отвечает за {1}, но передача зоны завершается ошибкой (SERVFAIL): проверьте журнал первичного сервера',
  'the master {0} answers for {1} over UDP but not over TCP{2}: zone transfers need 53/tcp open {3}':
    'первичный сервер {0} отвечает за {1} по UDP, но не отвечает по TCP{2}: для передачи зоны нужен открытый 53/tcp {3}',
  'the master {0} answers for {1} over UDP but cannot be reached over TCP ({2}): zone transfers need 53/tcp open {3}':
    'первичный сервер {0} отвечает за {1} по UDP, но недоступен по TCP ({2}): для передачи зоны нужен открытый 53/tcp {3}',
  'the master {0} answers for {1}, but the zone transfer check failed: {2}':
    'первичный сервер {0} отвечает за {1}, но проверка передачи зоны не удалась: {2}',
  'the master {0} does not serve {1} ({2}): add the zone on the master or correct the master address':
    'первичный сервер {0} не обслуживает {1} ({2}): добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  'the master {0} refuses SOA queries for {1} {2}: if it serves the zone, add {3} to its allow-query; if not, add the zone on the master or correct the master address':
    'первичный сервер {0} отказывает в запросах SOA для {1} {2}: если зона на нём есть, добавьте {3} в его allow-query; если нет, добавьте зону на первичном сервере или исправьте адрес первичного сервера',
  'the master {0} transfers {1} {2} but refuses its SOA queries, which every refresh starts with: add {3} to its allow-query for {4}':
    'первичный сервер {0} передаёт зону {1} {2}, но отказывает в запросах SOA, с которых начинается каждое обновление: добавьте {3} в его allow-query для {4}',
  "the master {0} answers SERVFAIL for {1}: the zone is probably not loaded there. Check the zone file and the master's log":
    'первичный сервер {0} отвечает SERVFAIL для {1}: вероятно, зона на нём не загружена. Проверьте файл зоны и журнал первичного сервера',
  'no answer from {0}{1}: check the master address, and that the master lets 53/udp and 53/tcp in {2}':
    'нет ответа от {0}{1}: проверьте адрес первичного сервера и что он принимает 53/udp и 53/tcp {2}',
  '{0} is unreachable ({1}): check the master address and the route to it':
    'первичный сервер {0} недоступен ({1}): проверьте адрес первичного сервера и маршрут до него',
  '{0} is unreachable ({1}): no name server answers on its port 53; check the master address and that named runs there':
    'первичный сервер {0} недоступен ({1}): на его порту 53 не отвечает сервер имён; проверьте адрес первичного сервера и что named на нём запущен',
  'the check of the master {0} failed: {1}': 'проверка первичного сервера {0} не удалась: {1}',
};
