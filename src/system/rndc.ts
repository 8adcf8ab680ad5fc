// rndc, the control channel of the running named.
import { ToolError } from '../errors';
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
  const r = await runTool(t.rndc, ['-k', t.keyFile, '-s', t.server, '-p', String(t.port), ...args], { label });
  return r.stdout;
}

/** rndc said the zone is already there (addzone) — a state, not a failure, for an idempotent caller. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ToolError && /already exists/i.test(err.stderr);
}

/** rndc said there is no such zone (delzone, modzone, showzone). */
export function isZoneNotFound(err: unknown): boolean {
  return err instanceof ToolError && /not found|no matching zone/i.test(err.stderr);
}
