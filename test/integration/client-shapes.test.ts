// Issue 8, first part: request shapes real DNSmanager clients send, through the HTTP door as they send them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseError } from '../helpers/front-doors';
import type { Instance } from '../helpers/dnsmgr';
import { parseTextRows } from '../helpers/dnsmgr';
import { dig, waitFor } from '../helpers/named';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const ALICE = '192.0.2.10';
let world: World;
let net: TestNet;
let dm: Instance;

beforeAll(async () => {
  world = await startWorld('shapes', [{ name: 'legacy.example', serial: 11 }, { name: 'yes.example', serial: 12 }]);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE);
  expect((await dm.cli(['bindip'])).stdout.split('\n')[0]).toBe('OK');
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

async function served(zone: string): Promise<number> {
  return waitFor(async () => {
    const a = await dig(net.master, ALICE, zone, 'SOA');
    return a.status === 'NOERROR' && a.aa ? a.serial : undefined;
  }, { timeoutMs: 10_000, what: `${zone} served` });
}

describe('older integrations', () => {
  it('master= is the legacy name of masterip, sok=yes submits, and /manager/dnsmgr is the API too', async () => {
    const r = await dm.http({ func: 'domain.edit', sok: 'yes', name: 'legacy.example', master: net.masterIp, authinfo: 'alice:alice-pw', out: 'xml' }, 'GET', '/manager/dnsmgr');
    expect(r.status).toBe(200);
    expect(r.body).toContain('<ok/>');
    expect(await served('legacy.example')).toBe(11);
  });

  it("the panel web interface's own parameters are accepted and mean nothing; any non-empty sok submits", async () => {
    const r = await dm.http({
      func: 'domain.edit', sok: '1', name: 'yes.example', masterip: net.masterIp, sform: 'domain.edit', clicked_button: 'ok',
      progressid: 'x1', 'zoom-ip': ALICE, authinfo: 'alice:alice-pw', out: 'text',
    }, 'POST');
    expect(r.body).toBe('OK\n');
    expect(await served('yes.example')).toBe(12);
    const list = parseTextRows((await dm.http({ func: 'domain', authinfo: 'alice:alice-pw', out: 'text' }, 'GET', '/manager/dnsmgr/')).body);
    expect(list.map((z) => z.name)).toEqual(['legacy.example', 'yes.example']);
  });

  it('a bad master= is refused under its own name and changes nothing', async () => {
    const r = await dm.http({ func: 'domain.edit', sok: 'ok', name: 'bad.example', master: '127.0.0.1', authinfo: 'alice:alice-pw', out: 'xml' });
    expect(parseError(r.body, 'xml')).toMatchObject({ type: 'value', object: 'master', value: '127.0.0.1' });
    expect((await dm.cli(['domain'])).stdout).not.toContain('bad.example');
  });

  it('any other path is not the API', async () => {
    expect((await dm.http({ func: 'domain' }, 'GET', '/manager/ispmgr')).status).toBe(404);
  });
});
