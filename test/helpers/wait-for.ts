import { setTimeout as sleep } from 'node:timers/promises';

export interface WaitForOptions {
  timeoutMs: number;
  /** Pause between attempts; default 100 ms. */
  intervalMs?: number;
  /** What is awaited, for the error message: "slave serves example.com with serial 5". */
  what: string;
}

/**
 * Calls `fn` until it returns something other than undefined or false, and returns that. On timeout, throws an
 * error naming `what`, the time waited, the number of attempts and the last error `fn` threw (if any).
 */
export async function waitFor<T>(fn: () => Promise<T | undefined | false>, opts: WaitForOptions): Promise<T> {
  const interval = opts.intervalMs ?? 100;
  const started = Date.now();
  let attempts = 0;
  let lastError: unknown;
  for (;;) {
    attempts += 1;
    try {
      const value = await fn();
      if (value !== undefined && value !== false) return value;
      lastError = undefined;
    } catch (error) {
      lastError = error;
    }
    const elapsed = Date.now() - started;
    if (elapsed >= opts.timeoutMs) {
      const cause = lastError === undefined ? '' : `; last error: ${describe(lastError)}`;
      throw new Error(`Timed out after ${elapsed} ms (${attempts} attempts) waiting for: ${opts.what}${cause}`, {
        cause: lastError,
      });
    }
    await sleep(Math.min(interval, Math.max(0, opts.timeoutMs - elapsed)));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
