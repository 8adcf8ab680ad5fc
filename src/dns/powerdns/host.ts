// PowerDNS around dnsmgr (dns/host): an instance per namespace, started by dnsmgr itself under `dnsmgr run` (and
// started again within seconds when one dies), or by systemd through the template unit `install` writes.
import { accessSync, constants, readFileSync } from 'node:fs';
import { ToolError } from '../../errors';
import { writeFileAtomic } from '../../files/atomic-write';
import { getConf, parseConf, renderConf, setConf } from '../../files/conf-codec';
import type { Settings } from '../../files/settings';
import { msg } from '../../i18n/msg';
import { executable } from '../../system/executable';
import type { NameServerBackend } from '../backend';
import type { NameServerHost, PanelSetup, Supervision, SupervisionHooks } from '../host';
import { PDNS_UNIT_PREFIX } from './instances';
import { renderPdnsUnit } from './render';

/** How often run looks for instances that died, and starts them again. */
const INSTANCE_WATCH_MS = 5000;
/** The template unit of the instances, one enabled per namespace by dnsmgr (PdnsService systemd). */
const TEMPLATE = `${PDNS_UNIT_PREFIX}.service`;

export class PowerDnsHost implements NameServerHost {
  static readonly UNIT_NAMES = [TEMPLATE];
  /** None: dnsmgr enables an instance of the template per namespace as the namespace comes. */
  static readonly ENABLED_UNIT_NAMES: string[] = [];
  readonly eventCategory = 'name server';

  constructor(private readonly s: Settings) {}

  preflight(): void {
    const { pdnsServer } = this.s.tools;
    if (!executable(pdnsServer)) throw new ToolError(pdnsServer, undefined, '', msg`is not installed (Debian: apt-get install pdns-server pdns-backend-sqlite3); nothing was changed`);
    try {
      accessSync(this.s.powerdns.schema, constants.R_OK);
    } catch {
      throw new ToolError(pdnsServer, undefined, '', msg`has no gsqlite3 schema at ${this.s.powerdns.schema} (Debian: apt-get install pdns-backend-sqlite3); nothing was changed`);
    }
  }

  /** Nothing ahead: an instance's files are made when its namespace first needs it (applyViews). */
  prepareFiles(): string[] {
    return [];
  }

  async supervise(backend: NameServerBackend, hooks: SupervisionHooks): Promise<Supervision> {
    const logDir = this.s.powerdns.logDir;
    let timer: NodeJS.Timeout | undefined;
    let stopped = false;
    // The check under way, if any: stop waits for it, so nothing runs against a closed database afterwards.
    let checking: Promise<void> | undefined;
    const says = (err: unknown): string => (err instanceof Error ? err.message : String(err));
    const check = async (): Promise<void> => {
      let started: string[];
      try {
        started = (await backend.startMissing?.()) ?? [];
      } catch (err) {
        hooks.report(`a PowerDNS instance could not be started: ${says(err)}`);
        return;
      }
      if (started.length === 0 || stopped) return;
      hooks.report(`started again the PowerDNS instance(s) that had stopped: ${started.join(', ')}`);
      await hooks.onRestart().catch((err: unknown) => hooks.report(`after a PowerDNS instance started again: ${says(err)}`));
    };
    return {
      async start() {
        // Every instance of the applied configuration that is not running (after a reboot: all of them). One that
        // cannot start stops the start, and those started go again.
        try {
          await backend.startMissing?.();
        } catch (err) {
          await backend.stopAll?.().catch(() => undefined);
          return { ok: false, why: `PowerDNS could not be started: ${says(err)}; see ${logDir}` };
        }
        return { ok: true, running: `PowerDNS is running, an instance per namespace; their logs are in ${logDir}` };
      },
      watch() {
        if (stopped || timer !== undefined) return;
        timer = setInterval(() => {
          if (stopped || checking !== undefined) return;
          checking = check().finally(() => { checking = undefined; });
        }, INSTANCE_WATCH_MS);
      },
      async stop() {
        stopped = true;
        if (timer !== undefined) clearInterval(timer);
        timer = undefined;
        await checking;
        await backend.stopAll?.();
      },
    };
  }

  units(): { files: [string, string][]; enabled: string[] } {
    const { tools, powerdns } = this.s;
    // systemd wants an absolute path; Debian's pdns-server puts it here.
    const pdnsServer = tools.pdnsServer.startsWith('/') ? tools.pdnsServer : '/usr/sbin/pdns_server';
    // The template alone: dnsmgr enables an instance of it per namespace as the namespace comes.
    return { files: [[TEMPLATE, renderPdnsUnit({ pdnsServer, confDir: powerdns.confDir, logDir: powerdns.logDir })]], enabled: PowerDnsHost.ENABLED_UNIT_NAMES };
  }

  /**
   * The panel's instances are systemd's to run, through the template: said in the dnsmgr.conf this install made; an
   * administrator's own is left as it is, and told.
   */
  setUpForPanel(confMade: boolean, unitsWritten: boolean): PanelSetup {
    if (!unitsWritten) return { done: [], skipped: [] };
    const conf = this.s.confFile;
    const doc = parseConf(readFileSync(conf, 'utf8'));
    const named = getConf(doc, 'key', 'PdnsService') !== undefined;
    if (confMade && !named) {
      writeFileAtomic(conf, renderConf(setConf(doc, 'key', 'PdnsService', 'systemd')), 0o644);
      return { done: [`set PdnsService systemd in ${conf}: PowerDNS instances (NameServer powerdns) run as ${PDNS_UNIT_PREFIX}<view>.service`], skipped: [] };
    }
    if (!named && getConf(doc, 'key', 'NameServer') === 'powerdns') {
      return { done: [], skipped: [`PdnsService systemd in ${conf} (an administrator's file): add it for NameServer powerdns to run its instances as ${PDNS_UNIT_PREFIX}<view>.service`] };
    }
    return { done: [], skipped: [] };
  }
}
