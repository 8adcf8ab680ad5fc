// The bulk path (issue 9): domain.import's lines, its summary and its help.
export const BULK: Readonly<Record<string, string>> = {
  // src/dns/bind/nzd-lock.ts
  "named's new-zone database is being loaded in bulk by another request ({0}); try again":
    'базу новых зон named сейчас массово загружает другой запрос ({0}); повторите попытку',
  // src/funcs/domain-import.ts
  'expected at most {0} lines, got {1}': 'ожидается не более {0} строк, получено {1}',
  "expected 'name masters [owner]', got {0} fields": "ожидается 'имя первичные_серверы [владелец]', полей: {0}",
  "zone name '{0}': {1}": "имя зоны '{0}': {1}",
  'no spaces inside the masters': 'без пробелов внутри списка первичных серверов',
  "master '{0}': {1}": "первичный сервер '{0}': {1}",
  "owner '{0}': {1}": "владелец '{0}': {1}",
  "'{0}' is already on line {1}": "'{0}' уже есть в строке {1}",
  'line {0}: {1}': 'строка {0}: {1}',
  "Add many slave zones from lines 'name masters [owner]' (masters joined by ',' or ';', '#' starts a comment): every line is checked first and nothing is added if any is bad, unless skip_bad=on; then one transaction and the batch towards named. Answers a summary: added, already there, skipped and failed, with reasons":
    "Добавить много вторичных зон из строк 'имя первичные_серверы [владелец]' (серверы через ',' или ';', '#' начинает комментарий): сначала проверяется каждая строка, и если хоть одна ошибочна, не добавляется ничего, кроме случая skip_bad=on; затем одна транзакция и пакет изменений в named. Отвечает сводкой: добавлено, уже были, пропущено и не удалось, с причинами",
  "command line only: the file to read the lines from, '-' for the standard input": "только в командной строке: файл со строками, '-' — стандартный ввод",
  'the lines themselves (other doors, or instead of file)': 'сами строки (в других интерфейсах или вместо file)',
  'account of the lines that name none (default: the caller)': 'учётная запись для строк без владельца (по умолчанию — вызывающий)',
  "'on' to add the good lines and report the bad ones (bad lines and refused zones) instead of adding nothing":
    "'on' — добавить правильные строки и сообщить об ошибочных (ошибочные строки и отклонённые зоны), а не отказать во всём",
  'give the lines: file=PATH or file=- on the command line, zones=… elsewhere': 'передайте строки: file=ПУТЬ или file=- в командной строке, zones=… в других интерфейсах',
};
