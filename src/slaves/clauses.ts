// The slave servers changed: every master zone's clause, which names them, is given to the name server again.
import type { App } from '../app';
import { newClaim } from '../app';
import { ToolError } from '../errors';
import { writeTx } from '../store/db';
import { claimMasterClauses } from '../store/master-zones';
import { applyZones } from '../sync/zones';

/** Claims every master zone no request is changing and applies it; a clause the name server refuses is thrown. */
export async function reapplyMasterClauses(app: App): Promise<void> {
  const claim = newClaim();
  const claimed = writeTx(app.db, () => claimMasterClauses(app.db, claim));
  if (claimed.length === 0) return;
  const { failed } = await applyZones(app, claimed, claim);
  const first = failed.find((f) => f.error instanceof ToolError) ?? failed[0];
  if (first !== undefined) throw first.error;
}
