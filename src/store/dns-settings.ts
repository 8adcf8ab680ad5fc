// A namespace's DNS settings (namespace_dns, one row at most): read with the built-in defaults standing in for what
// was never set. Values were checked (model/dns-settings) before they were stored: read back, they are trusted.
import { DEFAULT_DNS_SETTINGS } from '../model/dns-settings';
import type { DnsSettings } from '../model/dns-settings';
import type { Db } from './db';

interface Row { email: string | null; ns: string | null; mx: string | null; subdomains: string | null; ttl: number | null }

const hosts = (column: string | null): string[] | undefined => (column === null ? undefined : column.split(' ').filter(Boolean));

export function getDnsSettings(db: Db, namespaceId: number): DnsSettings {
  const row = db.prepare('SELECT email, ns, mx, subdomains, ttl FROM namespace_dns WHERE namespace_id = ?').get(namespaceId) as Row | undefined;
  if (row === undefined) return DEFAULT_DNS_SETTINGS;
  return {
    email: row.email ?? undefined,
    nameServers: hosts(row.ns),
    mailServers: hosts(row.mx),
    subdomains: hosts(row.subdomains) ?? DEFAULT_DNS_SETTINGS.subdomains,
    ttl: row.ttl ?? DEFAULT_DNS_SETTINGS.ttl,
  };
}

export function setDnsSettings(db: Db, namespaceId: number, s: DnsSettings): void {
  const join = (list: readonly string[] | undefined): string | null => (list === undefined ? null : list.join(' '));
  db.prepare(`INSERT INTO namespace_dns (namespace_id, email, ns, mx, subdomains, ttl) VALUES (?, ?, ?, ?, ?, ?)
      ON CONFLICT(namespace_id) DO UPDATE SET email = excluded.email, ns = excluded.ns, mx = excluded.mx,
        subdomains = excluded.subdomains, ttl = excluded.ttl`)
    .run(namespaceId, s.email ?? null, join(s.nameServers), join(s.mailServers), s.subdomains.join(' '), s.ttl);
}
