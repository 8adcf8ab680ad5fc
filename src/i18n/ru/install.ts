// Messages of installation, root discovery and the network interface (cli/install.ts, cli/root.ts, funcs/interface.ts).
export const INSTALL: Readonly<Record<string, string>> = {
  "dnsmgr does not guess where to bind addresses: name one of this server's interfaces ({0})":
    'dnsmgr не выбирает интерфейс для адресов сам: укажите один из интерфейсов этого сервера ({0})',
  'this server has no such interface; it has: {0}': 'на этом сервере нет такого интерфейса; есть: {0}',
  'not set in dnsmgr.conf, and dnsmgr does not guess where to bind addresses: set it with the settings function to one of {0}':
    'не задан в dnsmgr.conf, а dnsmgr не выбирает интерфейс для адресов сам: задайте его функцией settings, один из: {0}',
  'dnsmgr.conf names an interface this server does not have; it has: {0}':
    'в dnsmgr.conf указан интерфейс, которого на этом сервере нет; есть: {0}',
  "No dnsmgr installation in '{0}' ({1} does not exist): run 'dnsmgr --root {2} init' for a standalone server or 'dnsmgr install --prefix {3}' for the panel, or give the right --root or DNSMGR_ROOT":
    "В '{0}' нет установки dnsmgr ({1} не существует): выполните 'dnsmgr --root {2} init' для самостоятельного сервера или 'dnsmgr install --prefix {3}' для панели, либо укажите правильный --root или DNSMGR_ROOT",
  'needs a value': 'требует значения',
  'not an option of install or uninstall; see dnsmgr help': 'не является параметром install или uninstall; см. dnsmgr help',
  '--system and --no-system exclude each other': '--system и --no-system исключают друг друга',
  'expected dnsmgr, ispmgr, vmmgr or both': 'ожидается dnsmgr, ispmgr, vmmgr или both',
  "ISPsystem's DNSmanager is installed in {0} ({1}): dnsmgr's functions have the same names as its built-in ones and would be merged into them, and its configuration and database would be taken for dnsmgr's; install dnsmgr into a prefix of its own (--prefix DIR) or remove DNSmanager first":
    'в {0} установлен DNSmanager от ISPsystem ({1}): функции dnsmgr называются так же, как его встроенные, и были бы слиты с ними, а его конфигурация и база данных были бы приняты за принадлежащие dnsmgr; установите dnsmgr в отдельный каталог (--prefix DIR) или сначала удалите DNSmanager',
  'belongs to the standalone server: add --standalone': 'относится к самостоятельному серверу: добавьте --standalone',
  'is for the panel: the standalone server (--standalone) binds its addresses, runs named and refreshes zone health itself':
    'относится к панели: самостоятельный сервер (--standalone) сам привязывает адреса, запускает named и обновляет состояние зон',
  'expected an absolute path of letters, digits and ._+-/': 'ожидается абсолютный путь из букв, цифр и ._+-/',
  'expected systemd or cron': 'ожидается systemd или cron',
  "the panel's units are installed in {0} ({1}): the standalone server and the panel's named cannot both run; run '{2}' with the same options first":
    "в {0} установлены юниты панели ({1}): самостоятельный сервер и named панели не могут работать одновременно; сначала выполните '{2}' с теми же параметрами",
  "the standalone server's {0} is installed in {1}: it and the panel's named cannot both run; run '{2}' with the same options first":
    "в {1} установлен {0} самостоятельного сервера: он и named панели не могут работать одновременно; сначала выполните '{2}' с теми же параметрами",
};
