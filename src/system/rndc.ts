// rndc, the control channel of the running named.
import { ToolError } from '../errors';
import { joinMsgs, msg } from '../i18n/msg';
import { runTool } from './run-tool';

export interface RndcTarget {
  rndc: string;
  keyFile: string;
  server: string;
  port: number;
}

export async function rndc(t: RndcTarget, args: readonly string[]): Promise<string> {
  // Errors name the operation (rndc addzone example.com), not the connection options.
  const label = `rndc ${args.filter((a) => !a.startsWith('{')).slice(0, 3).join(' ')}`;
  try {
    const r = await runTool(t.rndc, ['-k', t.keyFile, '-s', t.server, '-p', String(t.port), ...args], { label });
    return r.stdout;
  } catch (err) {
    // "connect failed: connection refused" alone does not say that nothing was changed, nor why.
    if (!(err instanceof ToolError) || !/connect failed/.test(err.stderr)) throw err;
    throw new ToolError(err.command, err.exitCode, joinMsgs([err.detail, msg`named is not answering on ${t.server} port ${t.port}: it is not running, or is being restarted`]), err.what);
  }
}

/** rndc said the zone is already there (addzone) — a state, not a failure, for an idempotent caller. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ToolError && /already exists/i.test(err.stderr);
}

/** rndc said there is no such zone (delzone, modzone, showzone). */
export function isZoneNotFound(err: unknown): boolean {
  return err instanceof ToolError && /not found|no matching zone/i.test(err.stderr);
}
