// Master zones as the slave servers see them (src/slaves/): which ones they hold, transferred from which address.
import type { Db } from './db';
import { now } from './db';

/**
 * The address a namespace's master zones are transferred from: its first pool address (transfers to it reach the
 * namespace's view). Undefined for a namespace with no address: nothing could transfer its zones.
 */
export function namespaceMasterIp(db: Db, namespaceId: number): string | undefined {
  return db.prepare('SELECT addr FROM ipaddr WHERE namespace_id = ? ORDER BY addr LIMIT 1').pluck().get(namespaceId) as string | undefined;
}

/**
 * Every master zone the name server has (not being deleted), by name, with its namespace's address; a name held in two
 * namespaces once, from the first. Zones of namespaces without an address are left out.
 */
export function masterZoneAddresses(db: Db): Map<string, string> {
  const rows = db.prepare(`SELECT z.name, (SELECT addr FROM ipaddr WHERE namespace_id = z.namespace_id ORDER BY addr LIMIT 1) AS ip
    FROM zone z WHERE z.dtype = 'master' AND z.applied_masters IS NOT NULL AND (z.pending IS NULL OR z.pending <> 'delete') ORDER BY z.id`)
    .all() as { name: string; ip: string | null }[];
  const out = new Map<string, string>();
  for (const r of rows) if (r.ip !== null && !out.has(r.name)) out.set(r.name, r.ip);
  return out;
}

/**
 * The address the slave servers transfer a master zone of that name from now, as masterZoneAddresses has it: the first
 * such zone the name server has whose namespace has an address; undefined when there is none.
 */
export function masterZoneAddress(db: Db, name: string): string | undefined {
  return db.prepare(`SELECT ip FROM (SELECT z.id, (SELECT addr FROM ipaddr WHERE namespace_id = z.namespace_id ORDER BY addr LIMIT 1) AS ip
      FROM zone z WHERE z.name = ? AND z.dtype = 'master' AND z.applied_masters IS NOT NULL AND (z.pending IS NULL OR z.pending <> 'delete'))
    WHERE ip IS NOT NULL ORDER BY id LIMIT 1`).pluck().get(name) as string | undefined;
}

/**
 * The slave servers changed: every master zone the name server has, no request is changing and is not suspended is
 * claimed for its clause to be given again (its recorded ACLs forgotten, as claimClauseChange does). Returns the ids.
 */
export function claimMasterClauses(db: Db, claim: string): number[] {
  return db.prepare(`UPDATE zone SET pending = 'apply', claim = ?, claimed_at = ?, applied_acl = NULL
      WHERE dtype = 'master' AND pending IS NULL AND suspended_at IS NULL AND applied_masters IS NOT NULL RETURNING id`)
    .pluck().all(claim, now()) as number[];
}
