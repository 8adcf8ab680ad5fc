// Which targets outside the prefix an install writes: only those asked for, each by its option or all by --system,
// which an install into the real panel's /usr/local/mgr5 means unless --no-system says otherwise.
import { describe, expect, it } from 'vitest';
import { installOptions } from '../../src/cli/install';
import { ValidationError } from '../../src/errors';

const EXE = '/nonexistent/addon/dnsmgr';
const parse = (rest: string[], more: { root?: string; listen?: string; command?: string } = {}, env: NodeJS.ProcessEnv = {}) =>
  installOptions({ command: 'install', rest, ...more }, env, EXE);
const outside = (o: ReturnType<typeof parse>) => ({ systemdDir: o.systemdDir, rcLocal: o.rcLocal, cronDir: o.cronDir, activate: o.activate });

describe('installOptions', () => {
  it('the default prefix is the running panel: every /etc target, systemctl and the panel reload', () => {
    const o = parse([]);
    expect(o.prefix).toBe('/usr/local/mgr5');
    expect(outside(o)).toEqual({ systemdDir: '/etc/systemd/system', rcLocal: '/etc/rc.local', cronDir: '/etc/cron.d', activate: true });
    expect(outside(parse(['--prefix', '/usr/local/mgr5/']))).toEqual(outside(o));
    expect(outside(parse(['--no-activate'])).activate).toBe(false);
  });

  it('--no-system keeps even the default prefix to itself', () => {
    expect(outside(parse(['--no-system']))).toEqual({ systemdDir: undefined, rcLocal: undefined, cronDir: undefined, activate: false });
  });

  it('any other prefix (by --prefix, --root or DNSMGR_ROOT) writes nothing outside it', () => {
    const none = { systemdDir: undefined, rcLocal: undefined, cronDir: undefined, activate: false };
    expect(outside(parse(['--prefix', '/tmp/scratch']))).toEqual(none);
    expect(parse([], { root: '/srv/mgr' }).prefix).toBe('/srv/mgr');
    expect(outside(parse([], { root: '/srv/mgr' }))).toEqual(none);
    expect(outside(parse([], {}, { DNSMGR_ROOT: '/srv/other' }))).toEqual(none);
  });

  it('each outside target only by its own option, and --system for all of the running system\'s', () => {
    expect(outside(parse(['--prefix', '/tmp/s', '--systemd-dir', '/tmp/units']))).toEqual({ systemdDir: '/tmp/units', rcLocal: undefined, cronDir: undefined, activate: false });
    expect(outside(parse(['--prefix', '/tmp/s', '--rc-local=/tmp/rc.local', '--cron-dir', '/tmp/cron.d']))).toEqual({ systemdDir: undefined, rcLocal: '/tmp/rc.local', cronDir: '/tmp/cron.d', activate: false });
    expect(outside(parse(['--prefix', '/tmp/s', '--system']))).toEqual({ systemdDir: '/etc/systemd/system', rcLocal: '/etc/rc.local', cronDir: '/etc/cron.d', activate: true });
  });

  it('--standalone: the unit only (no rc.local line, no cron file), listening on loopback by default', () => {
    const o = parse(['--standalone']);
    expect(outside(o)).toEqual({ systemdDir: '/etc/systemd/system', rcLocal: undefined, cronDir: undefined, activate: true });
    expect(o.standalone).toEqual({ listen: '127.0.0.1:1500', insecure: false });
    expect(parse(['--standalone', '--prefix', '/tmp/s']).systemdDir).toBeUndefined();
  });

  it.each([
    [['--prefx', '/tmp/x'], '(option)'],
    [['--prefix'], '--prefix'],
    [['--prefix', 'relative/path'], '--prefix'],
    [['--systemd-dir', '/tmp/../etc'], '--systemd-dir'],
    [['--panel', 'billmgr'], '--panel'],
    [['--timer', 'anacron'], '--timer'],
    [['--system', '--no-system'], '--no-system'],
    [['--tls-cert', '/tmp/c'], '--tls-cert'],
    [['--insecure'], '--insecure'],
    [['--standalone', '--panel', 'both'], '--panel'],
    [['--standalone', '--cron-dir', '/tmp/c'], '--cron-dir'],
    [['--standalone', '--tls-key', '/tmp/k'], '--tls-cert'],
  ])('refuses %j (%s)', (rest, param) => {
    let err: unknown;
    try {
      parse(rest);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ValidationError);
    expect((err as ValidationError).problems[0]?.param).toBe(param);
  });

  it('refuses --listen without --standalone, and a public address without TLS unless --insecure', () => {
    expect(() => parse([], { listen: '127.0.0.1:1500' })).toThrow(/add --standalone/);
    expect(() => parse(['--standalone'], { listen: '192.0.2.1:1500' })).toThrow(/not a loopback address/);
    expect(parse(['--standalone', '--insecure'], { listen: '192.0.2.1:1500' }).standalone).toEqual({ listen: '192.0.2.1:1500', insecure: true });
    // Uninstall only removes the unit: it does not check what the unit would need.
    expect(installOptions({ command: 'uninstall', rest: ['--standalone'], listen: '192.0.2.1:1500' }, {}, EXE).standalone?.listen).toBe('192.0.2.1:1500');
  });
});
