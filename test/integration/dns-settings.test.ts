// A namespace's DNS settings (dnsparam), against a real named: saved and read back; a master zone made without name
// servers or contact takes them (its NS, SOA, MX, subdomains and TTL as named answers them); apply=on puts new name
// servers into the zones already there; bad values change nothing; one account's settings are not another's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';
import type { TestNet } from '../helpers/netns';
import { dig, digAnswers, digStatus, waitFor } from '../helpers/named';
import { expectCliOk, parseTextRows } from '../helpers/dnsmgr';
import type { Instance } from '../helpers/dnsmgr';

const ALICE_IP = '192.0.2.51';
const BOB_IP = '192.0.2.52';
const RES_IP = '192.0.2.53';
const ALICE_AUTH = 'alice:alice-pw';

let net: TestNet;
let dm: Instance;
let world: World;

const ok = (args: string[]): Promise<void> => expectCliOk(dm, args);
const answers = (ip: string, name: string, type: string): Promise<string[]> => digAnswers(net.master, ip, name, type);
const status = (ip: string, name: string, type = 'SOA'): Promise<string> => digStatus(net.master, ip, name, type);

/** The form values dnsparam returns, as the CLI prints them (key=value lines). */
async function settings(user: string): Promise<Record<string, string>> {
  const r = await dm.cli(['dnsparam', `su=${user}`], { out: 'json' });
  expect(r.exitCode, r.stderr).toBe(0);
  return formValues(r.stdout);
}

function formValues(json: string): Record<string, string> {
  const doc = JSON.parse(json) as { doc?: Record<string, { $?: string }> } & Record<string, unknown>;
  const root = (doc.doc ?? doc) as Record<string, unknown>;
  const out: Record<string, string> = {};
  for (const key of ['email', 'ns', 'mx', 'subdomains', 'ttl', 'apply', 'allow_transfer']) {
    const v = root[key];
    out[key] = typeof v === 'string' ? v : typeof v === 'object' && v !== null && '$' in v ? String((v as { $: unknown }).$) : '';
  }
  return out;
}

async function masterZone(user: string, ip: string, zone: string, extra: string[] = []): Promise<void> {
  await ok(['domain.edit', 'dtype=master', `name=${zone}`, `ip=${ip}`, ...extra, 'sok=ok', `su=${user}`]);
  await waitFor(async () => (await status(ip, zone)) === 'NOERROR', { timeoutMs: 5000, what: `${zone} answered` });
}

async function records(zone: string, user: string): Promise<Record<string, string>[]> {
  const r = await dm.cli(['domain.record', `plid=${zone}`, `su=${user}`]);
  expect(r.exitCode, r.stderr).toBe(0);
  return parseTextRows(r.stdout);
}

beforeAll(async () => {
  world = await startWorld('dnsparam', []);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE_IP);
  await dm.addUser('bob', 'bob-pw', BOB_IP);
  // A reseller whose user carol shares its namespace.
  await ok(['ipaddr.edit', `name=${RES_IP}`, 'sok=ok']);
  await ok(['reseller.edit', 'name=res', 'passwd=res-pw', `ip=${RES_IP}`, 'sok=ok']);
  await ok(['user.edit', 'name=carol', 'passwd=carol-pw', 'nstype=shared', 'sok=ok', 'su=res']);
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('dnsparam', () => {
  it('without settings, shows the defaults and the namespace\'s allow-transfer', async () => {
    expect(await settings('alice')).toEqual({ email: '', ns: '', mx: '', subdomains: 'www', ttl: '3600', apply: 'off', allow_transfer: 'none' });
  });

  it('a zone made before any settings has the built-in defaults', async () => {
    await masterZone('alice', ALICE_IP, 'early.example');
    expect(await answers(ALICE_IP, 'early.example', 'NS')).toEqual(['ns1.early.example.', 'ns2.early.example.']);
  });

  it('saves the settings and reads them back, through the CLI and HTTP', async () => {
    await ok(['dnsparam', 'email=dns@alice.example', 'ns=ns1.dns.example.net, NS2.dns.example.net.', 'mx=mx1.example.net mx2.example.net', 'subdomains=www ftp', 'ttl=600', 'sok=ok', 'su=alice']);
    const expected = { email: 'dns@alice.example', ns: 'ns1.dns.example.net ns2.dns.example.net', mx: 'mx1.example.net mx2.example.net', subdomains: 'www ftp', ttl: '600', apply: 'off', allow_transfer: 'none' };
    expect(await settings('alice')).toEqual(expected);
    const http = await dm.http({ authinfo: ALICE_AUTH, func: 'dnsparam', out: 'json' });
    expect(formValues(http.body)).toEqual(expected);
    // The panel's form posts every field back, allow-transfer as shown and the checkbox off.
    const handler = await dm.handler({ func: 'dnsparam', ...expected, ttl: '700', sok: 'ok' }, { user: 'alice', level: 16 });
    expect(handler.stdout).toContain('<ok');
    expect(await settings('alice')).toEqual({ ...expected, ttl: '700' });
    // A field left out keeps its value.
    await ok(['dnsparam', 'ttl=900', 'sok=ok', 'su=alice']);
    expect(await settings('alice')).toEqual({ ...expected, ttl: '900' });
    await ok(['dnsparam', 'ttl=600', 'sok=ok', 'su=alice']);
  });

  it('a new master zone without ns and email takes them, as named answers it on its owner\'s address', async () => {
    const zone = 'settled.example';
    await masterZone('alice', ALICE_IP, zone);
    expect(await answers(ALICE_IP, zone, 'NS')).toEqual(['ns1.dns.example.net.', 'ns2.dns.example.net.']);
    expect(await answers(ALICE_IP, zone, 'SOA')).toEqual([expect.stringMatching(/^ns1\.dns\.example\.net\. dns\.alice\.example\. \d+ 10800 3600 604800 3600$/)]);
    expect(await answers(ALICE_IP, zone, 'MX')).toEqual(['10 mx1.example.net.', '20 mx2.example.net.']);
    expect(await answers(ALICE_IP, `ftp.${zone}`, 'A')).toEqual([ALICE_IP]);
    expect(await answers(ALICE_IP, `www.${zone}`, 'A')).toEqual([ALICE_IP]);
    // Mail servers of its own: no mail.<zone>.
    expect(await status(ALICE_IP, `mail.${zone}`, 'A')).toBe('NXDOMAIN');
    expect((await dig(net.master, ALICE_IP, zone, 'NS')).records.map((r) => r.ttl)).toEqual([600, 600]);
    // A record added without a TTL takes the namespace's.
    await ok(['domain.record.edit', `plid=${zone}`, 'name=t', 'rtype=A', `value=${ALICE_IP}`, 'sok=ok', 'su=alice']);
    expect((await dig(net.master, ALICE_IP, `t.${zone}`, 'A')).records.map((r) => r.ttl)).toEqual([600]);
  });

  it('what domain.edit says wins over the settings', async () => {
    const zone = 'explicit.example';
    await masterZone('alice', ALICE_IP, zone, ['ns=ns.explicit.example.', 'email=me@explicit.example']);
    expect(await answers(ALICE_IP, zone, 'NS')).toEqual(['ns.explicit.example.']);
    expect(await answers(ALICE_IP, `ns.${zone}`, 'A')).toEqual([ALICE_IP]);
    expect(await answers(ALICE_IP, zone, 'SOA')).toEqual([expect.stringMatching(/^ns\.explicit\.example\. me\.explicit\.example\. /)]);
  });

  it.each([
    ['a name server of one label', ['ns=ns1'], 'ns'],
    ['a name server list of commas only', ['ns=, ,'], 'ns'],
    ['a name server given as an address', [`ns=${ALICE_IP}`], 'ns'],
    ['a bad email', ['email=nobody'], 'email'],
    ['a TTL out of range', ['ttl=604801'], 'ttl'],
    ['an absolute subdomain', ['subdomains=www.example.com.'], 'subdomains'],
    ['a mail server with a bad character', ['mx=mx!.example.net'], 'mx'],
    ['an allow-transfer change', ['allow_transfer=any'], 'allow_transfer'],
  ])('%s is refused, naming the field, and changes nothing', async (_, fields, param) => {
    const before = { settings: await settings('alice'), ns: await answers(ALICE_IP, 'early.example', 'NS') };
    // Good fields beside the bad one are not saved either.
    const good = ['email=other@alice.example', 'ns=ns9.example.org', 'apply=on'].filter((g) => !fields.some((f) => f.startsWith(g.slice(0, g.indexOf('=') + 1))));
    const r = await dm.cli(['dnsparam', ...good, ...fields, 'sok=ok', 'su=alice'], { out: 'xml' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain(`<error type="value" object="${param}"`);
    expect(await settings('alice')).toEqual(before.settings);
    expect(await answers(ALICE_IP, 'early.example', 'NS')).toEqual(before.ns);
  });

  it('apply=on puts the new name servers into the zones already there, in the database and in named, the first the SOA\'s primary', async () => {
    // One signed by named's own policy too: its SOA is read and changed as it is served.
    await masterZone('alice', ALICE_IP, 'signed.example', ['dnssec=on']);
    const zones = ['early.example', 'settled.example', 'explicit.example', 'signed.example'];
    const serials = await Promise.all(zones.map(async (zone) => Number((await answers(ALICE_IP, zone, 'SOA'))[0]?.split(' ')[2])));
    await ok(['dnsparam', 'ns=a.ns.example.org b.ns.example.org', 'apply=on', 'sok=ok', 'su=alice']);
    for (const [i, zone] of zones.entries()) {
      expect(await answers(ALICE_IP, zone, 'NS'), zone).toEqual(['a.ns.example.org.', 'b.ns.example.org.']);
      expect((await records(zone, 'alice')).filter((row) => row.rtype === 'NS').map((row) => row.value).sort(), zone).toEqual(['a.ns.example.org.', 'b.ns.example.org.']);
      // The SOA names the first as the primary, the rest of it as it was, the serial further on.
      const soa = (await answers(ALICE_IP, zone, 'SOA'))[0]?.split(' ') ?? [];
      expect(soa[0], zone).toBe('a.ns.example.org.');
      expect(soa.slice(3), zone).toEqual(['10800', '3600', '604800', '3600']);
      expect(Number(soa[2]), zone).toBeGreaterThan(serials[i] as number);
    }
    expect((await answers(ALICE_IP, 'explicit.example', 'SOA'))[0]).toMatch(/^a\.ns\.example\.org\. me\.explicit\.example\. /);
    // The same name servers in another order: the records stay, the SOA names the new first one.
    await ok(['dnsparam', 'ns=b.ns.example.org a.ns.example.org', 'apply=on', 'sok=ok', 'su=alice']);
    for (const zone of zones) {
      expect((await answers(ALICE_IP, zone, 'SOA'))[0], zone).toMatch(/^b\.ns\.example\.org\. /);
      expect(await answers(ALICE_IP, zone, 'NS'), zone).toEqual(['a.ns.example.org.', 'b.ns.example.org.']);
    }
    // domain.sync finds nothing to put right: the database names the same primary.
    const sync = await dm.cli(['domain.sync']);
    expect(sync.exitCode, sync.stderr).toBe(0);
    for (const zone of zones) expect(sync.stdout, zone).not.toContain(zone);
    // The rest of each zone stays.
    expect(await answers(ALICE_IP, 'www.early.example', 'A')).toEqual([ALICE_IP]);
    expect((await settings('alice')).ns).toBe('b.ns.example.org a.ns.example.org');
  });

  it('apply=on back to the defaults gives each zone ns1 and ns2 of its own, with its address', async () => {
    await ok(['dnsparam', 'ns=', 'apply=on', 'sok=ok', 'su=alice']);
    expect(await answers(ALICE_IP, 'settled.example', 'NS')).toEqual(['ns1.settled.example.', 'ns2.settled.example.']);
    expect((await answers(ALICE_IP, 'settled.example', 'SOA'))[0]).toMatch(/^ns1\.settled\.example\. /);
    expect(await answers(ALICE_IP, 'ns2.settled.example', 'A')).toEqual([ALICE_IP]);
    expect(await answers(ALICE_IP, 'early.example', 'NS')).toEqual(['ns1.early.example.', 'ns2.early.example.']);
  });

  it('without apply, the zones already there keep their name servers', async () => {
    await ok(['dnsparam', 'ns=c.ns.example.org', 'sok=ok', 'su=alice']);
    expect(await answers(ALICE_IP, 'early.example', 'NS')).toEqual(['ns1.early.example.', 'ns2.early.example.']);
  });

  it('apply=on: a zone named refuses keeps its old name servers in the database, the others change, the first refusal is reported', async () => {
    await dm.dropZone('explicit.example');
    const r = await dm.cli(['dnsparam', 'ns=d.ns.example.org', 'apply=on', 'sok=ok', 'su=alice']);
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout + r.stderr).toMatch(/explicit\.example/);
    for (const zone of ['early.example', 'settled.example']) expect(await answers(ALICE_IP, zone, 'NS'), zone).toEqual(['d.ns.example.org.']);
    const kept = (await records('explicit.example', 'alice')).filter((row) => row.rtype === 'NS').map((row) => row.value).sort();
    expect(kept).toEqual(['ns1.explicit.example.', 'ns2.explicit.example.']);
    // The settings themselves were good: saved.
    expect((await settings('alice')).ns).toBe('d.ns.example.org');
  });

  it('in a namespace shared with its reseller, a user reads the reseller\'s settings, its zones take them, but only the reseller changes them', async () => {
    await ok(['dnsparam', 'ns=r1.ns.example.org r2.ns.example.org', 'email=dns@res.example', 'sok=ok', 'su=res']);
    expect(await settings('carol')).toMatchObject({ ns: 'r1.ns.example.org r2.ns.example.org', email: 'dns@res.example' });
    await masterZone('carol', RES_IP, 'carol.example');
    expect(await answers(RES_IP, 'carol.example', 'NS')).toEqual(['r1.ns.example.org.', 'r2.ns.example.org.']);
    expect(await answers(RES_IP, 'carol.example', 'SOA')).toEqual([expect.stringMatching(/^r1\.ns\.example\.org\. dns\.res\.example\. /)]);
    const r = await dm.cli(['dnsparam', 'ns=mine.example.org', 'apply=on', 'sok=ok', 'su=carol'], { out: 'xml' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('<error type="access" object="namespace"');
    expect((await settings('res')).ns).toBe('r1.ns.example.org r2.ns.example.org');
    expect(await answers(RES_IP, 'carol.example', 'NS')).toEqual(['r1.ns.example.org.', 'r2.ns.example.org.']);
  });

  it('one account\'s settings are not another\'s namespace\'s', async () => {
    expect(await settings('bob')).toEqual({ email: '', ns: '', mx: '', subdomains: 'www', ttl: '3600', apply: 'off', allow_transfer: 'none' });
    await masterZone('bob', BOB_IP, 'bob.example');
    expect(await answers(BOB_IP, 'bob.example', 'NS')).toEqual(['ns1.bob.example.', 'ns2.bob.example.']);
    expect(await answers(BOB_IP, 'bob.example', 'SOA')).toEqual([expect.stringMatching(/^ns1\.bob\.example\. hostmaster\.bob\.example\. /)]);
    expect(await answers(BOB_IP, 'bob.example', 'MX')).toEqual(['10 mail.bob.example.']);
    await ok(['dnsparam', 'ns=x.ns.example.org', 'apply=on', 'sok=ok', 'su=bob']);
    expect(await answers(BOB_IP, 'bob.example', 'NS')).toEqual(['x.ns.example.org.']);
    expect(await answers(ALICE_IP, 'early.example', 'NS')).toEqual(['d.ns.example.org.']);
    expect((await settings('alice')).ns).toBe('d.ns.example.org');
  });

  it('an administrator acts in an account\'s namespace through su=, and is told to without it', async () => {
    const r = await dm.cli(['dnsparam'], { out: 'xml' });
    expect(r.exitCode).not.toBe(0);
    expect(r.stdout).toContain('object="su"');
  });
});
