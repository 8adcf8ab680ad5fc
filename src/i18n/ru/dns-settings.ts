// Messages of a namespace's DNS settings (dnsparam) and of the names they take.
export const DNS_SETTINGS: Readonly<Record<string, string>> = {
  // src/model/record.ts, src/model/dns-settings.ts
  'expected a full host name, e.g. ns1.example.com': 'ожидается полное имя хоста, например ns1.example.com',
  'expected a name relative to the zone, of letters, digits and hyphens (e.g. www)': 'ожидается имя относительно зоны из букв, цифр и дефисов (например www)',
  'name at least one name server, or leave the field empty for ns1 and ns2 of each zone': 'укажите хотя бы один сервер имён или оставьте поле пустым для ns1 и ns2 каждой зоны',

  // src/funcs/dns-settings.ts, src/funcs/domain.ts
  "The DNS settings of the caller's namespace: what its new master zones get when domain.edit does not say; without sok=ok returns them. A field left out keeps its value; a field sent empty goes back to the default":
    'Настройки DNS пространства имён вызывающего: что получают его новые мастер-зоны, когда domain.edit этого не указывает; без sok=ok возвращает их. Неуказанное поле сохраняет значение; поле, переданное пустым, возвращается к значению по умолчанию',
  "the contact in a new zone's SOA (empty: hostmaster@<zone>)": 'контакт в SOA новой зоны (пусто — hostmaster@<зона>)',
  'name servers, absolute host names separated by commas or spaces (empty: ns1 and ns2 of each zone, with its address)':
    'серверы имён — абсолютные имена хостов через запятую или пробел (пусто — ns1 и ns2 каждой зоны с её адресом)',
  'mail servers, absolute host names by preference (empty: mail.<zone>, with its address)': 'почтовые серверы — абсолютные имена хостов в порядке предпочтения (пусто — mail.<зона> с её адресом)',
  'names below a new zone that answer with its address, separated by commas or spaces (default www; empty: none)':
    'имена внутри новой зоны, отвечающие её адресом, через запятую или пробел (по умолчанию www; пусто — никаких)',
  "the TTL of a new zone's records and of records added without one: seconds, 1 to 604800 (default 3600)":
    'TTL записей новой зоны и записей, добавленных без TTL: секунды, от 1 до 604800 (по умолчанию 3600)',
  "on: the new name servers replace those of the namespace's master zones now": 'on — новые серверы имён сразу заменяют серверы имён мастер-зон пространства',
  "who may transfer the namespace's zones: shown only, namespace.edit changes it": 'кому разрешено получать зоны пространства: только для показа, меняется через namespace.edit',
  'is changed with namespace.edit, not here': 'меняется через namespace.edit, а не здесь',
  "'{0}' has no namespace: act as an account with su=<login>": "у '{0}' нет пространства имён: действуйте от имени учётной записи через su=<логин>",
  'is inside {0}, which has no address for it: add its A or AAAA record first': 'находится внутри {0}, где для него нет адреса: сначала добавьте его запись A или AAAA',
  "the namespace's mail servers inside the zone (dnsparam) need its address (ip)": 'почтовым серверам пространства имён внутри зоны (dnsparam) нужен её адрес (ip)',
};
