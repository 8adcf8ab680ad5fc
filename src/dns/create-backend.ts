// The name server dnsmgr drives, as dnsmgr.conf's NameServer says: the one place a backend is chosen and made.
import type { Settings } from '../files/settings';
import type { NameServerBackend } from './backend';
import { BindBackend } from './bind/bind-backend';
import { PowerDnsBackend } from './powerdns/pdns-backend';

export function createBackend(settings: Settings): NameServerBackend {
  switch (settings.nameServer) {
    case 'bind':
      return new BindBackend(settings);
    case 'powerdns':
      return new PowerDnsBackend(settings);
  }
}
