// Every function dnsmgr answers, by name.
import { RESELLER_FUNCS, USER_FUNCS } from './accounts';
import { bindip } from './bindip';
import { domainDelete, domainEdit, domainList } from './domain';
import { domainImport } from './domain-import';
import { ipaddrDelete, ipaddrEdit, ipaddrList } from './ipaddr';
import { namespaceDelete, namespaceEdit, namespaceList } from './namespace';
import type { FuncDef } from './registry';
import { restrictedDelete, restrictedEdit, restrictedList } from './restricted';
import { settingsFunc } from './settings';
import { domainSync, domainSyncApply } from './sync';
import { domainCheck, domainHealthUpdate, domainProblem, domainRefresh, domainResume, domainRetransfer } from './health';

const ALL: readonly FuncDef<never>[] = [
  ...([domainList, domainEdit, domainDelete, domainImport, domainSync, domainSyncApply] as FuncDef<never>[]),
  ...([domainProblem, domainRetransfer, domainRefresh, domainCheck, domainResume, domainHealthUpdate] as FuncDef<never>[]),
  ...USER_FUNCS,
  ...RESELLER_FUNCS,
  ...([namespaceList, namespaceEdit, namespaceDelete, ipaddrList, ipaddrEdit, ipaddrDelete, restrictedList, restrictedEdit, restrictedDelete, settingsFunc, bindip] as FuncDef<never>[]),
];

export const FUNCS: ReadonlyMap<string, FuncDef<never>> = new Map(ALL.map((f) => [f.name, f]));
