// Every function dnsmgr answers, by name.
import { bindip } from './bindip';
import { domainDelete, domainEdit, domainList } from './domain';
import type { FuncDef } from './registry';
import { domainSync } from './sync';
import { userDelete, userEdit, userList } from './user';

const ALL: readonly FuncDef<never>[] = [domainList, domainEdit, domainDelete, domainSync, userList, userEdit, userDelete, bindip] as FuncDef<never>[];

export const FUNCS: ReadonlyMap<string, FuncDef<never>> = new Map(ALL.map((f) => [f.name, f]));
