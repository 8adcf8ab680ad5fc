// A PowerDNS instance's HTTP API on loopback: JSON requests with the API key, over a few kept-alive connections.
import type { Agent } from 'node:http';
import { ToolError } from '../../errors';
import { msg } from '../../i18n/msg';

const TIMEOUT_MS = 30_000;

/** No answer in time: unlike a refused connection, the request may have been carried out. */
export class ApiTimeoutError extends ToolError {}

export interface ApiAnswer {
  status: number;
  /** The parsed body, or undefined for none. */
  body: unknown;
}

export class PdnsApi {
  private agent?: Agent;

  constructor(
    private readonly port: number,
    private readonly apiKey: string,
    /** Connections kept to the instance at most (the parallelism of a batch). */
    private readonly connections: number,
  ) {}

  /**
   * One request to `/api/v1/servers/localhost<path>`. Any HTTP status is an answer (the caller decides what a 404 or a
   * 409 means); an instance that cannot be reached or does not answer in time is a ToolError.
   */
  async call(method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', path: string, body?: unknown): Promise<ApiAnswer> {
    // Loaded on first use: node:http is ~4 ms to load, and only the requests that reach PowerDNS need it.
    const http = await import('node:http');
    this.agent ??= new http.Agent({ keepAlive: true, maxSockets: this.connections });
    const label = `PowerDNS API ${method} ${path}`;
    const data = body === undefined ? undefined : JSON.stringify(body);
    return new Promise<ApiAnswer>((resolve, reject) => {
      const req = http.request({
        host: '127.0.0.1',
        port: this.port,
        method,
        path: `/api/v1/servers/localhost${path}`,
        agent: this.agent,
        timeout: TIMEOUT_MS,
        headers: { 'X-API-Key': this.apiKey, ...(data !== undefined ? { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(data) } : {}) },
      }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (err) => reject(new ToolError(label, undefined, err.message)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let parsed: unknown;
          try {
            parsed = text === '' ? undefined : JSON.parse(text);
          } catch {
            parsed = text;
          }
          resolve({ status: res.statusCode ?? 0, body: parsed });
        });
      });
      req.on('timeout', () => req.destroy(new ApiTimeoutError(label, undefined, '', msg`timed out after ${TIMEOUT_MS} ms`)));
      req.on('error', (err) => reject(err instanceof ToolError ? err : new ToolError(label, undefined, err.message)));
      req.end(data);
    });
  }

  close(): void {
    this.agent?.destroy();
    this.agent = undefined;
  }
}

/** The error PowerDNS put in a refusal's body (`{"error": "…"}`), or the status. */
export function apiError(label: string, answer: ApiAnswer): ToolError {
  const body = answer.body as { error?: unknown } | string | undefined;
  const text = typeof body === 'object' && body !== null && typeof body.error === 'string' ? body.error : typeof body === 'string' ? body : '';
  return new ToolError(label, undefined, text === '' ? `HTTP status ${answer.status}` : `HTTP status ${answer.status}: ${text}`);
}
