// What `dnsmgr -i` says of the functions and their parameters (FuncDef.desc, ParamDoc.desc), in the words of the
// panel's own Russian messages (xml/dnsmgr_mod_dnsmgr.xml) where they fit.
export const DESCRIBE: Readonly<Record<string, string>> = {
  // src/cli/describe.ts
  'list': 'список',
  'form': 'форма',
  'action': 'действие',
  'user': 'пользователь',
  'reseller': 'реселлер',
  'administrator': 'администратор',
  'root': 'суперпользователь root',
  '{0} ({1}, {2} and above)': '{0} ({1}; доступ: {2} и выше)',
  'columns: {0}': 'столбцы: {0}',
  'act as an account you manage': 'действовать от имени учётной записи, которой вы управляете',
  'the language of the answer: en or ru (default: DefaultLang)': 'язык ответа: en или ru (по умолчанию DefaultLang)',

  // src/funcs/accounts.ts
  'Users the caller manages, with namespace, addresses and domain counts':
    'Пользователи, которыми управляет вызывающий, с пространством имён, адресами и числом доменов',
  'Add a user with a password and a namespace (own addresses or a shared namespace), or change password and limits (elid=<login>)':
    'Добавить пользователя с паролем и пространством имён (собственные адреса или общее пространство) либо изменить пароль и лимиты (elid=<логин>)',
  'login of the user being edited; empty to add one': 'логин изменяемого пользователя; пусто — добавить нового',
  'Delete users with their zones and namespaces; their addresses return to the pool':
    'Удалить пользователей вместе с их зонами и пространствами имён; их адреса возвращаются в пул',
  'Suspend users: they can no longer log in or change anything; their zones stay served':
    'Приостановить пользователей: они не смогут войти и что-либо изменить; их зоны продолжат обслуживаться',
  'Resume suspended users': 'Возобновить работу приостановленных пользователей',
  'Resellers with their limits and usage': 'Реселлеры с их лимитами и использованием',
  'Add a reseller with a password and a namespace (own addresses or a shared namespace), or change password and limits (elid=<login>)':
    'Добавить реселлера с паролем и пространством имён (собственные адреса или общее пространство) либо изменить пароль и лимиты (elid=<логин>)',
  'login of the reseller being edited; empty to add one': 'логин изменяемого реселлера; пусто — добавить нового',
  'Delete resellers with their zones, users and namespaces; their addresses return to the pool':
    'Удалить реселлеров вместе с их зонами, пользователями и пространствами имён; их адреса возвращаются в пул',
  'Suspend resellers: they can no longer log in or change anything; their zones stay served':
    'Приостановить реселлеров: они не смогут войти и что-либо изменить; их зоны продолжат обслуживаться',
  'Resume suspended resellers': 'Возобновить работу приостановленных реселлеров',
  'login': 'логин',
  'password (up to 72 bytes); on edit, empty keeps it': 'пароль (не длиннее 72 байт); при изменении пустое значение сохраняет прежний',
  "'own': a namespace of its own (default); 'shared': join an existing namespace":
    "'own' — собственное пространство имён (по умолчанию); 'shared' — присоединиться к существующему",
  "own: an IPv4 address from your pool or 'auto' (default); shared: a shared or mutual address to join":
    "собственное пространство: IPv4-адрес из вашего пула или 'auto' (по умолчанию); общее: общий или совместный адрес, к которому нужно присоединиться",
  "own: an IPv6 address from your pool or 'auto' (Option AllowIpV6)":
    "собственное пространство: IPv6-адрес из вашего пула или 'auto' (нужна опция AllowIpV6)",
  'shared: the namespace to join (a reseller: its own by default)':
    'общее: пространство имён, к которому нужно присоединиться (у реселлера по умолчанию его собственное)',
  "'ok' to submit the form": "'ok' — отправить форму",
  'logins, separated by commas': 'логины через запятую',
  'zones it may have (a reseller: with its users); 0 = no limit':
    'сколько зон может быть у учётной записи (у реселлера — вместе с его пользователями); 0 — без ограничений',
  'users it may have; 0 = no limit': 'сколько пользователей может быть у реселлера; 0 — без ограничений',
  'addresses its pool may hold; 0 = no limit': 'сколько адресов может быть в пуле реселлера; 0 — без ограничений',

  // src/funcs/bindip.ts
  'Bind every pool address in use (all but hidden ones) to NetworkInterface; idempotent, for boot. Answers OK and a row per address: addr, interface, result (bound or present)':
    'Назначить все используемые адреса пула (кроме скрытых) интерфейсу NetworkInterface; повторный запуск ничего не меняет, для загрузки системы. Отвечает OK и строкой на каждый адрес: addr, interface, result (bound — назначен, present — уже был)',

  // src/funcs/domain.ts
  'Slave zones the caller may see, with what the name server really serves (status ok, waiting, problem, expired)':
    'Вторичные зоны, которые видит вызывающий, и что на самом деле обслуживает сервер имён (состояние ok, waiting, problem, expired)',
  'Add a slave zone (without elid) or change its masters (elid=<zone>); without sok=ok returns the form values. Several zones at once: name=<zone>, <zone>… (or elid=<zone>, <zone>…) with one masterip for all, at most 1000; every name is checked first and none is added if any is refused':
    'Добавить вторичную зону (без elid) или изменить её первичные серверы (elid=<зона>); без sok=ok возвращает значения формы. Несколько зон сразу: name=<зона>, <зона>… (или elid=<зона>, <зона>…) с одним masterip для всех, не более 1000; сначала проверяется каждое имя, и если хоть одно отклонено, не добавляется ни одно',
  'zone being edited; empty to add one': 'изменяемая зона; пусто — добавить новую',
  'zone name (IDN allowed, stored as punycode); several separated by commas to add them all with the same masters':
    'имя зоны (допускаются национальные имена IDN, хранятся в punycode); несколько через запятую — добавить их все с одними первичными серверами',
  'account the zone belongs to (admins and resellers; default: the caller)':
    'учётная запись, которой принадлежит зона (для администраторов и реселлеров; по умолчанию — вызывающий)',
  'Delete slave zones (elid=<zone>[, <zone>…]); a name that does not exist, or is not yours, is not an error: the answer lists the names deleted':
    'Удалить вторичные зоны (elid=<зона>[, <зона>…]); несуществующее или чужое имя не считается ошибкой: в ответе перечислены удалённые имена',
  'zones to delete, separated by commas': 'удаляемые зоны через запятую',
  'only the zones of this account (when a name is served in several namespaces)':
    'только зоны этой учётной записи (когда имя обслуживается в нескольких пространствах имён)',

  // src/funcs/health.ts
  'Problem domains: zones the name server cannot refresh or transfer, with the reason and since when, newest first':
    'Проблемные домены: зоны, которые сервер имён не может обновить или получить, с причиной и временем начала сбоя, новые первыми',
  'zones, separated by commas': 'зоны через запятую',
  'Transfer zones from their masters again now, whatever the serial (elid=<zone>[, <zone>…])':
    'Заново получить зоны с их первичных серверов сейчас, независимо от серийного номера (elid=<зона>[, <зона>…])',
  "Ask zones' masters for their serial now and transfer what changed (elid=<zone>[, <zone>…])":
    'Запросить серийный номер у первичных серверов зон сейчас и получить изменения (elid=<зона>[, <зона>…])',
  'Put suspended zones back into the name server (elid=<zone>[, <zone>…]); zones not suspended are left as they are':
    'Вернуть приостановленные зоны на сервер имён (elid=<зона>[, <зона>…]); неприостановленные зоны остаются как есть',
  "Diagnose a zone's masters: ask each for the SOA and try the transfer from our address; says what to change":
    'Диагностика первичных серверов зоны: запросить у каждого SOA и попробовать передачу зоны с нашего адреса; сообщает, что нужно изменить',
  'the zone to check': 'проверяемая зона',
  'the account whose zone it is (when a name is served in several namespaces)':
    'учётная запись, которой принадлежит зона (когда имя обслуживается в нескольких пространствах имён)',
  "Refresh every zone's health from the name server now; returns when done":
    'Прочитать состояние всех зон с сервера имён сейчас; отвечает, когда всё готово',

  // src/funcs/ipaddr.ts
  'Pool addresses with status (hidden, free, shared, assigned, mutual), owner and namespace':
    'Адреса пула с состоянием (hidden, free, shared, assigned, mutual), владельцем и пространством имён',
  "Add an address to the pool (admin: any address, bound to the interface; reseller: a free one of the admin's, or 'auto'), or change its status (elid=<address>)":
    "Добавить адрес в пул (администратор: любой адрес, назначается интерфейсу; реселлер: свободный адрес администратора или 'auto') либо изменить его состояние (elid=<адрес>)",
  'address being edited; empty to add one': 'изменяемый адрес; пусто — добавить новый',
  "the address (a reseller may give 'auto')": "адрес (реселлер может указать 'auto')",
  "with name=auto: 'ipv4' (default) or 'ipv6'": "при name=auto: 'ipv4' (по умолчанию) или 'ipv6'",
  'hidden, free, shared, assigned or mutual': 'hidden, free, shared, assigned или mutual',
  'status assigned: the account it belongs to': 'для состояния assigned: учётная запись, которой принадлежит адрес',
  'Remove addresses from the pool (admin: unbound from the interface; reseller: returned to the admin, free); an address in use stays':
    'Убрать адреса из пула (администратор: адрес снимается с интерфейса; реселлер: адрес возвращается администратору свободным); используемый адрес остаётся',
  'addresses, separated by commas': 'адреса через запятую',

  // src/funcs/namespace.ts
  'DNS namespaces: the addresses their zones answer on, accounts, zones and who may transfer them':
    'Пространства имён DNS: адреса, на которых отвечают их зоны, учётные записи, зоны и кому разрешена их передача',
  "A namespace's DNS settings: allow_transfer (none, any, or addresses and prefixes) written into each of its zones":
    'Настройки DNS пространства имён: allow_transfer (none, any или адреса и префиксы), записывается в каждую его зону',
  'the namespace': 'пространство имён',
  "slave servers allowed to transfer its zones: 'none', 'any', or addresses/prefixes separated by commas":
    "вторичные серверы, которым разрешено получать его зоны: 'none', 'any' или адреса и префиксы через запятую",
  'Delete namespaces no account and no zone uses; their addresses stay in the pool':
    'Удалить пространства имён, которые не использует ни одна учётная запись и ни одна зона; их адреса остаются в пуле',
  'namespaces, separated by commas': 'пространства имён через запятую',

  // src/funcs/restricted.ts
  'Restricted names: nobody may add them or anything below them': 'Запрещённые имена: никто не может добавить их или имена ниже них',
  'Add a restricted name': 'Добавить запрещённое имя',
  'the name': 'имя',
  'Remove restricted names (those in dnsmgr.conf stay until removed there)':
    'Убрать запрещённые имена (имена из dnsmgr.conf остаются, пока их не уберут оттуда)',
  'names, separated by commas': 'имена через запятую',

  // src/funcs/settings.ts
  'dnsmgr.conf settings: network interface, shared, restricted and limited names, language, log level, options':
    'Настройки dnsmgr.conf: сетевой интерфейс, общие и запрещённые имена, ограниченные реселлеры, язык, уровень журнала, опции',
  'interface the namespace addresses are bound to: one this server has; changing it moves the bound addresses there':
    'интерфейс, которому назначаются адреса пространств имён: один из интерфейсов этого сервера; при изменении назначенные адреса переносятся на него',
  'zones whose owners are not checked (several accounts may add them), separated by spaces':
    'зоны, владельцы которых не проверяются (их могут добавить несколько учётных записей), через пробел',
  'resellers that may create users only inside their own namespace':
    'реселлеры, которые могут создавать пользователей только в собственном пространстве имён',
  'names nobody may add, with everything below them': 'имена, которые никто не может добавить, вместе со всеми именами ниже них',
  'en or ru': 'en или ru',
  '0-9': 'от 0 до 9',
  'on/off': 'on или off',
  'on/off: skip the check that a new zone belongs to nobody else':
    'on или off: не проверять, что новая зона не принадлежит кому-то другому',
  'on/off: IPv6 addresses in the pool and namespaces': 'on или off: IPv6-адреса в пуле и пространствах имён',
  'on/off: accounts with addresses of their own may also join shared namespaces':
    'on или off: учётные записи с собственными адресами тоже могут присоединяться к общим пространствам имён',
  'seconds between two zone health refreshes (1-86400; default 30)':
    'секунд между двумя обновлениями состояния зон (от 1 до 86400; по умолчанию 30)',
  'hours a zone may fail before it is long-failing (1-8760; default 24)':
    'сколько часов зона может давать сбой, прежде чем считаться давно неисправной (от 1 до 8760; по умолчанию 24)',
  'automatic retransfers of zones that never loaded, per refresh (0 = none; default 100)':
    'автоматических повторных передач ни разу не загружавшихся зон за одно обновление (0 — ни одной; по умолчанию 100)',
  'days of failing after which a zone is suspended (0 = never, the default)':
    'через сколько дней сбоев зона приостанавливается (0 — никогда, по умолчанию)',
  'days of failing after which a zone is deleted (0 = never, the default)':
    'через сколько дней сбоев зона удаляется (0 — никогда, по умолчанию)',

  // src/funcs/sync.ts
  'What differs between the name server and dnsmgr: zones to add, masters to fix, strays to remove, master zones whose records to put right, each with why (changes nothing)':
    'Чем DNS-сервер отличается от dnsmgr: какие зоны добавить, каких мастеров исправить, какие лишние зоны удалить, записи каких мастер-зон исправить, и почему (ничего не меняет)',
  "Make the name server hold exactly the zones dnsmgr knows: add missing ones, fix masters, remove strays (more than {0} only with force=on), give master zones the database's records":
    'Привести DNS-сервер в точное соответствие с зонами dnsmgr: добавить недостающие, исправить мастеров, удалить лишние (больше {0} — только с force=on), дать мастер-зонам записи из базы данных',
  "'on' to answer the plan (as domain.sync does) and change nothing": "'on' — ответить планом (как domain.sync) и ничего не менять",
  "'on' to delete strays even when there are more than {0}": "'on' — удалить лишние зоны, даже если их больше {0}",
  // src/sync/reconcile.ts
  'the name server lacks it': 'на DNS-сервере её нет',
  'the name server has it from {0}': 'на DNS-сервере она с мастерами {0}',
  "the name server answers or transfers it for other addresses than its namespace's": 'DNS-сервер отвечает на неё или передаёт её не для адресов её пространства имён',
  'dnsmgr has no such zone in this view': 'у dnsmgr нет такой зоны в этом представлении',
  'the name server lacks {0} of its records and has {1} too many': 'записей зоны на DNS-сервере: недостаёт {0}, лишних {1}',
  'its SOA names {0} as its primary name server, not {1}': 'её SOA называет первичным DNS-сервером {0}, а не {1}',
  'its records could not be read back from the name server: {0}': 'не удалось прочитать её записи с DNS-сервера: {0}',
  'the zone is suspended: dnsmgr keeps it out of the name server': 'зона приостановлена: dnsmgr держит её вне DNS-сервера',
  'the name server holds {0} zones dnsmgr does not know; deleting more than {1} at once needs force=on (domain.sync lists them)':
    'на DNS-сервере {0} зон, которых dnsmgr не знает; удаление больше {1} за раз требует force=on (их список — domain.sync)',

  // src/panels/funcs.ts
  'The slave DNS server this panel pushes its DNS domains to': 'Вторичный DNS-сервер, на который эта панель передаёт свои DNS-домены',
  'slave API URL, e.g. https://ns2.example.net:1500/dnsmgr': 'URL API вторичного сервера, например https://ns2.example.net:1500/dnsmgr',
  "login on the slave (its namespace holds this panel's zones)": 'логин на вторичном сервере (в его пространстве имён хранятся зоны этой панели)',
  'password on the slave; empty keeps the stored one': 'пароль на вторичном сервере; пустое значение сохраняет прежний',
  "this server's address the slave transfers zones from": 'адрес этого сервера, с которого вторичный сервер получает зоны',
  'on/off: push domain changes': 'on или off: передавать изменения доменов',
  'on: synchronize now (push every DNS domain, remove zones this panel no longer has)':
    'on: синхронизировать сейчас (передать все DNS-домены, удалить зоны, которых в этой панели больше нет)',
  'Changes waiting to reach the slave servers, with attempts and the last error': 'Изменения, ожидающие передачи на вторичные серверы, с числом попыток и последней ошибкой',
  'Send queued changes now': 'Отправить изменения из очереди сейчас',
  'queue ids, separated by commas': 'номера в очереди через запятую',
  'Drop queued changes': 'Удалить изменения из очереди',
  'The slave DNS servers this panel pushes its DNS domains to: each gets every change':
    'Вторичные DNS-серверы, на которые эта панель передаёт свои DNS-домены: каждый получает каждое изменение',
  "A slave DNS server besides the settings form's: its API URL and a login on it; a new one gets every DNS domain":
    'Вторичный DNS-сервер помимо указанного в настройках: URL его API и логин на нём; новый получает все DNS-домены',
  "the slave server's id (empty: a new one)": 'номер вторичного сервера (пусто — новый)',
  'slave API URL, e.g. https://ns3.example.net:1500/dnsmgr': 'URL API вторичного сервера, например https://ns3.example.net:1500/dnsmgr',
  "login on the slave (a reseller; its namespace holds this panel's zones)": 'логин на вторичном сервере (реселлер; в его пространстве имён хранятся зоны этой панели)',
  'on: synchronize it now (push every DNS domain, remove zones this panel no longer has)':
    'on: синхронизировать его сейчас (передать все DNS-домены, удалить зоны, которых в этой панели больше нет)',
  'Stop pushing to slave servers (their zones stay on them)': 'Прекратить передачу на вторичные серверы (их зоны остаются на них)',
  'slave server ids, separated by commas': 'номера вторичных серверов через запятую',

  // src/funcs/slave-servers.ts
  'The dnsmgr servers this one pushes its master zones to, as slave zones: each gets every master zone, transfers them and is told of their changes':
    'Серверы dnsmgr, на которые этот сервер передаёт свои первичные зоны как вторичные: каждый получает все первичные зоны, забирает их и получает уведомления об их изменениях',
  'Add a slave server (another dnsmgr: its API URL and a login on it) or change one (elid); a new one gets every master zone at once, and every master zone lets it transfer and tells it of changes':
    'Добавить вторичный сервер (другой dnsmgr: URL его API и логин на нём) или изменить его (elid); новый сразу получает все первичные зоны, и каждая первичная зона разрешает ему передачу и уведомляет его об изменениях',
  "the slave's API URL, e.g. http://198.51.100.53:1500/dnsmgr; when its host is an IP address, transfers from it are allowed":
    'URL API вторичного сервера, например http://198.51.100.53:1500/dnsmgr; если его хост — IP-адрес, передача зон на этот адрес разрешается',
  'login on the slave: its namespace holds the master zones of this server': 'логин на вторичном сервере: в его пространстве имён хранятся первичные зоны этого сервера',
  'on: synchronize it now (push every master zone, remove those this server no longer has)':
    'on: синхронизировать его сейчас (передать все первичные зоны, удалить те, которых на этом сервере больше нет)',
  'Stop pushing to slave servers: their zones stay on them, but they may no longer transfer the master zones':
    'Прекратить передачу на вторичные серверы: их зоны остаются на них, но забирать первичные зоны они больше не могут',
};
