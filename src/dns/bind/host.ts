// BIND around dnsmgr (dns/host): named.conf and its companions at init, named as the child of `dnsmgr run` (as its
// own unprivileged user, restarted when it dies), its systemd unit and options snippet for the panel.
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { DnsmgrError, ToolError } from '../../errors';
import { writeFileAtomic, writeIfChanged } from '../../files/atomic-write';
import type { Settings } from '../../files/settings';
import { msg } from '../../i18n/msg';
import { executable } from '../../system/executable';
import { rndc } from '../../system/rndc';
import type { NameServerBackend } from '../backend';
import type { NameServerHost, PanelSetup, Supervision, SupervisionHooks } from '../host';
import { giveNamedItsFiles, namedCannotReach, namedConfIsCurrent, resolveNamedUser } from './named-user';
import { listenFileOf, OPTIONS_SNIPPET, renderListen, renderOptionsSnippet, renderRndcKey, renderStandaloneNamedConf, renderViews } from './render';
import { writeUpdateKeys } from './update-keys';
import { SHARED_VIEW } from '../../store/namespaces';
import { forgetChild, NamedSupervisor, namedProcessesUsing, recordChild, recordedChild, terminate } from './supervise';

const NAMED_START_TIMEOUT_MS = 30_000;
const UNIT = 'dnsmgr-named.service';

export class BindHost implements NameServerHost {
  static readonly UNIT_NAMES = [UNIT];
  static readonly ENABLED_UNIT_NAMES = [UNIT];
  readonly eventCategory = 'named';

  constructor(private readonly s: Settings) {}

  preflight(): void {
    for (const tool of [this.s.tools.named, this.s.tools.rndc]) {
      if (!executable(tool)) throw new ToolError(tool, undefined, '', msg`is not installed (Debian: apt-get install bind9 bind9-utils); nothing was changed`);
    }
  }

  prepareFiles(force: boolean): string[] {
    const s = this.s;
    const notes: string[] = [];
    const { workDir, runDir } = this.dirs();
    for (const dir of [dirname(s.named.conf), dirname(s.named.views), s.named.zoneDir, s.named.nzdDir, workDir, runDir, join(s.root, 'var', 'log'), dirname(s.named.zoneLog)]) {
      mkdirSync(dir, { recursive: true, mode: 0o755 });
    }
    if (!existsSync(s.named.rndcKey)) {
      writeFileAtomic(s.named.rndcKey, renderRndcKey(randomBytes(32).toString('base64')), 0o600);
      notes.push(`created ${s.named.rndcKey}`);
    }
    if (force || !existsSync(s.named.conf)) {
      writeFileAtomic(s.named.conf, renderStandaloneNamedConf({
        root: s.root, workDir, runDir, rndcKey: s.named.rndcKey, views: s.named.views, listen: listenFileOf(s.named.views), rndcServer: s.named.rndcServer, rndcPort: s.named.rndcPort,
        statsPort: s.named.statsPort, zoneLog: s.named.zoneLog,
      }), 0o644);
      notes.push(`wrote ${s.named.conf}`);
    }
    if (!existsSync(s.named.views)) {
      // With the update keys from the start: the first master zone then needs no reconfig to have its view's key.
      const updateKeys = writeUpdateKeys(s.named, [SHARED_VIEW]);
      writeFileAtomic(s.named.views, renderViews([{ name: SHARED_VIEW }], { nzdDir: s.named.nzdDir, updateKeys }), 0o644);
      notes.push(`created ${s.named.views}`);
    }
    const listenFile = listenFileOf(s.named.views);
    if (!existsSync(listenFile)) {
      writeFileAtomic(listenFile, renderListen([], { server: s.named.rndcServer, port: s.named.updatePort }), 0o644);
      notes.push(`created ${listenFile}`);
    }
    return notes;
  }

  async supervise(_backend: NameServerBackend, hooks: SupervisionHooks): Promise<Supervision> {
    const s = this.s;
    const childFile = join(s.root, 'var', 'run', 'named.child');
    await stopLeftoverNamed(childFile, s.named.conf, hooks.report);

    const args = ['-f', '-c', s.named.conf];
    let user: string | undefined;
    if (namedConfIsCurrent(s)) {
      const resolved = await resolveNamedUser(s);
      if (resolved.note !== undefined) hooks.say(resolved.note);
      const blocked = resolved.user && namedCannotReach(s, resolved.user);
      if (blocked && s.named.uid !== undefined) throw blocked;
      // Debian's bind by default, where it can work: a root under /root (0700) keeps the quick start running, as root.
      if (blocked) hooks.say(`${blocked.message}; until then named runs as root`);
      else if (resolved.user) {
        for (const warning of giveNamedItsFiles(s, resolved.user)) hooks.say(warning);
        user = resolved.user.name;
        args.push('-u', user);
      }
    } else {
      hooks.say(`${s.named.conf} was written by an older dnsmgr: named runs as root and listens on every address ('dnsmgr init --force' rewrites it)`);
    }

    const logFile = join(s.root, 'var', 'log', 'named.log');
    const target = { rndc: s.tools.rndc, keyFile: s.named.rndcKey, server: s.named.rndcServer, port: s.named.rndcPort };
    // named.conf sends named's log to stderr (var/log/named.log) and to the zone log dnsmgr reads.
    const named = new NamedSupervisor({
      command: s.tools.named,
      args,
      logFd: openSync(logFile, 'a'),
      ready: () => rndc(target, ['status']).then(() => true),
      startTimeoutMs: NAMED_START_TIMEOUT_MS,
      report: hooks.report,
      onSpawn: (pid) => recordChild(childFile, pid),
      onRestart: hooks.onRestart,
    });
    return {
      async start() {
        const started = await named.start();
        if (!started.ok) {
          forgetChild(childFile);
          return { ok: false, why: `${started.why}; see ${logFile}` };
        }
        return { ok: true, running: `named is running (pid ${started.pid}${user !== undefined ? ` as ${user}` : ''}), log ${logFile}` };
      },
      // named is run's child: the supervisor restarts it from its start on.
      watch() {},
      async stop() {
        await named.stop();
        forgetChild(childFile);
      },
    };
  }

  units(): { files: [string, string][]; enabled: string[] } {
    const root = this.s.root;
    return {
      files: [[UNIT, `[Unit]
Description=dnsmgr: named serving the DNS namespaces (views) dnsmgr manages
After=network-online.target dnsmgr-bindip.service
Wants=network-online.target dnsmgr-bindip.service
Conflicts=named.service dnsmgr.service

[Service]
ExecStart=/usr/sbin/named -f -c ${join(root, 'etc', 'named', 'named.conf')}
ExecReload=/usr/sbin/rndc -k ${join(root, 'etc', 'named', 'rndc.key')} reconfig
Restart=on-failure

[Install]
WantedBy=multi-user.target
`]],
      enabled: BindHost.ENABLED_UNIT_NAMES,
    };
  }

  setUpForPanel(): PanelSetup {
    // The bulk transfer limits, for a named.conf that is the administrator's own (dnsmgr's own named.conf has them).
    const snippet = join(this.s.root, 'etc', 'named', OPTIONS_SNIPPET);
    const done = writeIfChanged(snippet, renderOptionsSnippet(), 0o644) ? [`wrote ${snippet}: if named.conf is not dnsmgr's own, include it inside its options { }`] : [];
    return { done, skipped: [] };
  }

  /** named's working directory, and its own run directory (pid file, session key), apart from dnsmgr's var/run: named runs unprivileged. */
  private dirs(): { workDir: string; runDir: string } {
    return { workDir: join(this.s.root, 'var', 'named'), runDir: join(this.s.root, 'var', 'run', 'named') };
  }
}

/**
 * A named this root's earlier run started and left behind (that run was killed outright, so it could not stop it) is
 * stopped: the lock says no run owns it any more. Any other named on this named.conf was started by someone else
 * (a service, an administrator): that one is left alone, and run refuses to start a second named on the same files.
 */
async function stopLeftoverNamed(childFile: string, conf: string, report: (message: string) => void): Promise<void> {
  const leftover = recordedChild(childFile);
  if (leftover !== undefined) {
    report(`stopping named (pid ${leftover}) left running by an earlier dnsmgr run that was killed`);
    await terminate(leftover);
  }
  forgetChild(childFile);
  const other = namedProcessesUsing(conf)[0];
  if (other !== undefined) {
    throw new DnsmgrError('exists', 'named', conf, msg`named (pid ${other}) is already running with ${conf}, not started by dnsmgr run: stop it first (for the panel's service: systemctl stop dnsmgr-named)`);
  }
}
