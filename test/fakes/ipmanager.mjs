#!/usr/bin/env node
// A stand-in for ISPsystem's IPmanager (which cannot run here), implementing only the calls dnsmgr makes and the
// documented shape of the panel's API: POST func=… authinfo=user:password out=json, a JSON document back, an error as
// doc.error. ip.edit sok=ok (no elid) allocates an address of `family` from its range — the one in `ip` when given —
// and answers it in doc.ip; ip.delete elid=<address> marks it free; ip lists the allocated ones.
// Faults on demand, from a control file read at every request: {"refuse": "<message>"} answers every call with an
// error; {"answer": "<address>"} makes ip.edit answer that address whatever it was asked. Allocations are written to
// the state file after every change, for the test to read, and read back at start.
// Usage: ipmanager.mjs LISTEN_HOST PORT USER:PASSWORD FIRST_IPV4 COUNT CONTROL_FILE STATE_FILE
import { createServer } from 'node:http';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const [host, port, account, first, count, controlFile, stateFile] = process.argv.slice(2);
const base = first.split('.').map(Number);
const range = Array.from({ length: Number(count) }, (_, i) => [...base.slice(0, 3), base[3] + i].join('.'));
// What it had allocated before a restart is still allocated, as in IPmanager's own database.
const allocated = new Map(existsSync(stateFile) ? Object.entries(JSON.parse(readFileSync(stateFile, 'utf8') || '{}')) : []);

const control = () => (existsSync(controlFile) ? JSON.parse(readFileSync(controlFile, 'utf8') || '{}') : {});
const save = () => writeFileSync(stateFile, JSON.stringify(Object.fromEntries(allocated)));
const error = (type, text) => ({ doc: { error: { $type: type, msg: { $: text } } } });

function answer(params) {
  if (params.get('authinfo') !== account) return error('auth', 'Authorization failed');
  const c = control();
  if (c.refuse) return error('access', c.refuse);
  const func = params.get('func');
  if (func === 'ip') return { doc: { elem: [...allocated].map(([ip, note]) => ({ ip: { $: ip }, note: { $: note } })) } };
  if (func === 'ip.delete') {
    const ip = params.get('elid') ?? '';
    if (!allocated.has(ip)) return error('missed', `IP address ${ip} is not allocated`);
    allocated.delete(ip);
    save();
    return { doc: { ok: {} } };
  }
  if (func === 'ip.edit' && params.get('sok') === 'ok' && !params.get('elid')) {
    if (c.answer) return { doc: { ok: {}, ip: { $: c.answer } } };
    if (params.get('family') !== 'ipv4') return error('value', 'no IPv6 range here');
    const wanted = params.get('ip');
    const ip = wanted ? (range.includes(wanted) && !allocated.has(wanted) ? wanted : undefined) : range.find((a) => !allocated.has(a));
    if (ip === undefined) return error('exists', wanted ? `IP address ${wanted} is not free` : 'No free IP address left');
    allocated.set(ip, params.get('note') ?? '');
    save();
    return { doc: { ok: {}, ip: { $: ip } } };
  }
  return error('missed', `Function ${func} is not implemented here`);
}

save();
createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => { body += chunk; });
  req.on('end', () => {
    const params = new URLSearchParams(body);
    for (const [k, v] of new URL(req.url, 'http://x').searchParams) if (!params.has(k)) params.set(k, v);
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(answer(params)));
  });
}).listen(Number(port), host, () => process.stdout.write(`listening on ${host}:${port}\n`));
