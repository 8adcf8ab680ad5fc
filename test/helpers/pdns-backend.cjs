// Drives dnsmgr's PowerDNS backend itself inside a test's network namespace, where its instances' APIs are (the test
// process cannot reach them): `node pdns-backend.cjs <root> '<request as JSON>'` prints the answer as JSON. The
// TypeScript sources are loaded as the unit tests load them (esbuild, to CommonJS).
const { transformSync } = require('esbuild');
const { readFileSync } = require('node:fs');
const Module = require('node:module');
const { join } = require('node:path');

Module._extensions['.ts'] ??= (m, file) => {
  m._compile(transformSync(readFileSync(file, 'utf8'), { loader: 'ts', format: 'cjs', sourcefile: file }).code, file);
};

const src = join(__dirname, '..', '..', 'src');
const { loadSettings } = require(join(src, 'files', 'settings.ts'));
const { PowerDnsBackend } = require(join(src, 'dns', 'powerdns', 'pdns-backend.ts'));
const { recordKey } = require(join(src, 'model', 'record.ts'));

async function main() {
  const [root, text] = process.argv.slice(2);
  const request = JSON.parse(text);
  const backend = new PowerDnsBackend(loadSettings(root));
  try {
    if (request.method === 'readRecords') {
      const served = await backend.readRecords(request.view, request.zone);
      return { ok: true, value: served === undefined ? null : { records: served.records.map((r) => ({ key: recordKey(r), ttl: r.ttl })), primary: served.primary } };
    }
    if (request.method === 'updateRecords') return { ok: true, value: await backend.updateRecords(request.view, request.zone, request.ops) ?? null };
    if (request.method === 'listZones') return { ok: true, value: await backend.listZones(request.view) };
    if (request.method === 'applyZones') {
      // A master zone's content comes as its text: the function the backend calls, only when it makes the zone anew.
      const called = [];
      const ops = request.ops.map((op) => {
        if (op.zone?.primary === undefined) return op;
        const { content, ...primary } = op.zone.primary;
        return { ...op, zone: { ...op.zone, primary: { ...primary, content: () => { called.push(op.zone.name); return content; } } } };
      });
      const results = await backend.applyZones(ops);
      return { ok: true, value: { results: results.map((r) => (r.ok ? r : { ok: false, error: String(r.error.message) })), contentRead: called } };
    }
    throw new Error(`no method ${request.method}`);
  } catch (error) {
    return { ok: false, error: { name: error.constructor.name, message: String(error.message) } };
  }
}

main().then((answer) => {
  process.stdout.write(`${JSON.stringify(answer)}\n`);
  // The API client keeps its connections alive.
  process.exit(0);
}, (error) => {
  process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
