// Zone health at the panel: problem domains, retransfer and refresh, a diagnosis of the master, resuming suspended
// zones, and a health refresh on demand. The state itself is gathered by src/health/refresh.ts.
import { ToolError, ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import { Level } from '../model/level';
import { formatTime } from '../model/time';
import { parseZoneName, parseZoneNameList } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import type { Actor } from '../model/access';
import type { Doc } from '../protocol/types';
import { listProblemZones, loadedSerial } from '../store/health';
import { placeOf } from '../sync/place';
import { getNamespace } from '../store/namespaces';
import type { Zone } from '../store/zones';
import { refreshHealth, resumeZone } from '../health/refresh';
import { reasonText } from '../health/reasons';
import type { App } from '../app';
import { oneVisibleZone, visibleZones } from './scope';
import { defineFunc, optional, optionalLogin, validateAll } from './registry';
import { visibleOwnerIds } from './scope';

const PARALLEL = 4;
const CHECK_TIMEOUT_MS = 5000;

export const domainProblem = defineFunc({
  name: 'domain.problem',
  kind: 'list',
  minLevel: Level.user,
  desc: msg`Problem domains: zones the name server cannot refresh or transfer, with the reason and since when, newest first`,
  params: [],
  columns: ['name', 'owner', 'masterip', 'status', 'reason', 'since', 'long', 'updated', 'detail'],
  mutates: false,
  parse: () => ({}),
  async run({ app, actor, lang }): Promise<Doc> {
    const longBefore = Date.now() / 1000 - app.settings.health.problemHours * 3600;
    return {
      kind: 'list',
      rows: listProblemZones(app.db, visibleOwnerIds(app.db, actor)).map((z) => ({
        name: z.name, owner: z.owner, masterip: z.masters.join(', '), status: z.status, reason: reasonText(z.reason, lang),
        since: formatTime(z.failingSince), long: z.failingSince <= longBefore ? 'yes' : 'no', updated: formatTime(z.lastOk),
        detail: z.detail,
      })),
    };
  },
});

const zoneListParams = [
  { name: 'elid', desc: msg`zones, separated by commas`, required: true },
  { name: 'owner', desc: msg`only the zones of this account (when a name is served in several namespaces)` },
] as const;

function parseZoneList(raw: Readonly<Record<string, string>>): { names: ZoneName[]; owner: string | undefined } {
  return validateAll({
    names: () => parseZoneNameList(raw.elid ?? '', 'elid'),
    owner: () => optionalLogin(raw, 'owner'),
  });
}

/** The zones named that the actor sees; a suspended one is refused by name, since the name server does not hold it. */
function zonesInNamed(app: App, actor: Actor, p: { names: ZoneName[]; owner: string | undefined }): Zone[] {
  const zones = p.names.flatMap((n) => visibleZones(app.db, actor, n, p.owner));
  const suspended = zones.filter((z) => z.suspendedAt !== null);
  if (suspended.length > 0) {
    throw new ValidationError(suspended.map((z) => ({ param: 'elid', value: z.name, reason: msg`the zone is suspended: resume it first (domain.resume)` })));
  }
  return zones.filter((z) => z.pending !== 'delete');
}

/** Runs a name-server call on every zone, a few at a time; tries them all, then reports the first failure. */
async function onEachZone(app: App, zones: readonly Zone[], call: (view: string, name: ZoneName) => Promise<void>): Promise<Doc> {
  const failures: ToolError[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < zones.length) {
      const z = zones[next++] as Zone;
      // The view named has it in; a zone on its way there, the one it goes to.
      const ns = getNamespace(app.db, z.namespaceId);
      if (!ns) continue;
      await call(z.appliedView ?? placeOf(ns).view, z.name).catch((err: unknown) => {
        if (!(err instanceof ToolError)) throw err;
        failures.push(err);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL, zones.length) }, worker));
  if (failures[0]) throw failures[0];
  return { kind: 'ok' };
}

/** An action that asks the name server to do something with each slave zone named: a master zone has no masters. */
function nameServerAction(name: string, desc: Msg, call: (app: App) => (view: string, zone: ZoneName) => Promise<void>) {
  return defineFunc({
    name, desc, kind: 'action', minLevel: Level.user, params: zoneListParams, mutates: false, parse: parseZoneList,
    run: ({ app, actor }, p) => onEachZone(app, slaveZonesOnly(zonesInNamed(app, actor, p)), call(app)),
  });
}

function slaveZonesOnly(zones: Zone[]): Zone[] {
  const masters = zones.filter((z) => z.dtype === 'master');
  if (masters.length > 0) {
    throw new ValidationError(masters.map((z) => ({ param: 'elid', value: z.name, reason: msg`a master zone: its data is kept here, there are no masters to transfer it from` })));
  }
  return zones;
}

export const domainRetransfer = nameServerAction('domain.retransfer',
  msg`Transfer zones from their masters again now, whatever the serial (elid=<zone>[, <zone>…])`,
  (app) => (view, zone) => app.backend.retransfer(view, zone));

export const domainRefresh = nameServerAction('domain.refresh',
  msg`Ask zones' masters for their serial now and transfer what changed (elid=<zone>[, <zone>…])`,
  (app) => (view, zone) => app.backend.refresh(view, zone));

export const domainResume = defineFunc({
  name: 'domain.resume',
  kind: 'action',
  minLevel: Level.user,
  desc: msg`Put suspended zones back into the name server (elid=<zone>[, <zone>…]); zones not suspended are left as they are`,
  params: zoneListParams,
  mutates: true,
  parse: parseZoneList,
  async run({ app, actor }, p): Promise<Doc> {
    const zones = p.names.flatMap((n) => visibleZones(app.db, actor, n, p.owner)).filter((z) => z.suspendedAt !== null);
    for (const z of zones) await resumeZone(app, z.id);
    return { kind: 'ok' };
  },
});

export const domainCheck = defineFunc({
  name: 'domain.check',
  kind: 'list',
  minLevel: Level.user,
  desc: msg`Diagnose a zone's masters: ask each for the SOA and try the transfer from our address; says what to change`,
  params: [
    { name: 'elid', desc: msg`the zone to check`, required: true },
    { name: 'owner', desc: msg`the account whose zone it is (when a name is served in several namespaces)` },
  ],
  columns: ['master', 'source', 'result', 'serial', 'message'],
  mutates: false,
  parse: (raw) => validateAll({
    name: () => parseZoneName(raw.elid ?? '', 'elid'),
    owner: () => optionalLogin(raw, 'owner'),
  }),
  async run({ app, actor, lang }, p): Promise<Doc> {
    const zone = oneVisibleZone(app.db, actor, p.name, p.owner);
    slaveZonesOnly([zone]);
    const ourSerial = loadedSerial(app.db, zone.id);
    const [{ probeMaster }, { diagnose }] = await Promise.all([import('../dns/probe'), import('../health/diagnose')]);
    const probes = await Promise.all(zone.masters.map((m) => probeMaster(zone.name, m, { timeoutMs: CHECK_TIMEOUT_MS })));
    const findings = diagnose(zone.name, ourSerial, probes, lang);
    return { kind: 'list', rows: findings.map((f) => ({ master: f.master, source: f.source, result: f.result, serial: f.serial, message: f.message })) };
  },
});

export const domainHealthUpdate = defineFunc({
  name: 'domain.health.update',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Refresh every zone's health from the name server now; returns when done`,
  params: [],
  mutates: false,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    await refreshHealth(app);
    return { kind: 'ok' };
  },
});
