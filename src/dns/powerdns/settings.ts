// The dnsmgr.conf keys only PowerDNS needs: where its instances' files are, their API ports, who runs them. Read and
// checked by loadSettings (files/settings), which reports every bad key of the file together.
import { join } from 'node:path';
import { msg } from '../../i18n/msg';
import type { ConfReader } from '../../files/settings';

/** Who starts and stops the PowerDNS instances, as dnsmgr.conf's PdnsService names it. */
export const PDNS_SERVICES = ['dnsmgr', 'systemd'] as const;
export type PdnsService = (typeof PDNS_SERVICES)[number];

/** NameServer powerdns: one pdns_server instance per namespace. */
export interface PowerDnsSettings {
  /** PdnsConfDir: the instances' configuration files (`pdns-<view>.conf`) and the API key. */
  confDir: string;
  /** PdnsDataDir: each instance's SQLite database (`<view>.sqlite3`). */
  dataDir: string;
  /** PdnsRunDir: each instance's socket directory (its pid file and control socket). */
  runDir: string;
  /** Each instance's output (`pdns-<view>.log`). */
  logDir: string;
  /** PdnsSchema: the gsqlite3 backend's schema, from the pdns-backend-sqlite3 package. */
  schema: string;
  /** PdnsPortBase: instance n has its HTTP API on loopback port base+2n, and base+2n+1 for DNS while it has no address. */
  portBase: number;
  /**
   * PdnsService: who runs the instances — dnsmgr itself (`dnsmgr`, started detached; `dnsmgr run` restarts one that
   * dies), or systemd (`systemd`: the template unit dnsmgr-pdns@.service that `install` writes, one enabled per view).
   */
  service: PdnsService;
}

export interface PowerDnsTools {
  pdnsServer: string;
  systemctl: string;
}

/** Loopback ports of the PowerDNS instances' APIs (two per instance, see PowerDnsSettings.portBase). */
const DEFAULT_PDNS_PORT_BASE = 18300;

export function readPowerDnsSettings(root: string, r: ConfReader): { powerdns: PowerDnsSettings; tools: PowerDnsTools } {
  const serviceText = r.key('PdnsService') ?? 'dnsmgr';
  const service = PDNS_SERVICES.find((v) => v === serviceText);
  if (service === undefined) r.report('PdnsService', serviceText, msg`expected one of ${PDNS_SERVICES.map((n) => `'${n}'`).join(', ')}`);
  return {
    powerdns: {
      confDir: r.path('PdnsConfDir', join(root, 'etc', 'powerdns')),
      dataDir: r.path('PdnsDataDir', join(root, 'var', 'lib', 'powerdns')),
      runDir: r.path('PdnsRunDir', join(root, 'var', 'run', 'powerdns')),
      logDir: join(root, 'var', 'log', 'powerdns'),
      schema: r.path('PdnsSchema', '/usr/share/pdns-backend-sqlite3/schema/schema.sqlite3.sql'),
      portBase: r.port('PdnsPortBase', DEFAULT_PDNS_PORT_BASE),
      service: service ?? 'dnsmgr',
    },
    tools: {
      pdnsServer: r.tool('pdns_server', 'pdns_server'),
      systemctl: r.tool('systemctl', 'systemctl'),
    },
  };
}
