// Messages of the master zones' records (model/record.ts).
export const RECORDS: Readonly<Record<string, string>> = {
  // src/model/record.ts
  "a CNAME cannot be at the zone's apex, beside its SOA and NS": 'CNAME не может быть на вершине зоны рядом с её SOA и NS',
  'an A record holds an IPv4 address': 'запись A содержит адрес IPv4',
  'an AAAA record holds an IPv6 address': 'запись AAAA содержит адрес IPv6',
  'a TXT record holds some text': 'запись TXT должна содержать текст',
  'contains a control character': 'содержит управляющий символ',
  'longer than {0} bytes': 'длиннее {0} байт',
  'expected flags, tag (issue, issuewild or iodef) and value, e.g. 0 issue "letsencrypt.org"':
    'ожидаются флаги, тег (issue, issuewild или iodef) и значение, например 0 issue "letsencrypt.org"',
  'expected a name of letters, digits, hyphens and underscores, or * as its first label':
    'ожидается имя из букв, цифр, дефисов и подчёркиваний или * первой меткой',
  'not inside the zone {0}': 'не внутри зоны {0}',
  "an SRV record's name starts with _service._protocol": 'имя записи SRV начинается с _служба._протокол',
  'a host name is required': 'нужно имя хоста',
  'expected a host name, not an address': 'ожидается имя хоста, а не адрес',
  'expected a host name of letters, digits and hyphens': 'ожидается имя хоста из букв, цифр и дефисов',
  'the zone has this record already': 'такая запись в зоне уже есть',
  'a CNAME cannot share its name with other records ({0} has {1})': 'CNAME не может делить имя с другими записями (у {0} есть {1})',
  '{0} has a CNAME, which shares its name with nothing else': 'у {0} есть CNAME, который ни с чем не делит своё имя',
};
