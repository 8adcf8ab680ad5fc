// Runs inside a test namespace (ip netns exec … node https-client.mjs CA-FILE URL): a GET that trusts only CA-FILE,
// with the server's name checked against its certificate. Prints the status, then the body; exits 1 on a TLS error.
import { readFileSync } from 'node:fs';
import { get } from 'node:https';

const [caFile, url] = process.argv.slice(2);
get(url, { ca: readFileSync(caFile) }, (res) => {
  const chunks = [];
  res.on('data', (c) => chunks.push(c));
  res.on('end', () => process.stdout.write(`${res.statusCode}\n${Buffer.concat(chunks).toString('utf8')}`));
}).on('error', (err) => {
  process.stderr.write(`${err.code ?? ''} ${err.message}\n`);
  process.exitCode = 1;
});
