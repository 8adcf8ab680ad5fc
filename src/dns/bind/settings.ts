// The dnsmgr.conf keys only BIND needs: where named's files are, how dnsmgr reaches it, who it runs as. Read and
// checked by loadSettings (files/settings), which reports every bad key of the file together.
import { join } from 'node:path';
import { isIpv4, isIpv6 } from '../../model/address';
import { msg } from '../../i18n/msg';
import type { ConfReader, SystemId } from '../../files/settings';

export interface BindSettings {
  conf: string;
  views: string;
  zoneDir: string;
  nzdDir: string;
  rndcKey: string;
  rndcServer: string;
  rndcPort: number;
  /** StatisticsPort: named's statistics channel, on the rndc address (loopback). */
  statsPort: number;
  /**
   * NamedUpdatePort: where named takes dnsmgr's own DNS requests — a master zone's signed updates and transfers — on
   * the rndc address (loopback).
   */
  updatePort: number;
  /** NamedZoneLog: the log channel for zone transfers and refreshes that the health refresh reads. */
  zoneLog: string;
  /**
   * NamedBulkLoad: a batch with at least this many zones to add or change in one view is written into the view's
   * new-zones database at once (mdb_dump, mdb_load) and read by named with one reconfig, instead of a command per zone; 0 = never.
   */
  bulkLoad: number;
  /** The lock every process holds while named reads or writes a new-zones database (NzdLock). */
  nzdLock: string;
  /** NamedUID / NamedGID: who named runs as, for the files dnsmgr creates for it; unset = the owner of the file replaced. */
  uid?: SystemId;
  gid?: SystemId;
}

export interface BindTools {
  named: string;
  rndc: string;
  namedCheckconf: string;
  mdbLoad: string;
  mdbDump: string;
}

/**
 * From how many zones a view's batch is loaded at once: below it, a command per zone costs less than named's reconfig
 * (at 100,000 zones a reconfig takes ~2 s, about what 500 addzones take; scripts/bench-bulk.mjs).
 */
const DEFAULT_BULK_LOAD = 500;

export function readBindSettings(root: string, r: ConfReader): { named: BindSettings; tools: BindTools } {
  // In the order the keys are reported: the paths, then the values.
  const paths = {
    conf: r.path('NamedConf', join(root, 'etc', 'named', 'named.conf')),
    views: r.path('NamedViews', join(root, 'etc', 'named', 'dnsmgr-views.conf')),
    zoneDir: r.path('NamedZoneDir', join(root, 'var', 'named', 'slave')),
    nzdDir: r.path('NamedNewZonesDir', join(root, 'var', 'named', 'nzd')),
    rndcKey: r.path('RndcKey', join(root, 'etc', 'named', 'rndc.key')),
    zoneLog: r.path('NamedZoneLog', join(root, 'var', 'log', 'named', 'zones.log')),
  };
  const tools = {
    named: r.tool('named', 'named'),
    rndc: r.tool('rndc', 'rndc'),
    namedCheckconf: r.tool('named-checkconf', 'named-checkconf'),
    mdbLoad: r.tool('mdb_load', 'mdb_load'),
    mdbDump: r.tool('mdb_dump', 'mdb_dump'),
  };
  const bulkText = r.key('NamedBulkLoad') ?? String(DEFAULT_BULK_LOAD);
  const bulkLoad = /^[0-9]{1,8}$/.test(bulkText) ? Number(bulkText) : NaN;
  if (Number.isNaN(bulkLoad)) r.report('NamedBulkLoad', bulkText, msg`expected a whole number from 0 to ${99_999_999}`);
  const rndcPort = r.port('RndcPort', 953);
  const statsPort = r.port('StatisticsPort', 8053);
  const updatePort = r.port('NamedUpdatePort', 8054);
  const rndcServer = r.key('RndcServer') ?? '127.0.0.1';
  // The character class alone would take 'cafe' or '...', which named.conf reads as an ACL name or rejects.
  if (!isIpv4(rndcServer) && !isIpv6(rndcServer)) r.report('RndcServer', rndcServer, msg`expected an IP address`);
  const uid = r.systemId('NamedUID');
  const gid = r.systemId('NamedGID');
  return {
    named: {
      ...paths,
      rndcServer,
      rndcPort,
      statsPort,
      updatePort,
      bulkLoad: Number.isNaN(bulkLoad) ? DEFAULT_BULK_LOAD : bulkLoad,
      nzdLock: join(root, 'var', 'run', 'named-nzd.lock'),
      ...(uid !== undefined ? { uid } : {}),
      ...(gid !== undefined ? { gid } : {}),
    },
    tools,
  };
}
