// The HTTP API door: /dnsmgr?func=…&authinfo=user:pass (or auth=KEY after func=auth) &out=xml|json|text, GET or POST.
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Server } from 'node:net';
import type { Duplex } from 'node:stream';
import { asDnsmgrError, AuthError, httpStatusOf, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { App } from '../app';
import { checkPassword, login, sessionCaller, sessionFunc } from '../funcs/auth';
import { answerClientError, unreadableRequestError } from './raw-request';
import { dispatch } from '../funcs/dispatch';
import type { Caller } from '../funcs/dispatch';
import { paramsFromForm, parseOutFormat } from '../protocol/params';
import { renderChunks, renderDoc } from '../protocol/render';
import type { Lang } from '../i18n/msg';
import { defaultLang, langInForm, requestLang } from './request-lang';
import { checkListenSecurity, loadTlsPair } from './tls';
import type { TlsFiles, TlsPair } from './tls';
import type { Doc, OutFormat } from '../protocol/types';

const MAX_BODY = 1 << 20;
/** /health must answer well under 100 ms, even when named does not. */
const HEALTH_TIMEOUT_MS = 50;
const CONTENT_TYPES: Record<OutFormat, string> = {
  xml: 'text/xml; charset=utf-8',
  json: 'application/json; charset=utf-8',
  text: 'text/plain; charset=utf-8',
  sjson: 'application/json; charset=utf-8',
  bjson: 'application/json; charset=utf-8',
  JSONdata: 'application/json; charset=utf-8',
};
/** Where clients look for the API: DNSmanager's own URL is /manager/dnsmgr, many clients are configured with /dnsmgr. */
const API_PATHS: ReadonlySet<string> = new Set(['/dnsmgr', '/dnsmgr/', '/manager/dnsmgr', '/manager/dnsmgr/']);
/** Parameters that belong to the HTTP door, never passed to a function. */
const DOOR_PARAMS = ['authinfo', 'auth', 'out', 'lang', 'username', 'password'];

export function parseListen(listen: string | undefined): { host: string; port: number } {
  const m = /^(?:\[([0-9a-fA-F:.]+)\]|([0-9.]+)):(\d{1,5})$/.exec(listen ?? '127.0.0.1:1500');
  const port = Number(m?.[3]);
  if (!m || port < 1 || port > 65535) {
    throw new ValidationError({ param: '--listen', value: listen ?? '', reason: msg`expected ADDRESS:PORT, e.g. 127.0.0.1:1500 or [::1]:1500` });
  }
  return { host: (m[1] ?? m[2]) as string, port };
}

/** Where and how the API listens, checked before anything starts. */
export interface ServerPlan {
  host: string;
  port: number;
  tls?: TlsPair;
}

/** --listen, --tls-cert/--tls-key and --insecure, validated: a bad one stops `run`/`serve` before it touches anything. */
export function planServer(o: { listen?: string; tls?: TlsFiles; insecure?: boolean }): ServerPlan {
  const { host, port } = parseListen(o.listen);
  checkListenSecurity(host, o.tls !== undefined, o.insecure === true);
  return { host, port, ...(o.tls ? { tls: loadTlsPair(o.tls) } : {}) };
}

export async function serve(app: App, plan: ServerPlan): Promise<Server> {
  const { host, port } = plan;
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    handle(app, req, res).catch((err: unknown) => send(res, 'xml', { kind: 'error', error: asDnsmgrError(err) }, defaultLang(app)));
  };
  const server = plan.tls ? createHttpsServer({ cert: plan.tls.cert, key: plan.tls.key }, onRequest) : createServer(onRequest);
  // A client that half-closes after its request (printf … | nc) still gets the answer: by default Node drops the
  // request under way when the client's side ends, and the client reads an empty reply.
  Object.assign(server, { httpAllowHalfOpen: true });
  // Raw UTF-8 in the address (an IDN typed into a URL) is read as UTF-8, never answered with an empty 400.
  server.on('clientError', (err: Error, socket: Duplex) => answerClientError(err, socket, onRequest, (_req, res) => send(res, 'xml', { kind: 'error', error: unreadableRequestError() }, defaultLang(app))));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  process.stderr.write(`dnsmgr: HTTP API on ${plan.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}/dnsmgr\n`);
  startHealthLoop(app, server);
  return server;
}

/** The long-running process keeps zone health current: one refresh every HealthInterval seconds, until it closes. */
function startHealthLoop(app: App, server: Server): void {
  let timer: NodeJS.Timeout | undefined;
  let lastError = '';
  const tick = async (): Promise<void> => {
    try {
      app.refreshSettings();
      const { refreshHealth } = await import('../health/refresh');
      await refreshHealth(app);
      lastError = '';
    } catch (err) {
      // Said once per distinct failure, not every interval.
      const message = asDnsmgrError(err).message;
      if (message !== lastError) process.stderr.write(`dnsmgr: health refresh failed: ${message}\n`);
      lastError = message;
    }
    if (server.listening) timer = setTimeout(() => void tick(), app.settings.health.intervalSeconds * 1000);
  };
  timer = setTimeout(() => void tick(), 1000);
  server.once('close', () => clearTimeout(timer));
}

async function handle(app: App, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  let out: OutFormat = 'xml';
  // The request's language once it is read; an error before that is said in the lang it asked for, if readable.
  let lang: Lang | undefined;
  let body = '';
  try {
    if (url.pathname === '/metrics' || url.pathname === '/health') {
      await monitoring(app, url.pathname, res);
      return;
    }
    if (!API_PATHS.has(url.pathname)) {
      const said = msg`not found: the API is at /dnsmgr (or /manager/dnsmgr)`.in(langInForm(url.search) ?? defaultLang(app));
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`${said}\n`);
      return;
    }
    app.refreshSettings();
    if (req.method === 'POST') body = await readBody(req);
    const params = { ...paramsFromForm(url.search), ...paramsFromForm(body) };
    out = parseOutFormat(params.out, 'xml');
    lang = requestLang(params.lang) ?? defaultLang(app);
    const func = params.func ?? '';
    if (func === 'auth') {
      const session = await login(app, params.username ?? '', params.password ?? '');
      send(res, out, { kind: 'auth', key: session.key, level: session.level }, lang);
      return;
    }
    const caller = await authenticate(app, params);
    const session = sessionFunc(app, func, params, caller);
    if (session !== undefined) {
      send(res, out, session, lang);
      return;
    }
    const funcParams = Object.fromEntries(Object.entries(params).filter(([k]) => !DOOR_PARAMS.includes(k)));
    await sendStreamed(res, out, await dispatch(app, func, funcParams, caller, lang), lang);
  } catch (err) {
    send(res, out, { kind: 'error', error: asDnsmgrError(err) }, lang ?? langInForm(url.search, body) ?? defaultLang(app));
  }
}

/** Monitoring pages, answered without authentication: the server listens on loopback unless told otherwise. */
async function monitoring(app: App, path: string, res: ServerResponse): Promise<void> {
  app.refreshSettings();
  const { checkHealth, renderMetrics } = await import('../health/metrics');
  if (path === '/metrics') {
    res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4; charset=utf-8', 'cache-control': 'no-store' }).end(renderMetrics(app));
    return;
  }
  const health = await checkHealth(app, HEALTH_TIMEOUT_MS);
  res.writeHead(health.ok ? 200 : 503, { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' }).end(health.text);
}

async function authenticate(app: App, params: Record<string, string>): Promise<Caller> {
  if (!params.authinfo && !params.auth) throw new AuthError(msg`Log in: authinfo=<login>:<password> or auth=<session key> is required`);
  if (params.authinfo !== undefined) {
    const colon = params.authinfo.indexOf(':');
    return checkPassword(app, colon < 0 ? params.authinfo : params.authinfo.slice(0, colon), colon < 0 ? '' : params.authinfo.slice(colon + 1));
  }
  return sessionCaller(app, params.auth ?? '');
}

function send(res: ServerResponse, out: OutFormat, doc: Doc, lang: Lang): void {
  const status = doc.kind === 'error' ? httpStatusOf(doc.error) : 200;
  res.writeHead(status, { 'content-type': CONTENT_TYPES[out], 'cache-control': 'no-store' }).end(renderDoc(doc, out, lang));
}

/**
 * A function's answer. A document of one chunk goes out as send() would (with its length); a long list is written
 * chunked as its rows are read, waiting for the client to take each chunk. A failure before the first chunk is the
 * request's error document; after it, the response is cut off, so the client sees a broken transfer, never a whole one.
 */
async function sendStreamed(res: ServerResponse, out: OutFormat, doc: Doc, lang: Lang): Promise<void> {
  const chunks = renderChunks(doc, out, lang);
  const first = chunks.next();
  const second = first.done === true ? first : chunks.next();
  const status = doc.kind === 'error' ? httpStatusOf(doc.error) : 200;
  const headers = { 'content-type': CONTENT_TYPES[out], 'cache-control': 'no-store' };
  if (second.done === true) {
    res.writeHead(status, headers).end(first.done === true ? '' : first.value);
    return;
  }
  res.writeHead(status, headers);
  try {
    let chunk = first.value as string;
    let next: IteratorResult<string, void> = second;
    for (;;) {
      if (!res.write(chunk) && !(await drained(res))) {
        chunks.return();
        return;
      }
      if (next.done === true) break;
      chunk = next.value;
      next = chunks.next();
    }
    res.end();
  } catch (err) {
    res.destroy(err instanceof Error ? err : new Error(String(err)));
  }
}

/** true when the client took what was written; false when it went away first. */
function drained(res: ServerResponse): Promise<boolean> {
  if (res.destroyed) return Promise.resolve(false);
  return new Promise((resolve) => {
    const done = (ok: boolean) => (): void => {
      res.off('drain', onDrain).off('close', onClose);
      resolve(ok);
    };
    const onDrain = done(true);
    const onClose = done(false);
    res.on('drain', onDrain).on('close', onClose);
  });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY) throw new ValidationError({ param: '(body)', value: '', reason: msg`request body larger than ${MAX_BODY} bytes` });
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
