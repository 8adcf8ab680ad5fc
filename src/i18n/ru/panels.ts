// Messages of the panels' plugins (panels/): the slave settings form and the queue.
export const PANELS: Readonly<Record<string, string>> = {
  // src/panels/config.ts
  'up to 72 characters, no control characters': 'не длиннее 72 символов, без управляющих символов',
  'expected a URL like https://ns2.example.net:1500/dnsmgr': 'ожидается URL вида https://ns2.example.net:1500/dnsmgr',
  'expected an http(s) URL without credentials, query or fragment': 'ожидается URL http(s) без учётных данных, строки запроса и фрагмента',
  // src/panels/handlers.ts
  'Slave server {0} does not exist': 'Вторичного сервера {0} нет',
  "the settings form's slave server is changed in its form (dnsslave.settings)": 'вторичный сервер из настроек меняется в его форме (dnsslave.settings)',
  'Slave server {0} is already there': 'Вторичный сервер {0} уже есть',
  'the slave server refused the login: {0}': 'вторичный сервер не принял логин: {0}',
};
