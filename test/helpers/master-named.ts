// A primary (master) named in the master namespace of a TestNet, serving small zones a slave can transfer.
import { randomBytes } from 'node:crypto';
import { utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { dig } from './dig';
import { startNamed } from './named-process';
import type { NamedProcess } from './named-process';
import { nsExec } from './netns';
import type { TestNet } from './netns';
import { waitFor } from './wait-for';

export interface MasterZone {
  /** e.g. "example.com" (lowercase, no trailing dot). */
  name: string;
  serial: number;
  /** Extra zone-file lines, relative to the zone origin, e.g. 'mail 300 IN A 203.0.113.25'. */
  records?: string[];
  /**
   * This zone's own `allow-transfer` (address match list elements, e.g. ['none'] or ['127.0.0.1']) instead of the
   * global `any`; read when named.conf is written (start, addZone, removeZone), not by setZone.
   */
  allowTransfer?: string[];
}

export interface MasterOptions {
  /** Send NOTIFY for every zone change to these addresses (`notify explicit`); default: no notify at all. */
  alsoNotify?: string[];
  /** Startup timeout; default 10 000 ms. */
  timeoutMs?: number;
}

export interface MasterServer {
  named: NamedProcess;
  ip: '198.51.100.1';
  ip6: '2001:db8:100::1';
  dir: string;
  confFile: string;
  logFile: string;
  rndcKeyFile: string;
  /** Rewrites the zone file with a new serial, reloads the zone and waits until the master serves that serial. */
  setSerial(zone: string, serial: number): Promise<void>;
  /** Same for new content: replaces serial and extra records of a zone the master already serves. */
  setZone(zone: MasterZone): Promise<void>;
  /** Starts serving one more zone (named.conf rewritten, `rndc reconfig`); waits until it answers. */
  addZone(zone: MasterZone): Promise<void>;
  /** Stops serving a zone (named.conf rewritten, `rndc reconfig`); waits until it is REFUSED. */
  removeZone(name: string): Promise<void>;
  /** `rndc <args>` against this master; returns stdout, throws on failure. */
  rndc(args: string[]): Promise<string>;
  stop(): Promise<void>;
}

const RNDC_KEY_NAME = 'master-rndc';
const ZONE_NAME = /^(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;
const APPLY_TIMEOUT_MS = 10_000;

/** Writes named.conf, an rndc key and one zone file per zone into `dir`, and starts named in `net.master`. */
export async function startMasterNamed(
  net: TestNet,
  dir: string,
  zones: MasterZone[],
  options: MasterOptions = {},
): Promise<MasterServer> {
  const served = new Map<string, MasterZone>();
  for (const zone of zones) served.set(checkZoneName(zone.name), zone);
  const confFile = join(dir, 'named.conf');
  const logFile = join(dir, 'named.log');
  const rndcKeyFile = join(dir, 'rndc.key');
  const zoneFile = (name: string): string => join(dir, `${name}.db`);

  await writeFile(rndcKeyFile, renderRndcKey(), { mode: 0o600 });
  for (const zone of served.values()) await writeFile(zoneFile(zone.name), renderZoneFile(zone, net.masterIp));
  const writeConf = (): Promise<void> =>
    writeFile(confFile, renderMasterConf(dir, rndcKeyFile, [...served.values()], zoneFile, options));
  await writeConf();

  const rndc = async (args: string[]): Promise<string> => {
    const result = await nsExec(net.master, 'rndc', ['-k', rndcKeyFile, '-s', '127.0.0.1', '-p', '953', ...args], {
      reject: false,
      timeout: 15_000,
    });
    if (result.exitCode !== 0) {
      throw new Error(`rndc ${args.join(' ')} failed (exit ${result.exitCode}): ${result.stderr || result.stdout}`);
    }
    return result.stdout;
  };
  const servedSerial = async (name: string): Promise<number | undefined> => {
    const answer = await dig(net.master, '127.0.0.1', name, 'SOA');
    return answer.status === 'NOERROR' && answer.aa ? answer.serial : undefined;
  };

  const first = zones[0];
  const named = await startNamed(net.master, confFile, {
    logFile,
    timeoutMs: options.timeoutMs ?? 10_000,
    ready: async () =>
      first === undefined
        ? (await rndc(['status']).then(() => true))
        : (await dig(net.master, net.masterIp, first.name, 'SOA')).serial === first.serial,
  });

  const setZone = async (zone: MasterZone): Promise<void> => {
    if (!served.has(zone.name)) throw new Error(`master does not serve ${zone.name}; use addZone`);
    served.set(zone.name, zone);
    const file = zoneFile(zone.name);
    await writeFile(file, renderZoneFile(zone, net.masterIp));
    // named skips a reload when the file's mtime is not newer than its last load, and a rewrite within the same
    // coarse clock tick as that load can look older: on a miss, push the mtime forward and reload again.
    let bump = 0;
    await waitFor(
      async () => {
        if (bump > 0) await utimes(file, new Date(), new Date(Date.now() + bump * 1000));
        bump += 1;
        await rndc(['reload', zone.name]);
        return waitFor(async () => (await servedSerial(zone.name)) === zone.serial, {
          timeoutMs: 1000,
          what: `master serves ${zone.name} with serial ${zone.serial}`,
        });
      },
      { timeoutMs: APPLY_TIMEOUT_MS, intervalMs: 0, what: `master reloads ${zone.name} with serial ${zone.serial}` },
    );
  };

  return {
    named,
    ip: net.masterIp,
    ip6: net.masterIp6,
    dir,
    confFile,
    logFile,
    rndcKeyFile,
    setSerial: async (name, serial) => {
      const zone = served.get(name);
      if (zone === undefined) throw new Error(`master does not serve ${name}`);
      await setZone({ ...zone, serial });
    },
    setZone,
    addZone: async (zone) => {
      served.set(checkZoneName(zone.name), zone);
      await writeFile(zoneFile(zone.name), renderZoneFile(zone, net.masterIp));
      await writeConf();
      await rndc(['reconfig']);
      await waitFor(async () => (await servedSerial(zone.name)) === zone.serial, {
        timeoutMs: APPLY_TIMEOUT_MS,
        what: `master serves added zone ${zone.name}`,
      });
    },
    removeZone: async (name) => {
      served.delete(name);
      await writeConf();
      await rndc(['reconfig']);
      await waitFor(async () => (await dig(net.master, '127.0.0.1', name, 'SOA')).status === 'REFUSED', {
        timeoutMs: APPLY_TIMEOUT_MS,
        what: `master stops serving ${name}`,
      });
    },
    rndc,
    stop: () => named.stop(),
  };
}

/**
 * named.conf of the master; exported so a test can show what the master runs. A zone given by name alone, or without
 * `allowTransfer`, inherits the global `allow-transfer { any; }`.
 */
export function renderMasterConf(
  dir: string,
  rndcKeyFile: string,
  zones: ReadonlyArray<string | MasterZone>,
  zoneFile: (name: string) => string,
  options: MasterOptions = {},
): string {
  const notify =
    options.alsoNotify === undefined || options.alsoNotify.length === 0
      ? ['\tnotify no;']
      : ['\tnotify explicit;', `\talso-notify { ${options.alsoNotify.map((ip) => `${ip};`).join(' ')} };`];
  return [
    'options {',
    `\tdirectory "${dir}";`,
    '\tpid-file none;',
    `\tsession-keyfile "${join(dir, 'session.key')}";`,
    '\tlisten-on port 53 { 198.51.100.1; 127.0.0.1; };',
    '\tlisten-on-v6 port 53 { 2001:db8:100::1; };',
    '\trecursion no;',
    '\tallow-query { any; };',
    '\tallow-transfer { any; };',
    ...notify,
    '\tdnssec-validation no;',
    // As the README asks of a master: a slave's bulk add transfers hundreds of zones at once (default 10 and 150).
    '\ttransfers-out 200;',
    '\ttcp-clients 1000;',
    '};',
    '',
    `include "${rndcKeyFile}";`,
    `controls { inet 127.0.0.1 port 953 allow { 127.0.0.1; } keys { "${RNDC_KEY_NAME}"; }; };`,
    '',
    // named -f logs to syslog unless told otherwise; stderr is the log file startNamed opened.
    'logging {',
    '\tchannel to_stderr { stderr; severity info; print-time yes; print-severity yes; print-category yes; };',
    '\tcategory default { to_stderr; };',
    '\tcategory unmatched { null; };',
    '};',
    '',
    ...zones.map((zone) => renderZoneClause(typeof zone === 'string' ? { name: zone, serial: 0 } : zone, zoneFile)),
    '',
  ].join('\n');
}

function renderZoneClause(zone: MasterZone, zoneFile: (name: string) => string): string {
  const allowTransfer =
    zone.allowTransfer === undefined ? '' : ` allow-transfer { ${zone.allowTransfer.map((e) => `${e};`).join(' ')} };`;
  return `zone "${zone.name}" { type primary; file "${zoneFile(zone.name)}";${allowTransfer} };`;
}

/** Zone file: SOA with the serial, NS ns1, ns1 A <master>, www A 203.0.113.80, TXT "master-of-<zone>", extras. */
export function renderZoneFile(zone: MasterZone, masterIp: string): string {
  return [
    `$ORIGIN ${zone.name}.`,
    '$TTL 300',
    `@\tIN\tSOA\tns1.${zone.name}. hostmaster.${zone.name}. ( ${zone.serial} 3600 600 86400 300 )`,
    `@\tIN\tNS\tns1.${zone.name}.`,
    `ns1\tIN\tA\t${masterIp}`,
    'www\tIN\tA\t203.0.113.80',
    `@\tIN\tTXT\t"master-of-${zone.name}"`,
    ...(zone.records ?? []),
    '',
  ].join('\n');
}

function renderRndcKey(): string {
  return [
    `key "${RNDC_KEY_NAME}" {`,
    '\talgorithm hmac-sha256;',
    `\tsecret "${randomBytes(32).toString('base64')}";`,
    '};',
    '',
  ].join('\n');
}

function checkZoneName(name: string): string {
  if (!ZONE_NAME.test(name) || name.length > 253) {
    throw new Error(`test zone name must be lowercase LDH labels without a trailing dot, got ${JSON.stringify(name)}`);
  }
  return name;
}
