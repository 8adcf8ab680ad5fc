// A panel plugin's own functions (ISPmanager's, VDSmanager's), on the hosting server that pushes its DNS domains to
// the slave; the same in every panel.
import type { FuncDef, ParamDoc } from '../funcs/registry';
import { msg } from '../i18n/msg';
import { Level } from '../model/level';

/** What a panel plugin's functions accept; the handlers are in src/panels/handlers.ts. */
export const PANEL_FUNC_SPECS: readonly Pick<FuncDef, 'name' | 'kind' | 'minLevel' | 'desc' | 'params' | 'columns'>[] = [
  {
    name: 'dnsslave.settings', kind: 'form', minLevel: Level.admin,
    desc: msg`The slave DNS server this panel pushes its DNS domains to`,
    params: [
      { name: 'url', desc: msg`slave API URL, e.g. https://ns2.example.net:1500/dnsmgr`, required: true },
      { name: 'username', desc: msg`login on the slave (its namespace holds this panel's zones)`, required: true },
      { name: 'password', desc: msg`password on the slave; empty keeps the stored one` },
      { name: 'masterip', desc: msg`this server's address the slave transfers zones from`, required: true },
      { name: 'enabled', desc: msg`on/off: push domain changes` },
      { name: 'sync', desc: msg`on: synchronize now (push every DNS domain, remove zones this panel no longer has)` },
      { name: 'sok', desc: msg`'ok' to submit the form` },
    ] satisfies ParamDoc[],
  },
  {
    name: 'dnsslave.queue', kind: 'list', minLevel: Level.admin,
    desc: msg`Changes waiting to reach the slave servers, with attempts and the last error`,
    params: [], columns: ['id', 'server', 'zone', 'action', 'attempts', 'next', 'error'],
  },
  {
    name: 'dnsslave.queue.retry', kind: 'action', minLevel: Level.admin,
    desc: msg`Send queued changes now`, params: [{ name: 'elid', desc: msg`queue ids, separated by commas`, required: true }],
  },
  {
    name: 'dnsslave.queue.delete', kind: 'action', minLevel: Level.admin,
    desc: msg`Drop queued changes`, params: [{ name: 'elid', desc: msg`queue ids, separated by commas`, required: true }],
  },
  {
    name: 'slaveserver', kind: 'list', minLevel: Level.admin,
    desc: msg`The slave DNS servers this panel pushes its DNS domains to: each gets every change`,
    params: [], columns: ['id', 'url', 'username', 'nsaddr', 'waiting', 'error'],
  },
  {
    name: 'slaveserver.edit', kind: 'form', minLevel: Level.admin,
    desc: msg`A slave DNS server besides the settings form's: its API URL and a login on it; a new one gets every DNS domain`,
    params: [
      { name: 'elid', desc: msg`the slave server's id (empty: a new one)` },
      { name: 'url', desc: msg`slave API URL, e.g. https://ns3.example.net:1500/dnsmgr`, required: true },
      { name: 'username', desc: msg`login on the slave (a reseller; its namespace holds this panel's zones)`, required: true },
      { name: 'password', desc: msg`password on the slave; empty keeps the stored one` },
      { name: 'sync', desc: msg`on: synchronize it now (push every DNS domain, remove zones this panel no longer has)` },
      { name: 'sok', desc: msg`'ok' to submit the form` },
    ] satisfies ParamDoc[],
  },
  {
    name: 'slaveserver.delete', kind: 'action', minLevel: Level.admin,
    desc: msg`Stop pushing to slave servers (their zones stay on them)`, params: [{ name: 'elid', desc: msg`slave server ids, separated by commas`, required: true }],
  },
];
