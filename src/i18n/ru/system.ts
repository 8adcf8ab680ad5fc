// Messages of the configuration files (files/), the name server and system tools (dns/, system/), the database
// (store/), synchronization (sync/) and the health refresh (health/refresh.ts).
export const SYSTEM: Readonly<Record<string, string>> = {
  // src/dns/bind/bind-backend.ts
  "named must run with the statistics-channels and logging statements 'dnsmgr init' writes into {0} (dnsmgr init --force rewrites it)": "named должен работать с разделами statistics-channels и logging, которые 'dnsmgr init' записывает в {0} (dnsmgr init --force перезапишет его)",
  "path for '{0}' escapes {1}": "путь для '{0}' выходит за пределы {1}",
  // src/dns/powerdns/instances.ts
  "'{0}' is not a view name dnsmgr makes": "'{0}' не является именем представления, которое создаёт dnsmgr",
  'no loopback ports left for PowerDNS instances above PdnsPortBase {0}': 'не осталось свободных портов на loopback для экземпляров PowerDNS выше PdnsPortBase {0}',
  'the gsqlite3 schema {0} cannot be read (is pdns-backend-sqlite3 installed?): {1}': 'не удаётся прочитать схему gsqlite3 {0} (установлен ли пакет pdns-backend-sqlite3?): {1}',
  'did not answer within {0} s': 'не ответил за {0} с',
  'did not stop within {0} s': 'не остановился за {0} с',
  // src/dns/powerdns/pdns-backend.ts
  'has no instance (no configuration file for view {0})': 'не имеет экземпляра (нет файла конфигурации для представления {0})',
  'is not running (nothing of its own listens on 127.0.0.1 port {0})': 'не запущен (на 127.0.0.1, порт {0}, не слушает ни один его сокет)',
  // src/dns/bind/host.ts, src/dns/powerdns/host.ts
  'is not installed (Debian: apt-get install pdns-server pdns-backend-sqlite3); nothing was changed': 'не установлен (Debian: apt-get install pdns-server pdns-backend-sqlite3); ничего не изменено',
  'is not installed (Debian: apt-get install bind9 bind9-utils); nothing was changed': 'не установлен (Debian: apt-get install bind9 bind9-utils); ничего не изменено',
  'has no gsqlite3 schema at {0} (Debian: apt-get install pdns-backend-sqlite3); nothing was changed': 'не имеет схемы gsqlite3 в {0} (Debian: apt-get install pdns-backend-sqlite3); ничего не изменено',
  // src/funcs/dispatch.ts
  'the name server is being changed to {0}: try again once dnsmgr backend.migrate has finished': 'сервер имён заменяется на {0}: повторите запрос, когда dnsmgr backend.migrate завершится',
  'another dnsmgr process kept starting or stopping PowerDNS instances for {0} s': 'другой процесс dnsmgr запускал или останавливал экземпляры PowerDNS дольше {0} с',
  // src/files/passwd-codec.ts
  "login '{0}' is already on line {1}": "логин '{0}' уже указан в строке {1}",
  "login '{0}' is already entry {1}": "логин '{0}' уже указан в записи {1}",
  'expected {0} colon-separated fields login:reseller:hash:level:used:allowed:shared, got {1}': 'ожидается {0} полей через двоеточие login:reseller:hash:level:used:allowed:shared, получено {1}',
  'login: {0}': 'поле login: {0}',
  'reseller: {0}': 'поле reseller: {0}',
  'hash: expected a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost, $ and 53 characters of [./A-Za-z0-9]': 'поле hash: ожидается хеш bcrypt: $2a$, $2b$ или $2y$, двузначная стоимость, $ и 53 символа из [./A-Za-z0-9]',
  'level: expected a whole number from 1 to {0} without sign or leading zeros': 'поле level: ожидается целое число от 1 до {0} без знака и ведущих нулей',
  '{0}: expected a whole number, 0 or more, without sign or leading zeros': 'поле {0}: ожидается целое число от 0 без знака и ведущих нулей',
  // src/files/settings.ts
  'expected a whole number from {0} to {1}': 'ожидается целое число от {0} до {1}',
  'expected an IP address': 'ожидается IP-адрес',
  'expected a whole number from 0 to {0}': 'ожидается целое число от 0 до {0}',
  'expected an interface name': 'ожидается имя интерфейса',
  'expected a port number 1-65535': 'ожидается номер порта от 1 до 65535',
  'expected an absolute path (or a command name) of letters, digits and ._+-/': 'ожидается абсолютный путь (или имя команды) из латинских букв, цифр и символов ._+-/',
  'expected a numeric id (0-{0}) or a name of lowercase letters, digits, _ and -': 'ожидается числовой идентификатор (0–{0}) или имя из строчных латинских букв, цифр, _ и -',
  'expected user:password': 'ожидается пользователь:пароль',
  'user: {0}': 'пользователь: {0}',
  'password: empty': 'пароль: пустой',
  'password: contains a control character': 'пароль: содержит управляющий символ',
  'updateConf: {0} was not validated: {1}': 'updateConf: значение {0} не было проверено: {1}',
  'expected an interface name: up to 15 letters, digits and ._@-': 'ожидается имя интерфейса: до 15 латинских букв, цифр и символов ._@-',
  // src/health/refresh.ts
  'another refresh has held the lock for too long': 'другое обновление слишком долго удерживает блокировку',
  'is busy': 'занято',
  // src/store/migrations.ts
  'database schema version {0} is newer than this dnsmgr knows ({1}): upgrade dnsmgr': 'версия схемы базы данных {0} новее, чем известна этому dnsmgr ({1}): обновите dnsmgr',
  // src/sync/views.ts
  'the namespaces kept changing while their configuration was written; try again': 'пространства имён менялись, пока записывалась их конфигурация; повторите попытку',
  // src/system/control-channel.ts
  'cannot read the rndc key {0}: {1}': 'не удаётся прочитать ключ rndc {0}: {1}',
  'no usable key in {0}: expected key "name" { algorithm hmac-sha256; secret "…"; };': 'в {0} нет пригодного ключа: ожидается key "имя" { algorithm hmac-sha256; secret "…"; };',
  "named's answer is not signed with the key in {0}": 'ответ named не подписан ключом из {0}',
  'named closed the control connection without answering: the key in {0} is not one named accepts on {1} port {2}, or this address may not connect': 'named закрыл управляющее соединение, не ответив: ключ из {0} не принимается named на {1}, порт {2}, или с этого адреса подключаться нельзя',
  // src/system/http-get.ts
  'HTTP status {0}': 'HTTP-статус {0}',
  'timed out after {0} ms': 'превышено время ожидания ({0} мс)',
  // src/system/ip.ts
  'output is not JSON': 'вывод не в формате JSON',
  // src/system/ipmanager.ts, src/funcs/ipaddr.ts, src/files/settings.ts
  "dnsmgr.conf names IPmanager's account but not its URL: write IPmanager https://<host>:1500/ipmgr user:password":
    'в dnsmgr.conf указана учётная запись IPmanager, но не его URL: напишите IPmanager https://<host>:1500/ipmgr user:password',
  'unreachable: {0}': 'недоступен: {0}',
  'answered without a JSON document': 'ответил не документом JSON',
  'answered without a document': 'ответил без документа',
  'refused: {0}': 'отказал: {0}',
  "answered '{0}', not the IPv{1} address asked for{2}": "ответил '{0}', а не запрошенным адресом IPv{1}{2}",
  'dnsmgr.conf names no IPmanager to give {0} back to': 'в dnsmgr.conf не указан IPmanager, которому вернуть {0}',
  'expected a URL like https://ipmgr.example.net:1500/ipmgr': 'ожидается URL вида https://ipmgr.example.net:1500/ipmgr',
  // src/system/dns-update.ts
  'no answer within {0} ms': 'нет ответа за {0} мс',
  'the connection closed without an answer': 'соединение закрылось без ответа',
  "an answer without the zone's SOA": 'ответ без SOA зоны',
  // src/system/dns-axfr.ts
  'an answer that cannot be read: {0}': 'ответ, который не удаётся прочитать: {0}',
  'an answer to another query': 'ответ на другой запрос',
  'refused: {0} (TSIG error {1})': 'отказал: {0} (ошибка TSIG {1})',
  'the connection closed before the transfer ended': 'соединение закрылось до конца передачи зоны',
};
