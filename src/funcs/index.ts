// Every function dnsmgr answers, by name. Each request runs one function, so a function's module (and what only it
// imports) is initialised when that function is asked for, not with the bundle: the bundle starts with the names alone.
import type { FuncDef } from './registry';

type Family = () => Promise<readonly FuncDef<never>[]>;

const cast = (defs: readonly FuncDef<never>[] | readonly unknown[]): readonly FuncDef<never>[] => defs as readonly FuncDef<never>[];
const domain: Family = async () => { const m = await import('./domain'); return cast([m.domainList, m.domainEdit, m.domainDelete]); };
const records: Family = async () => { const m = await import('./records'); return cast([m.domainRecordList, m.domainRecordEdit, m.domainRecordDelete]); };
const domainImport: Family = async () => cast([(await import('./domain-import')).domainImport]);
const sync: Family = async () => { const m = await import('./sync'); return cast([m.domainSync, m.domainSyncApply]); };
const health: Family = async () => {
  const m = await import('./health');
  return cast([m.domainProblem, m.domainRetransfer, m.domainRefresh, m.domainCheck, m.domainResume, m.domainHealthUpdate]);
};
const users: Family = async () => cast((await import('./accounts')).USER_FUNCS);
const resellers: Family = async () => cast((await import('./accounts')).RESELLER_FUNCS);
const namespace: Family = async () => { const m = await import('./namespace'); return cast([m.namespaceList, m.namespaceEdit, m.namespaceDelete]); };
const dnsparam: Family = async () => cast([(await import('./dns-settings')).dnsParam]);
const ipaddr: Family = async () => { const m = await import('./ipaddr'); return cast([m.ipaddrList, m.ipaddrEdit, m.ipaddrDelete]); };
const restricted: Family = async () => { const m = await import('./restricted'); return cast([m.restrictedList, m.restrictedEdit, m.restrictedDelete]); };
const settings: Family = async () => cast([(await import('./settings')).settingsFunc]);
const bindip: Family = async () => cast([(await import('./bindip')).bindip]);
const slaveServers: Family = async () => { const m = await import('./slave-servers'); return cast([m.slaveServerList, m.slaveServerEdit, m.slaveServerDelete]); };

/** Name → the family that defines it, in the order `dnsmgr -i` lists them. test/funcs/index.test.ts keeps it true. */
const FAMILY_OF: ReadonlyMap<string, Family> = new Map<string, Family>([
  ['domain', domain], ['domain.edit', domain], ['domain.delete', domain], ['domain.import', domainImport],
  ['domain.record', records], ['domain.record.edit', records], ['domain.record.delete', records],
  ['domain.sync', sync], ['domain.sync.apply', sync],
  ['domain.problem', health], ['domain.retransfer', health], ['domain.refresh', health], ['domain.check', health],
  ['domain.resume', health], ['domain.health.update', health],
  ['user', users], ['user.edit', users], ['user.delete', users], ['user.suspend', users], ['user.resume', users],
  ['reseller', resellers], ['reseller.edit', resellers], ['reseller.delete', resellers], ['reseller.suspend', resellers],
  ['reseller.resume', resellers],
  ['namespace', namespace], ['namespace.edit', namespace], ['namespace.delete', namespace], ['dnsparam', dnsparam],
  ['ipaddr', ipaddr], ['ipaddr.edit', ipaddr], ['ipaddr.delete', ipaddr],
  ['restricted', restricted], ['restricted.edit', restricted], ['restricted.delete', restricted],
  ['settings', settings], ['bindip', bindip],
  ['slaveserver', slaveServers], ['slaveserver.edit', slaveServers], ['slaveserver.delete', slaveServers],
]);

/** The names of every function, without loading any. */
export const FUNC_NAMES: readonly string[] = [...FAMILY_OF.keys()];

export function hasFunc(name: string): boolean {
  return FAMILY_OF.has(name);
}

/** The function of that name, its module initialised now; undefined for a name no function has. */
export async function loadFunc(name: string): Promise<FuncDef<never> | undefined> {
  const family = FAMILY_OF.get(name);
  return family === undefined ? undefined : (await family()).find((f) => f.name === name);
}

/** Every function (describe, metadata checks): all the modules. */
export async function allFuncs(): Promise<FuncDef<never>[]> {
  const defs = await Promise.all(FUNC_NAMES.map(loadFunc));
  return defs.filter((f): f is FuncDef<never> => f !== undefined);
}
