// ISPmanager as a panel of the integration room: its DNS and WWW domain functions, and its DNS domains as its own
// mgrctl lists them.
import { dnsDomainChanges, listDomains, zoneNames } from '../panels/adapter';
import type { HookChange, PanelAdapter } from '../panels/adapter';

/**
 * ISPmanager's names: `domain.*` are its DNS domains; `webdomain.*` its WWW domains (sites) in ISPmanager 5, whose
 * creation may make a DNS domain too, and whose deletion (also through the confirmation form
 * `webdomain.delete.confirm`) may remove it — whether it did is asked of the panel when the change is sent (`verify`).
 * ISPmanager 6 names sites `site.edit` / `site.delete` (their name in `site_name`); the `webdomain.*` events are said
 * to fire for them still, and both are hooked: a change verified twice is the same change.
 */
export const ISPMANAGER: PanelAdapter = {
  panel: 'ispmgr',
  title: 'ISPmanager',
  exeName: 'dnsmgr-ispmgr',
  events: ['domain.edit', 'domain.delete', 'webdomain.edit', 'webdomain.delete', 'webdomain.delete.confirm', 'site.edit', 'site.delete'],
  changesFor(func, params): HookChange[] {
    const dns = dnsDomainChanges(func, params);
    if (dns !== undefined) return dns;
    const submitted = params.sok !== undefined && params.sok !== '';
    switch (func) {
      case 'webdomain.edit':
        return submitted && !params.elid ? zoneNames(params.name).map((zone) => ({ zone, action: 'verify' })) : [];
      case 'webdomain.delete':
      case 'site.delete':
        return zoneNames(params.elid).map((zone) => ({ zone, action: 'verify' }));
      case 'webdomain.delete.confirm':
        // The form is shown first (no sok); its submission deletes.
        return submitted ? zoneNames(params.elid).map((zone) => ({ zone, action: 'verify' })) : [];
      case 'site.edit':
        return submitted && !params.elid ? zoneNames(params.site_name ?? params.name).map((zone) => ({ zone, action: 'verify' })) : [];
      default:
        return [];
    }
  },
  dnsDomains: (cfg) => listDomains(cfg, 'ispmgr'),
};
