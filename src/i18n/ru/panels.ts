// Messages of the panels' plugins (panels/): the slave settings form and the queue.
export const PANELS: Readonly<Record<string, string>> = {
  // src/panels/config.ts
  'up to 72 characters, no control characters': 'не длиннее 72 символов, без управляющих символов',
  'expected a URL like https://ns2.example.net:1500/dnsmgr': 'ожидается URL вида https://ns2.example.net:1500/dnsmgr',
  'expected an http(s) URL without credentials, query or fragment': 'ожидается URL http(s) без учётных данных, строки запроса и фрагмента',
};
