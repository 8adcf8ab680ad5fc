// Runs inside a test namespace (ip netns exec … node http-client.mjs METHOD URL [BODY]); prints status, then the body.
const [method, url, body] = process.argv.slice(2);
const res = await fetch(url, {
  method,
  body: method === 'POST' ? body ?? '' : undefined,
  headers: method === 'POST' ? { 'content-type': 'application/x-www-form-urlencoded' } : undefined,
});
process.stdout.write(`${res.status}\n${await res.text()}`);
