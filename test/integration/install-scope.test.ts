// Issue 8: `install --prefix` into a tree of its own writes nothing outside it (and uninstall likewise); the installed
// executable, run by the panel with no environment at all, answers from the tree it was installed into; a request
// against a root nobody set up is refused instead of being answered from a new, empty database; `install --standalone`
// writes the standalone server's unit, which really runs, and never sits beside the panel's units.
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DNSMGR } from '../helpers/dnsmgr';
import { startNamed } from '../helpers/named';
import type { NamedProcess } from '../helpers/named';
import { createTestNet, nsExec, nsSpawn } from '../helpers/netns';
import type { TestNet } from '../helpers/netns';

/** The running system's targets an install could touch: listed with sizes and mtimes before and after. */
const OUTSIDE = ['/etc/systemd/system', '/etc/rc.local', '/etc/cron.d', '/usr/local/mgr5', '/etc/init.d'];
const HTTP_CLIENT = join(process.cwd(), 'test', 'helpers', 'http-client.mjs');

let base: string;
let prefix: string;
let before: Record<string, string>;

interface Run {
  status: number;
  stdout: string;
}

function dnsmgr(args: string[], env: Record<string, string> = {}): Run {
  try {
    return { status: 0, stdout: execFileSync(process.execPath, [DNSMGR, ...args], { env: { ...process.env, ...env }, encoding: 'utf8' }) };
  } catch (err) {
    return { status: (err as { status: number }).status, stdout: String((err as { stdout: unknown }).stdout) };
  }
}

/** Every path under the targets (recursively) with its type, size and mtime; 'absent' for a target that is not there. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (p: string): void => {
    let st;
    try {
      st = lstatSync(p);
    } catch {
      out[p] = 'absent';
      return;
    }
    out[p] = `${st.isDirectory() ? 'dir' : st.isSymbolicLink() ? 'link' : 'file'} ${st.size} ${st.mtimeMs} ${(st.mode & 0o7777).toString(8)}`;
    if (st.isDirectory()) for (const e of readdirSync(p).sort()) walk(join(p, e));
  };
  for (const t of OUTSIDE) walk(t);
  return out;
}

function treeFiles(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir, { recursive: true, encoding: 'utf8' }).sort() : [];
}

beforeAll(() => {
  base = mkdtempSync(join(tmpdir(), 'dnsmgr-scope-'));
  // named runs unprivileged (NamedUID): it must be able to pass through to the trees installed here.
  chmodSync(base, 0o711);
  prefix = join(base, 'mgr5');
  before = snapshot();
});

afterAll(() => {
  // Whatever the tests did in between, nothing outside their own trees changed.
  expect(snapshot()).toEqual(before);
});

describe('install --prefix into a tree of its own', () => {
  it('writes nothing outside the prefix, and says what it left alone and how to ask for it', () => {
    const r = dnsmgr(['install', '--prefix', prefix, '--panel', 'both'], { DNSMGR_ROOT_PASSWORD: 'scope-pw' });
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain(`linked addon/dnsmgr\n`);
    expect(r.stdout).toContain(`left alone, being outside ${prefix} and not asked for:\n`);
    expect(r.stdout).toMatch(/^ {2}systemd units \(.*dnsmgr-named\.service.*\): give --systemd-dir DIR, or --system for \/etc\/systemd\/system$/m);
    expect(r.stdout).toContain('  the bindip line in rc.local: give --rc-local FILE, or --system for /etc/rc.local\n');
    const wrote = r.stdout.split('\n').filter((l) => /^(installed|created|wrote|added) \//.test(l)).map((l) => l.replace(/^\w+ /, ''));
    expect(wrote.length).toBeGreaterThan(5);
    expect(wrote.filter((p) => !p.startsWith(`${prefix}/`))).toEqual([]);
    expect(r.stdout).not.toMatch(/^(enabled|asked|added bindip)/m);
    for (const p of ['addon/dnsmgr', 'addon/dnsmgr-ispmgr', 'lib/dnsmgr/dnsmgr', 'etc/dnsmgr.conf', 'var/dnsmgr.db']) expect(existsSync(join(prefix, p)), p).toBe(true);
    expect(snapshot()).toEqual(before);
  });

  it('--panel vmmgr: the VDSmanager plugin alone (no slave server, no name server), answering as the panel runs it; uninstall takes it out', () => {
    const vds = join(base, 'vds');
    const r = dnsmgr(['install', '--prefix', vds, '--panel', 'vmmgr']);
    expect(r.status, r.stdout).toBe(0);
    for (const p of ['addon/dnsmgr-vmmgr', 'etc/xml/vmmgr_mod_dnsmgr.xml', 'lib/dnsmgr/dnsmgr']) expect(existsSync(join(vds, p)), p).toBe(true);
    for (const p of ['addon/dnsmgr', 'addon/dnsmgr-ispmgr', 'etc/xml/dnsmgr_mod_dnsmgr.xml', 'etc/named', 'etc/dnsmgr.conf', 'var/dnsmgr.db']) expect(existsSync(join(vds, p)), p).toBe(false);
    const queue = spawnSync(join(vds, 'addon', 'dnsmgr-vmmgr'), [], { env: { ...process.env, DNSMGR_ROOT: vds, PARAM_func: 'dnsslave.queue', AUTH_USER: 'root', AUTH_LEVEL: '30' }, input: '', encoding: 'utf8' });
    expect(queue.stdout).toMatch(/^<\?xml[^>]*\?>\n<doc[^>]*>/);
    expect(queue.stdout).not.toContain('<error');
    const out = dnsmgr(['uninstall', '--prefix', vds, '--panel', 'vmmgr']);
    expect(out.status, out.stdout).toBe(0);
    for (const p of ['addon/dnsmgr-vmmgr', 'etc/xml/vmmgr_mod_dnsmgr.xml', 'lib/dnsmgr']) expect(existsSync(join(vds, p)), p).toBe(false);
    expect(snapshot()).toEqual(before);
  });

  it('refuses a panel tree where ISPsystem\'s DNSmanager runs, writing nothing; the other panels\' plugins still go in', () => {
    const theirs = join(base, 'isp-dnsmgr');
    mkdirSync(join(theirs, 'etc', 'xml'), { recursive: true });
    writeFileSync(join(theirs, 'etc', 'xml', 'dnsmgr.xml'), '<mgrdata/>');
    const files = treeFiles(theirs);
    for (const mode of [['--panel', 'dnsmgr'], ['--panel', 'both'], ['--standalone']]) {
      const r = dnsmgr(['install', '--prefix', theirs, ...mode]);
      expect(r.status, mode.join(' ')).toBe(2);
      expect(r.stdout).toContain(`ISPsystem's DNSmanager is installed in ${theirs} (etc/xml/dnsmgr.xml)`);
      expect(treeFiles(theirs)).toEqual(files);
    }
    expect(dnsmgr(['install', '--prefix', theirs, '--panel', 'vmmgr']).status).toBe(0);
    expect(existsSync(join(theirs, 'addon', 'dnsmgr-vmmgr'))).toBe(true);
  });

  it('says so when the rc.local it was given does not exist, and creates none', () => {
    const rc = join(base, 'no-rc.local');
    const r = dnsmgr(['install', '--prefix', prefix, '--panel', 'both', '--rc-local', rc]);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout).toContain(`  the bindip line in rc.local: ${rc} does not exist (the dnsmgr-bindip unit binds the addresses at boot where systemd runs)\n`);
    expect(existsSync(rc)).toBe(false);
  });

  it('refuses an option it does not know, and --listen without --standalone, changing nothing', () => {
    const files = treeFiles(prefix);
    const typo = dnsmgr(['install', '--prefix', prefix, '--systemd-dri', join(base, 'systemd')]);
    expect(typo.status).toBe(4);
    expect(typo.stdout).toBe("ERROR value((option), '--systemd-dri'): Invalid value '--systemd-dri' of parameter '(option)': not an option of install or uninstall; see dnsmgr help\n");
    const listen = dnsmgr(['install', '--prefix', prefix, '--listen', '127.0.0.1:1500']);
    expect(listen.status).toBe(4);
    expect(listen.stdout).toContain('belongs to the standalone server: add --standalone');
    expect(treeFiles(prefix)).toEqual(files);
  });
});

describe('a root that was never set up', () => {
  it('is refused on the command line and in the handler, naming the root and what to run, and nothing is created', () => {
    const root = join(base, 'never');
    const cli = dnsmgr(['--root', root, 'domain']);
    expect(cli.status).toBe(3);
    expect(cli.stdout).toBe(`ERROR missed(root, '${root}'): No dnsmgr installation in '${root}' (${root}/etc/dnsmgr.conf does not exist): `
      + `run 'dnsmgr --root ${root} init' for a standalone server or 'dnsmgr install --prefix ${root}' for the panel, or give the right --root or DNSMGR_ROOT\n`);
    const handler = dnsmgr([], { DNSMGR_ROOT: root, PARAM_func: 'domain', AUTH_USER: 'root', AUTH_LEVEL: '30' });
    expect(handler.stdout).toContain('<error type="missed" object="root"');
    expect(handler.stdout).toContain(`No dnsmgr installation in &apos;${root}&apos;`);
    expect(existsSync(root)).toBe(false);
  });

  it('a configuration without its database is refused too, and no empty database appears', () => {
    const root = join(base, 'conf-only');
    mkdirSync(join(root, 'etc'), { recursive: true });
    writeFileSync(join(root, 'etc', 'dnsmgr.conf'), 'LogLevel 2\n');
    const r = dnsmgr(['--root', root, 'user']);
    expect(r.status).toBe(3);
    expect(r.stdout).toContain(`(${root}/var/dnsmgr.db does not exist)`);
    expect(treeFiles(root)).toEqual(['etc', 'etc/dnsmgr.conf']);
  });
});

describe('the installed executable with no environment at all', () => {
  let net: TestNet;
  let named: NamedProcess | undefined;
  const exe = (): string => join(prefix, 'addon', 'dnsmgr');
  /** As the panel runs it: env -i, the request in PARAM_* only; no DNSMGR_ROOT, no --root, no PATH. */
  const bare = async (args: string[], env: Record<string, string> = {}) =>
    (await nsExec(net.slave, 'env', ['-i', ...Object.entries(env).map(([k, v]) => `${k}=${v}`), exe(), ...args], { reject: false, exact: true }));

  beforeAll(async () => {
    net = await createTestNet('instenv');
    // The tree was installed on the host: the interface init recorded there is not in this namespace.
    const cli = (args: string[]) => nsExec(net.slave, exe(), ['--root', prefix, ...args], { reject: false, exact: true });
    expect((await cli(['settings', `NetworkInterface=${net.slaveIface}`, 'sok=ok'])).stdout).toBe('OK\n');
    named = await startNamed(net.slave, join(prefix, 'etc', 'named', 'named.conf'), {
      logFile: join(base, 'named.log'),
      ready: async () => (await nsExec(net.slave, 'rndc', ['-k', join(prefix, 'etc', 'named', 'rndc.key'), '-s', '127.0.0.1', '-p', '953', 'status'], { reject: false })).exitCode === 0,
    });
    for (const args of [['ipaddr.edit', 'name=192.0.2.90', 'sok=ok'], ['user.edit', 'name=alice', 'passwd=alice-pw', 'ip=192.0.2.90', 'sok=ok'],
      ['domain.edit', 'su=alice', 'name=installed.example', `masterip=${net.masterIp}`, 'sok=ok']]) {
      const r = await cli(args);
      expect(r.stdout, `${args[0]}: ${r.stderr}`).toBe('OK\n');
    }
  }, 60_000);

  afterAll(async () => {
    await named?.stop();
    await net?.destroy();
  });

  it('answers the panel\'s request from the installed database', async () => {
    const r = await bare([], { PARAM_func: 'domain', AUTH_USER: 'root', AUTH_LEVEL: '30' });
    expect(r.exitCode, r.stdout + r.stderr).toBe(0);
    expect(r.stdout).toContain('<elem><name>installed.example</name><owner>alice</owner>');
  });

  it('and a command line run with no environment works on the same tree', async () => {
    const r = await bare(['domain']);
    expect(r.stdout).toMatch(/^name=installed\.example owner=alice /m);
  });
});

describe('uninstall of the same tree', () => {
  it('removes what install put in, touches nothing outside, and keeps configuration and data', () => {
    const r = dnsmgr(['uninstall', '--prefix', prefix, '--panel', 'both']);
    expect(r.status, r.stdout).toBe(0);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('removed'))).toEqual([
      'removed addon/dnsmgr', 'removed addon/dnsmgr-ispmgr', `removed ${prefix}/lib/dnsmgr`,
      `removed ${prefix}/etc/xml/dnsmgr_mod_dnsmgr.xml`, `removed ${prefix}/etc/xml/ispmgr_mod_dnsmgr.xml`,
    ]);
    for (const p of ['etc/dnsmgr.conf', 'var/dnsmgr.db']) expect(existsSync(join(prefix, p)), p).toBe(true);
    expect(snapshot()).toEqual(before);
  });
});

describe('the README\'s lines for a scratch tree, run as written', () => {
  it('install, the panel\'s empty-environment request and uninstall, with nothing outside the tree changed', () => {
    const block = /## The panel\n\n```sh\n([\s\S]*?)```/.exec(readFileSync(join(process.cwd(), 'README.md'), 'utf8'))?.[1] ?? '';
    const lines = block.split('\n').filter((l) => l.includes('"$PWD/mgr5-try'));
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['./addon/dnsmgr', 'env', './addon/dnsmgr']);
    const dir = mkdtempSync(join(tmpdir(), 'dnsmgr-readme-panel-'));
    symlinkSync(join(process.cwd(), 'addon'), join(dir, 'addon'));
    const outputs = lines.map((line) => execFileSync('bash', ['-c', `set -e -o pipefail; cd ${dir}; ${line}`], { encoding: 'utf8' }));
    expect(outputs[0]).toContain(`left alone, being outside ${dir}/mgr5-try and not asked for:`);
    expect(outputs[1]).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc/>\n');
    expect(outputs[2]).toContain('removed addon/dnsmgr\n');
    expect(existsSync(join(dir, 'mgr5-try', 'etc', 'dnsmgr.conf'))).toBe(true);
    expect(snapshot()).toEqual(before);
  });
});

describe('install --standalone', () => {
  let sa: string;
  let systemd: string;
  const unit = (): string => readFileSync(join(systemd, 'dnsmgr.service'), 'utf8');
  const execStart = (): string => unit().split('\n').find((l) => l.startsWith('ExecStart='))?.slice('ExecStart='.length) ?? '';

  beforeAll(() => {
    sa = join(base, 'standalone');
    systemd = join(base, 'systemd-sa');
  });

  it('writes dnsmgr.service running `run` on the installed tree, restarted on failure, and nothing of the panel', () => {
    const r = dnsmgr(['install', '--standalone', '--prefix', sa, '--systemd-dir', systemd, '--listen', '127.0.0.1:1599'], { DNSMGR_ROOT_PASSWORD: 'sa-pw' });
    expect(r.status, r.stdout).toBe(0);
    expect(readdirSync(systemd)).toEqual(['dnsmgr.service']);
    expect(execStart()).toBe(`${sa}/addon/dnsmgr --root ${sa} run --listen 127.0.0.1:1599`);
    expect(unit()).toContain('\nRestart=on-failure\n');
    expect(unit()).toContain('\nConflicts=dnsmgr-named.service named.service\n');
    expect(unit()).toContain('\n[Install]\nWantedBy=multi-user.target\n');
    expect(existsSync(join(sa, 'etc', 'xml'))).toBe(false);
    expect(existsSync(join(sa, 'addon', 'dnsmgr-ispmgr'))).toBe(false);
    expect(r.stdout).not.toContain('rc.local');
  });

  it('the unit\'s command really serves the API from the installed tree', async () => {
    const net = await createTestNet('saunit');
    const [file, ...args] = execStart().split(' ');
    const child = nsSpawn(net.slave, file as string, args, { logFile: join(base, 'standalone-run.log') });
    try {
      const url = 'http://127.0.0.1:1599/dnsmgr?func=user&authinfo=root:sa-pw&out=xml';
      let answer = '';
      for (let i = 0; i < 100 && answer === ''; i++) {
        await sleep(200);
        const r = await nsExec(net.slave, process.execPath, [HTTP_CLIENT, 'GET', url], { reject: false, exact: true });
        if (r.exitCode === 0) answer = String(r.stdout);
      }
      // The password install's init gave root: the API answers from the installed tree's database.
      expect(answer, readFileSync(join(base, 'standalone-run.log'), 'utf8')).toBe('200\n<?xml version="1.0" encoding="UTF-8"?>\n<doc/>\n');
    } finally {
      child.kill('SIGTERM');
      await child;
      await net.destroy();
    }
  }, 60_000);

  it('puts TLS and --insecure into ExecStart, and refuses what run would refuse, changing nothing', () => {
    const tlsDir = join(base, 'tls');
    mkdirSync(tlsDir);
    execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1', '-subj', '/CN=dnsmgr-test',
      '-keyout', join(tlsDir, 'key.pem'), '-out', join(tlsDir, 'cert.pem')], { stdio: 'ignore' });
    const common = ['install', '--standalone', '--prefix', sa, '--systemd-dir', systemd];
    const withTls = dnsmgr([...common, '--listen', '192.0.2.1:1500', '--tls-cert', join(tlsDir, 'cert.pem'), '--tls-key', join(tlsDir, 'key.pem')]);
    expect(withTls.status, withTls.stdout).toBe(0);
    expect(execStart()).toBe(`${sa}/addon/dnsmgr --root ${sa} run --listen 192.0.2.1:1500 --tls-cert ${tlsDir}/cert.pem --tls-key ${tlsDir}/key.pem`);

    const text = unit();
    const plain = dnsmgr([...common, '--listen', '192.0.2.1:1500']);
    expect(plain.status).toBe(4);
    expect(plain.stdout).toContain('not a loopback address');
    const halfTls = dnsmgr([...common, '--tls-cert', join(tlsDir, 'cert.pem')]);
    expect(halfTls.status).toBe(4);
    const panelOption = dnsmgr([...common, '--rc-local', join(base, 'rc.local')]);
    expect(panelOption.status).toBe(4);
    expect(panelOption.stdout).toContain('is for the panel');
    expect(unit()).toBe(text);

    const insecure = dnsmgr([...common, '--listen', '192.0.2.1:1500', '--insecure']);
    expect(insecure.status, insecure.stdout).toBe(0);
    expect(execStart()).toBe(`${sa}/addon/dnsmgr --root ${sa} run --listen 192.0.2.1:1500 --insecure`);
  });

  it('and the panel\'s units are refused in the same systemd directory, and the other way round', () => {
    const panel = dnsmgr(['install', '--prefix', sa, '--systemd-dir', systemd]);
    expect(panel.status).toBe(4);
    expect(panel.stdout).toContain(`the standalone server's dnsmgr.service is installed in ${systemd}: it and the panel's named cannot both run; run 'dnsmgr uninstall --standalone' with the same options first`);
    expect(readdirSync(systemd)).toEqual(['dnsmgr.service']);
    expect(existsSync(join(sa, 'etc', 'xml'))).toBe(false);

    const panelUnits = join(base, 'systemd-panel');
    expect(dnsmgr(['install', '--prefix', join(base, 'panel'), '--systemd-dir', panelUnits, '--timer', 'systemd']).status).toBe(0);
    const other = dnsmgr(['install', '--standalone', '--prefix', join(base, 'panel'), '--systemd-dir', panelUnits]);
    expect(other.status).toBe(4);
    expect(other.stdout).toContain(`the panel's units are installed in ${panelUnits} (dnsmgr-bindip.service, dnsmgr-named.service, dnsmgr-pdns@.service, dnsmgr-health.service, dnsmgr-health.timer)`);
    expect(readFileSync(join(panelUnits, 'dnsmgr-named.service'), 'utf8')).toContain('\nConflicts=named.service dnsmgr.service\n');
    expect(existsSync(join(panelUnits, 'dnsmgr.service'))).toBe(false);
  });

  it('uninstall --standalone removes the unit, the executable and its link, and keeps configuration and data', () => {
    const r = dnsmgr(['uninstall', '--standalone', '--prefix', sa, '--systemd-dir', systemd]);
    expect(r.status, r.stdout).toBe(0);
    expect(readdirSync(systemd)).toEqual([]);
    expect(r.stdout.split('\n').filter((l) => l.startsWith('removed'))).toEqual(['removed addon/dnsmgr', `removed ${sa}/lib/dnsmgr`, `removed ${systemd}/dnsmgr.service`]);
    for (const p of ['etc/dnsmgr.conf', 'var/dnsmgr.db']) expect(existsSync(join(sa, p)), p).toBe(true);
  });
});
