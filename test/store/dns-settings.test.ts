// A namespace's DNS settings in the store: the built-in defaults until set, read back as written, one namespace's
// apart from another's, gone with their namespace.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DNS_SETTINGS } from '../../src/model/dns-settings';
import { getDnsSettings, setDnsSettings } from '../../src/store/dns-settings';
import { deleteNamespace } from '../../src/store/namespaces';
import { updateAccount } from '../../src/store/accounts';
import { seed, useTempDbs } from './temp-db';

const dbs = useTempDbs();

describe('dns settings', () => {
  it('are the defaults until set', () => {
    const db = dbs.open();
    const f = seed(db);
    expect(getDnsSettings(db, f.nsAlice)).toEqual({ subdomains: ['www'], ttl: 3600 });
    expect(DEFAULT_DNS_SETTINGS).toEqual({ subdomains: ['www'], ttl: 3600 });
  });

  it('are read back as written, each namespace its own', () => {
    const db = dbs.open();
    const f = seed(db);
    const s = { email: 'dns@example.net', nameServers: ['ns1.example.net', 'ns2.example.net'], mailServers: ['mx.example.net'], subdomains: ['www', 'ftp'], ttl: 600 };
    setDnsSettings(db, f.nsAlice, s);
    expect(getDnsSettings(db, f.nsAlice)).toEqual(s);
    expect(getDnsSettings(db, f.nsBob)).toEqual(DEFAULT_DNS_SETTINGS);
    const back = { email: undefined, nameServers: undefined, mailServers: undefined, subdomains: [], ttl: 3600 };
    setDnsSettings(db, f.nsAlice, back);
    expect(getDnsSettings(db, f.nsAlice)).toEqual(back);
  });

  it('go with their namespace', () => {
    const db = dbs.open();
    const f = seed(db);
    setDnsSettings(db, f.nsAlice, { ...DEFAULT_DNS_SETTINGS, ttl: 60 });
    updateAccount(db, f.alice, { namespaceId: null });
    deleteNamespace(db, f.nsAlice);
    expect(db.prepare('SELECT count(*) FROM namespace_dns').pluck().get()).toBe(0);
  });
});
