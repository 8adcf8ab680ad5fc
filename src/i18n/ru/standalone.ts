// Messages of the standalone server (cli/standalone.ts, lock.ts, tls.ts, named-user.ts, server-args.ts, http.ts's
// listen) and of rndc when named does not answer.
export const STANDALONE: Readonly<Record<string, string>> = {
  'another dnsmgr run/serve (pid {0}) is using {1}': 'другой процесс dnsmgr run/serve (pid {0}) уже работает с {1}',
  "named (pid {0}) is already running with {1}, not started by dnsmgr run: stop it first (for the panel's service: systemctl stop dnsmgr-named)":
    'named (pid {0}) уже работает с {1}, и запущен он не dnsmgr run: сначала остановите его (для службы панели: systemctl stop dnsmgr-named)',
  'expected ADDRESS:PORT, e.g. 127.0.0.1:1500 or [::1]:1500': 'ожидается АДРЕС:ПОРТ, например 127.0.0.1:1500 или [::1]:1500',
  '--tls-key needs --tls-cert': '--tls-key требует --tls-cert',
  '--tls-cert needs --tls-key': '--tls-cert требует --tls-key',
  'cannot be read: {0}': 'не удаётся прочитать: {0}',
  'not a PEM key for the certificate {0}: {1}': 'это не PEM-ключ сертификата {0}: {1}',
  'not a loopback address, and without TLS the passwords clients send (authinfo) would cross the network in clear text: give --tls-cert and --tls-key (dnsmgr init --tls makes a self-signed pair), or --insecure to listen without TLS anyway':
    'это не loopback-адрес, а без TLS пароли, которые присылают клиенты (authinfo), пойдут по сети открытым текстом: укажите --tls-cert и --tls-key (dnsmgr init --tls создаёт самоподписанную пару) или --insecure, чтобы всё же слушать без TLS',
  'no such user on this system': 'в системе нет такого пользователя',
  'no such group on this system': 'в системе нет такой группы',
  "'{0}' (NamedUID) is not a member of this group, and named runs with that user's groups": "'{0}' (NamedUID) не входит в эту группу, а named работает с группами этого пользователя",
  'named runs as {0} and cannot enter {1} (mode {2}): let it through (chmod o+x {3}), or set NamedUID root in dnsmgr.conf':
    'named работает от имени {0} и не может войти в {1} (права {2}): откройте проход (chmod o+x {3}) или задайте NamedUID root в dnsmgr.conf',
  'named is not answering on {0} port {1}: it is not running, or is being restarted':
    'named не отвечает на {0}, порт {1}: он не запущен или перезапускается',
  'needs a file name': 'требует имени файла',
  'not an option of run or serve: --listen ADDR:PORT, --tls-cert FILE, --tls-key FILE, --insecure':
    'не является параметром run или serve: --listen АДРЕС:ПОРТ, --tls-cert ФАЙЛ, --tls-key ФАЙЛ, --insecure',
  'not an option of init: --force, --tls': 'не является параметром init: --force, --tls',
};
