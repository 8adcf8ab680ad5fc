// A PowerDNS instance's own database (pdns-backend-sqlite3, one per view): made from PowerDNS's schema, and read back
// to list the zones it holds. PowerDNS owns it and writes it; dnsmgr only creates it and reads it.
import { openSqlite } from './db';

/** A zone of the instance, as PowerDNS keeps it. */
export interface PdnsZoneRow {
  /** As PowerDNS stores it (no trailing dot, any case). */
  name: string;
  /** PowerDNS's `type` column, in capitals: SLAVE, CONSUMER (secondaries), MASTER, NATIVE, PRODUCER (primaries). */
  type: string;
  /** PowerDNS's `master` column: addresses joined by ',' ('' for none). */
  master: string;
  /** The zone's ALLOW-AXFR-FROM metadata entries. */
  allowAxfrFrom: string[];
  /** Those of them dnsmgr added for its slave servers (X-DNSMGR-SLAVE-AXFR). */
  slaveAxfrFrom: string[];
}

/** Makes the database at `file` (which must not exist yet) from the gsqlite3 schema's SQL text. */
export function createPdnsDb(file: string, schemaSql: string): void {
  const db = openSqlite(file);
  try {
    db.exec(schemaSql);
  } finally {
    db.close();
  }
}

/** The instance's zones by name, with their types, masters and transfer lists in one query; read-only. */
export function readPdnsZones(file: string): PdnsZoneRow[] {
  const db = openSqlite(file, { readonly: true, fileMustExist: true });
  try {
    db.pragma('busy_timeout = 15000');
    const rows = db.prepare(`SELECT d.name AS name, upper(d.type) AS type, d.master AS master,
        (SELECT json_group_array(m.content) FROM domainmetadata m WHERE m.domain_id = d.id AND m.kind = 'ALLOW-AXFR-FROM') AS xfer,
        (SELECT json_group_array(m.content) FROM domainmetadata m WHERE m.domain_id = d.id AND m.kind = 'X-DNSMGR-SLAVE-AXFR') AS slaves
      FROM domains d ORDER BY d.name`).all() as { name: string; type: string; master: string; xfer: string; slaves: string }[];
    return rows.map((r) => ({ name: r.name, type: r.type, master: r.master, allowAxfrFrom: JSON.parse(r.xfer) as string[], slaveAxfrFrom: JSON.parse(r.slaves) as string[] }));
  } finally {
    db.close();
  }
}
