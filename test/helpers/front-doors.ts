// What bad-input tests need at every front door: the error a response carries (text, xml or json), a batch HTTP client
// that sends many requests from one process inside the slave namespace, and a small concurrency limiter.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { expect } from 'vitest';
import { nsExec } from './netns';

export type Format = 'text' | 'xml' | 'json';

export interface SeenError {
  type: string;
  object: string;
  value: string;
  message: string;
}

export interface HttpAnswer {
  status: number;
  body: string;
}

export interface HttpRequest {
  method: 'GET' | 'POST';
  params: Record<string, string>;
}

// One client process inside the namespace sends every request at once: a node process per request would cost more
// than the whole matrix does.
const BATCH_CLIENT = `
let input = '';
for await (const chunk of process.stdin) input += chunk;
const answers = await Promise.all(JSON.parse(input).map(async ({ method, url, body }) => {
  const res = await fetch(url, method === 'POST' ? { method, body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : { method });
  return { status: res.status, body: await res.text() };
}));
process.stdout.write(JSON.stringify(answers));
`;

/** The same requests Instance.http makes (GET with a query, POST with a form body), answered in order. */
export async function httpBatch(ns: string, port: number, requests: readonly HttpRequest[]): Promise<HttpAnswer[]> {
  const base = `http://127.0.0.1:${port}/dnsmgr`;
  const wire = requests.map(({ method, params }) => {
    const query = new URLSearchParams(params).toString();
    return method === 'GET' ? { method, url: `${base}?${query}` } : { method, url: base, body: query };
  });
  const r = await nsExec(ns, process.execPath, ['--input-type=module', '-e', BATCH_CLIENT], { input: JSON.stringify(wire), timeout: 60_000 });
  return JSON.parse(r.stdout) as HttpAnswer[];
}

/** Runs `fn` over `items`, a few at a time: each call starts a process, and the machine may have only two cores. */
export async function eachLimited<T>(items: readonly T[], fn: (item: T) => Promise<void>, limit = 8): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++] as T);
  };
  await Promise.all(Array.from({ length: limit }, worker));
}

const xmlParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  htmlEntities: true,
  isArray: (name) => name === 'param',
});

/** The error a response carries, in any of the three formats; fails when the response is not exactly one error. */
export function parseError(body: string, format: Format): SeenError {
  if (format === 'xml') {
    expect(XMLValidator.validate(body), body).toBe(true);
    const doc = (xmlParser.parse(body) as { doc: { error?: Record<string, unknown> } }).doc;
    expect(Object.keys(doc), body).toEqual(['error']);
    const e = doc.error as Record<string, unknown>;
    const params = (e.param ?? []) as Record<string, unknown>[];
    const value = params.find((p) => p['@_name'] === 'value');
    return { type: String(e['@_type']), object: String(e['@_object']), value: textOf(value), message: textOf(e.msg) };
  }
  if (format === 'json') {
    const doc = (JSON.parse(body) as { doc: { error?: Record<string, unknown> } }).doc;
    expect(Object.keys(doc), body).toEqual(['error']);
    const e = doc.error as { $type: string; $object: string; param?: { $name: string; $?: string }[]; msg: { $: string } };
    return { type: e.$type, object: e.$object, value: e.param?.find((p) => p.$name === 'value')?.$ ?? '', message: e.msg.$ };
  }
  const lines = body.split('\n').filter(Boolean);
  expect(lines, body).toHaveLength(1);
  const m = /^ERROR (\w+)\(([^,]+?)(?:, '(.*?)')?\): (.+)$/.exec(lines[0] as string);
  expect(m, body).not.toBeNull();
  const [, type = '', object = '', value = '', message = ''] = m as RegExpExecArray;
  return { type, object, value, message };
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  const text = (node as Record<string, unknown> | undefined)?.['#text'];
  return typeof text === 'string' ? text : '';
}
