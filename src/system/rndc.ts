// rndc, the control channel of the running named: spoken natively (control-channel.ts), so no request spawns rndc.
// The `rndc` path setting stays for the administrator's own use (install's ExecReload, by hand); dnsmgr needs only
// the key file, the address and the port.
import { control, ControlCommandError, RESULT_EXISTS, RESULT_NOT_FOUND } from './control-channel';

export interface RndcTarget {
  rndc: string;
  keyFile: string;
  server: string;
  port: number;
  /** Per command; default 30 s, as rndc was given. */
  timeoutMs?: number;
}

export async function rndc(t: RndcTarget, args: readonly string[]): Promise<string> {
  return control({ keyFile: t.keyFile, server: t.server, port: t.port, ...(t.timeoutMs !== undefined ? { timeoutMs: t.timeoutMs } : {}) }, args);
}

/** named said the zone is already there (addzone) — a state, not a failure, for an idempotent caller. */
export function isAlreadyExists(err: unknown): boolean {
  return err instanceof ControlCommandError && err.result === RESULT_EXISTS;
}

/** named said there is no such zone (delzone, modzone, showzone). */
export function isZoneNotFound(err: unknown): boolean {
  return err instanceof ControlCommandError && err.result === RESULT_NOT_FOUND;
}
