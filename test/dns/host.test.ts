// The name servers' hosts (dns/host): what install, init and backend.migrate ask of each, without running one.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../src/errors';
import { allHosts, createHost, HOST_UNIT_NAMES } from '../../src/dns/create-host';
import { loadSettings } from '../../src/files/settings';

const roots: string[] = [];
afterAll(() => { for (const root of roots) rmSync(root, { recursive: true, force: true }); });

function rootWith(conf: string): string {
  const root = mkdtempSync(join(tmpdir(), 'dnsmgr-host-'));
  roots.push(root);
  mkdirSync(join(root, 'etc'));
  writeFileSync(join(root, 'etc', 'dnsmgr.conf'), conf);
  return root;
}

describe('preflight', () => {
  it('BIND: refuses a named or rndc that cannot be run, naming it', () => {
    for (const tool of ['named', 'rndc']) {
      const s = loadSettings(rootWith(`path ${tool} /nonexistent/${tool}\n`));
      const host = createHost({ ...s, nameServer: 'bind' });
      expect(() => host.preflight()).toThrow(ToolError);
      expect(() => host.preflight()).toThrow(`/nonexistent/${tool}`);
    }
  });

  it('PowerDNS: refuses a missing pdns_server, and a missing gsqlite3 schema', () => {
    const noServer = loadSettings(rootWith('path pdns_server /nonexistent/pdns_server\n'));
    expect(() => createHost({ ...noServer, nameServer: 'powerdns' }).preflight()).toThrow(/is not installed/);
    const noSchema = loadSettings(rootWith('path pdns_server /bin/true\npath PdnsSchema /nonexistent/schema.sql\n'));
    expect(() => createHost({ ...noSchema, nameServer: 'powerdns' }).preflight()).toThrow(/has no gsqlite3 schema at \/nonexistent\/schema.sql/);
  });

  it('passes where the tools are there', () => {
    const s = loadSettings(rootWith('path named /bin/true\npath rndc /bin/true\npath pdns_server /bin/true\npath PdnsSchema /etc/hostname\n'));
    for (const host of allHosts(s)) expect(() => host.preflight()).not.toThrow();
  });
});

describe('units', () => {
  it('each host names the units it writes; only named\'s is enabled (PowerDNS enables an instance per namespace)', () => {
    const s = loadSettings(rootWith(''));
    const [bind, pdns] = allHosts(s);
    expect(bind?.units('/x/dnsmgr').files.map(([f]) => f)).toEqual(['dnsmgr-named.service']);
    expect(bind?.units('/x/dnsmgr').enabled).toEqual(['dnsmgr-named.service']);
    expect(pdns?.units('/x/dnsmgr').files.map(([f]) => f)).toEqual(['dnsmgr-pdns@.service']);
    expect(pdns?.units('/x/dnsmgr').enabled).toEqual([]);
    expect(HOST_UNIT_NAMES).toEqual(['dnsmgr-named.service', 'dnsmgr-pdns@.service']);
  });
});

describe('PowerDNS setUpForPanel', () => {
  const pdnsHost = (root: string) => createHost({ ...loadSettings(root), nameServer: 'powerdns' });

  it('says PdnsService systemd in the dnsmgr.conf install just made', () => {
    const root = rootWith('NameServer powerdns\n');
    const setup = pdnsHost(root).setUpForPanel(true, true);
    expect(setup.done).toEqual([`set PdnsService systemd in ${join(root, 'etc', 'dnsmgr.conf')}: PowerDNS instances (NameServer powerdns) run as dnsmgr-pdns@<view>.service`]);
    expect(readFileSync(join(root, 'etc', 'dnsmgr.conf'), 'utf8')).toBe('NameServer powerdns\nPdnsService systemd\n');
  });

  it('leaves an administrator\'s dnsmgr.conf as it is, and says what to add', () => {
    const root = rootWith('NameServer powerdns\n');
    const setup = pdnsHost(root).setUpForPanel(false, true);
    expect(setup.done).toEqual([]);
    expect(setup.skipped[0]).toContain('PdnsService systemd in');
    expect(readFileSync(join(root, 'etc', 'dnsmgr.conf'), 'utf8')).toBe('NameServer powerdns\n');
  });

  it('changes nothing where no units were written, or PdnsService is already said', () => {
    for (const [conf, unitsWritten] of [['NameServer powerdns\n', false], ['NameServer powerdns\nPdnsService dnsmgr\n', true]] as const) {
      const root = rootWith(conf);
      expect(pdnsHost(root).setUpForPanel(true, unitsWritten)).toEqual({ done: [], skipped: [] });
      expect(readFileSync(join(root, 'etc', 'dnsmgr.conf'), 'utf8')).toBe(conf);
    }
  });
});
