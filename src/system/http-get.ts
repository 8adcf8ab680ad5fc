// A GET to a local HTTP endpoint (named's statistics channel), its body streamed to a callback chunk by chunk.
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';

export async function httpGetStream(url: string, onChunk: (text: string) => void, timeoutMs: number): Promise<void> {
  // Loaded on first use: node:http costs a request that never asks named's statistics (most of them) ~4 ms to load.
  const { request } = await import('node:http');
  await new Promise<void>((resolve, reject) => {
    const req = request(url, { method: 'GET', timeout: timeoutMs }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new ToolError(`GET ${url}`, res.statusCode, msg`HTTP status ${res.statusCode ?? '?'}`));
        return;
      }
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        try {
          onChunk(chunk);
        } catch (err) {
          req.destroy(err as Error);
        }
      });
      res.on('end', resolve);
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new ToolError(`GET ${url}`, undefined, '', msg`timed out after ${timeoutMs} ms`)));
    req.on('error', (err) => reject(err instanceof ToolError ? err : new ToolError(`GET ${url}`, undefined, err.message)));
    req.end();
  });
}
