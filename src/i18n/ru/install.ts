// Messages of installation, root discovery and the network interface (cli/install.ts, cli/root.ts, funcs/interface.ts).
export const INSTALL: Readonly<Record<string, string>> = {
  "dnsmgr does not guess where to bind addresses: name one of this server's interfaces ({0})":
    'dnsmgr не выбирает интерфейс для адресов сам: укажите один из интерфейсов этого сервера ({0})',
  'this server has no such interface; it has: {0}': 'на этом сервере нет такого интерфейса; есть: {0}',
  'not set in dnsmgr.conf, and dnsmgr does not guess where to bind addresses: set it with the settings function to one of {0}':
    'не задан в dnsmgr.conf, а dnsmgr не выбирает интерфейс для адресов сам: задайте его функцией settings, один из: {0}',
  'dnsmgr.conf names an interface this server does not have; it has: {0}':
    'в dnsmgr.conf указан интерфейс, которого на этом сервере нет; есть: {0}',
};
