// Client envelopes (issue 8): output formats, the list filter, sessions ended, raw bytes in the address.
export const CLIENT: Readonly<Record<string, string>> = {
  // src/protocol/params.ts
  'expected one of {0}': 'ожидается одно из: {0}',
  // src/funcs/lists.ts
  "expected 'on' (filter the list by the column parameters) or 'off'":
    "ожидается 'on' (отобрать строки списка по параметрам-столбцам) или 'off'",
  "'{0}' is not a column of '{1}'; its columns are {2}": "'{0}' — не столбец списка '{1}'; его столбцы: {2}",
  // src/store/zones.ts
  'not a column of the domain list: {0}': 'не столбец списка доменов: {0}',
  // src/store/records.ts
  'not a column of the record list: {0}': 'не столбец списка записей: {0}',
  // src/funcs/auth.ts
  'the session keys to end are required, separated by commas': 'нужны ключи сессий, которые следует завершить, через запятую',
  'a session key is 48 hexadecimal digits, as func=auth gives it': 'ключ сессии — 48 шестнадцатеричных цифр, как его выдаёт func=auth',
  // src/cli/raw-request.ts
  'the address holds bytes that are not %-encoded and the request could not be read whole; send the query string URL-encoded (UTF-8)':
    'в адресе есть байты без %-кодирования, и запрос не удалось прочитать целиком; передайте строку запроса в URL-кодировке (UTF-8)',
};
