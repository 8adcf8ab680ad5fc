// The hosts of the name servers dnsmgr can drive (dns/host): the one dnsmgr.conf's NameServer names, or all of them
// (install writes every name server's units, so that `backend.migrate` finds them there).
import type { Settings } from '../files/settings';
import { BindHost } from './bind/host';
import type { NameServerHost } from './host';
import { PowerDnsHost } from './powerdns/host';

export function createHost(settings: Settings): NameServerHost {
  switch (settings.nameServer) {
    case 'bind':
      return new BindHost(settings);
    case 'powerdns':
      return new PowerDnsHost(settings);
  }
}

export function allHosts(settings: Settings): NameServerHost[] {
  return [new BindHost(settings), new PowerDnsHost(settings)];
}

/** The units install enables for a name server in use (uninstall disables them all, whichever is in use). */
export const HOST_ENABLED_UNIT_NAMES: readonly string[] = [...BindHost.ENABLED_UNIT_NAMES, ...PowerDnsHost.ENABLED_UNIT_NAMES];

/** The file names of every name server's systemd units (uninstall removes them without reading dnsmgr.conf). */
export const HOST_UNIT_NAMES: readonly string[] = [...BindHost.UNIT_NAMES, ...PowerDnsHost.UNIT_NAMES];
