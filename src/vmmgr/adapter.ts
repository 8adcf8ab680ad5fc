// VDSmanager (COREmanager's vmmgr) as a panel of the integration room: the DNS domains and reverse zones it serves
// for its virtual servers get their slaves on dnsmgr, and lose them when they go.
//
// Nothing public documents how VDSmanager names its DNS functions or what its server and address events carry
// (its PTR records are documented as IPmanager's; see README, "VDSmanager"). What it does publicly document is its API:
// a virtual server is made and changed by `vm.edit` (its host name in `domain`) and removed by `vm.delete` (its id in
// `elid`); an address is added to one by `iplist.edit` (the server in `plid`) and removed by `iplist.delete`. So:
//   - its own DNS domain functions, where it has them (`domain.edit`, `domain.delete`), mean what they mean in
//     ISPmanager: a zone created or deleted, by name;
//   - every server or address event means "the panel's zones may have changed" and asks for a synchronization with
//     the panel's DNS domain list (`mgrctl -m vmmgr domain`, forward and reverse zones alike): the zones it gained are
//     created on the slave, those it lost are deleted (only zones this panel pushed, and at most
//     EVENT_SYNC_DELETE_LIMIT at once: no administrator asked) — an event that names no zone (a server deleted by id)
//     is covered as well as one that does. One synchronization waits at a time, however many events queue one.
import { dnsDomainChanges, EVENT_SYNC_MARKER, listDomains } from '../panels/adapter';
import type { HookChange, PanelAdapter } from '../panels/adapter';

const SYNCHRONIZE: HookChange = { zone: EVENT_SYNC_MARKER, action: 'verify' };

export const VDSMANAGER: PanelAdapter = {
  panel: 'vmmgr',
  title: 'VDSmanager',
  exeName: 'dnsmgr-vmmgr',
  events: ['domain.edit', 'domain.delete', 'vm.edit', 'vm.delete', 'iplist.edit', 'iplist.delete'],
  changesFor(func, params): HookChange[] {
    const dns = dnsDomainChanges(func, params);
    if (dns !== undefined) return dns;
    const submitted = params.sok !== undefined && params.sok !== '';
    switch (func) {
      case 'vm.edit':
      case 'iplist.edit':
        // Opening the form changes nothing.
        return submitted ? [SYNCHRONIZE] : [];
      case 'vm.delete':
      case 'iplist.delete':
        return [SYNCHRONIZE];
      default:
        return [];
    }
  },
  dnsDomains: (cfg) => listDomains(cfg, 'vmmgr'),
};
