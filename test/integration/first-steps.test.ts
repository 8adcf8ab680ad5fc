// Issue 8, "Messages and first steps": what a new administrator meets first says what to do next.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseError } from '../helpers/front-doors';
import type { Instance } from '../helpers/dnsmgr';
import { DNSMGR, parseTextRows } from '../helpers/dnsmgr';
import { nsExec } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';
import { startWorld } from '../helpers/world';
import type { World } from '../helpers/world';

const ALICE = '192.0.2.30';
let world: World;
let net: TestNet;
let dm: Instance;

beforeAll(async () => {
  world = await startWorld('firststeps', []);
  ({ net, dm } = world);
  await dm.addUser('alice', 'alice-pw', ALICE);
  await dm.startServe(1500);
}, 120_000);

afterAll(async () => {
  await world?.stop();
});

describe('messages', () => {
  it("root adding a zone without an owner is told how: su= or owner=", async () => {
    const r = await dm.cli(['domain.edit', 'name=noowner.example', `masterip=${net.masterIp}`, 'sok=ok']);
    expect(r.stdout).toBe("ERROR value(owner): 'root' has no namespace: act as an account with su=<login> or give owner=<login>\n");
    expect(r.exitCode).toBe(4);
  });

  it('a request with no credentials at all is told to log in, not that a session expired', async () => {
    const r = await dm.http({ func: 'domain', out: 'xml' });
    expect(parseError(r.body, 'xml')).toMatchObject({ type: 'auth' });
    expect(r.body).toContain('Log in: authinfo=&lt;login&gt;:&lt;password&gt; or auth=&lt;session key&gt; is required');
    expect(r.body).not.toMatch(/expired/);
    // An unknown session key is still what it is.
    expect((await dm.http({ func: 'domain', auth: 'f'.repeat(48), out: 'text' })).body).toMatch(/^ERROR auth.*expired or unknown/);
  });

  it('a suspended account with the right password hears that it is suspended; a wrong password hears nothing more', async () => {
    await dm.cli(['ipaddr.edit', 'name=192.0.2.31', 'sok=ok']).then((r) => expect(r.stdout).toBe('OK\n'));
    await dm.cli(['user.edit', 'name=sam', 'passwd=sam-pw', 'ip=192.0.2.31', 'sok=ok']).then((r) => expect(r.stdout).toBe('OK\n'));
    expect((await dm.cli(['user.suspend', 'elid=sam'])).stdout).toBe('OK\n');
    const right = await dm.http({ func: 'domain', authinfo: 'sam:sam-pw', out: 'text' });
    expect(right.body).toBe("ERROR access(user, 'sam'): Account 'sam' is suspended\n");
    const login = await dm.http({ func: 'auth', username: 'sam', password: 'sam-pw', out: 'text' });
    expect(login.body).toMatch(/^ERROR access.*suspended/);
    const wrong = await dm.http({ func: 'domain', authinfo: 'sam:not-it', out: 'text' });
    expect(wrong.body).toMatch(/^ERROR auth\(auth\): Authentication failed/);
    expect((await dm.cli(['user.resume', 'elid=sam'])).stdout).toBe('OK\n');
    expect((await dm.http({ func: 'domain', authinfo: 'sam:sam-pw', out: 'text' })).body).toBe('');
  });

  it("a missing password is 'passwd is required', not an invalid hidden value", async () => {
    const r = await dm.cli(['user.edit', 'name=nopw', `ip=${ALICE}`, 'sok=ok']);
    expect(r.stdout).toBe("ERROR value(passwd): 'passwd' is required\n");
    expect(parseTextRows((await dm.cli(['user'])).stdout).map((u) => u.name)).not.toContain('nopw');
  });
});

describe('the command line', () => {
  it('--version prints the version', async () => {
    const r = await dm.cli(['--version']);
    expect(r.stdout).toMatch(/^dnsmgr \d+\.\d+\.\d+\n$/);
    expect(r.exitCode).toBe(0);
  });

  it('the global options work after the function name too; an unknown one is explained', async () => {
    const json = await dm.cli(['user', '-o', 'json']);
    expect(JSON.parse(json.stdout)).toHaveProperty('doc.elem');
    const unknown = await dm.cli(['user', '--json']);
    expect(unknown.stdout).toMatch(/^ERROR value\(\(option\), '--json'\): .*unknown option; the options are --root DIR, -o FORMAT, -i and -m MANAGER \(see dnsmgr --help\)/);
    expect(unknown.exitCode).toBe(4);
  });

  it('reset-password gives an account a new password, printed once, and ends its sessions', async () => {
    const key = (await dm.http({ func: 'auth', username: 'alice', password: 'alice-pw', out: 'text' })).body.match(/^auth=(\S+)/)?.[1];
    expect(key).toBeDefined();
    const r = await dm.cli(['reset-password', 'alice']);
    const fresh = /^new password of alice: (\S+)\n$/.exec(r.stdout)?.[1];
    expect(fresh, r.stdout).toBeDefined();
    expect((await dm.http({ func: 'domain', auth: key as string, out: 'text' })).body).toMatch(/^ERROR auth/);
    expect((await dm.http({ func: 'domain', authinfo: 'alice:alice-pw', out: 'text' })).body).toMatch(/^ERROR auth/);
    expect((await dm.http({ func: 'domain', authinfo: `alice:${fresh}`, out: 'text' })).body).toBe('');
    // Chosen by the administrator, and for root by default.
    const chosen = await nsExec(dm.ns, process.execPath, [DNSMGR, '--root', dm.root, 'reset-password'], { env: { DNSMGR_PASSWORD: 'root-new' }, reject: false });
    expect(String(chosen.stdout)).toBe('password of root set from DNSMGR_PASSWORD');
    expect((await dm.http({ func: 'user', authinfo: 'root:root-new', out: 'text' })).body).toMatch(/name=alice/);
    expect((await dm.cli(['reset-password', 'nobody'])).stdout).toMatch(/^ERROR missed\(user, 'nobody'\)/);
  });
});
