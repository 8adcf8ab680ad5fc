// slaveserver, slaveserver.edit, slaveserver.delete: dnsmgr's own slave servers (issue 12), other dnsmgr servers that
// hold its master zones as slave zones. The panels' room does the work (src/panels/handlers.ts); here a change of the
// slave servers also gives the master zones' clauses again, which name them (who may transfer, who is told).
import { msg } from '../i18n/msg';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import type { App } from '../app';
import { deleteSlaveServers, editSlaveServer, ids, listSlaveServerRows, parseSlaveServerEdit, parseSlaveServerElid, slaveServerForm } from '../panels/handlers';
import type { SlaveServerEdit } from '../panels/handlers';
import { sameSlaveAddresses, slaveAddresses } from '../slaves/addresses';
import { dnsmgrSlaves } from '../slaves/panel';
import { reapplyMasterClauses } from '../slaves/clauses';
import { defineFunc, isSubmit } from './registry';

export const slaveServerList = defineFunc({
  name: 'slaveserver',
  kind: 'list',
  minLevel: Level.admin,
  desc: msg`The dnsmgr servers this one pushes its master zones to, as slave zones: each gets every master zone, transfers them and is told of their changes`,
  params: [],
  columns: ['id', 'url', 'username', 'nsaddr', 'waiting', 'error'],
  mutates: false,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    return listSlaveServerRows(dnsmgrSlaves(app), app.root);
  },
});

export const slaveServerEdit = defineFunc<{ submit: false; elid?: number } | ({ submit: true } & SlaveServerEdit)>({
  name: 'slaveserver.edit',
  kind: 'form',
  minLevel: Level.admin,
  desc: msg`Add a slave server (another dnsmgr: its API URL and a login on it) or change one (elid); a new one gets every master zone at once, and every master zone lets it transfer and tells it of changes`,
  params: [
    { name: 'elid', desc: msg`the slave server's id (empty: a new one)` },
    { name: 'url', desc: msg`the slave's API URL, e.g. http://198.51.100.53:1500/dnsmgr; when its host is an IP address, transfers from it are allowed`, required: true },
    { name: 'username', desc: msg`login on the slave: its namespace holds the master zones of this server`, required: true },
    { name: 'password', desc: msg`password on the slave; empty keeps the stored one` },
    { name: 'sync', desc: msg`on: synchronize it now (push every master zone, remove those this server no longer has)` },
    { name: 'sok', desc: msg`'ok' to submit the form` },
  ],
  mutates: true,
  parse: (raw) => (isSubmit(raw) ? { submit: true, ...parseSlaveServerEdit(raw) } : { submit: false, elid: parseSlaveServerElid(raw) }),
  async run({ app }, p): Promise<Doc> {
    const adapter = dnsmgrSlaves(app);
    if (!p.submit) return slaveServerForm(adapter, app.root, p.elid);
    return reclaimingMasterZones(app, () => editSlaveServer(adapter, app.root, p));
  },
});

export const slaveServerDelete = defineFunc({
  name: 'slaveserver.delete',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Stop pushing to slave servers: their zones stay on them, but they may no longer transfer the master zones`,
  params: [{ name: 'elid', desc: msg`slave server ids, separated by commas`, required: true }],
  mutates: true,
  parse: (raw) => ({ ids: ids(raw.elid) }),
  async run({ app }, p): Promise<Doc> {
    return reclaimingMasterZones(app, async () => {
      deleteSlaveServers(dnsmgrSlaves(app), app.root, p.ids);
      return { kind: 'ok' };
    });
  },
});

/**
 * Runs the change of the slave servers; when it changed their addresses, every master zone's clause is given to the
 * name server again. A clause the name server refuses is the request's error (the slave servers are saved).
 */
async function reclaimingMasterZones(app: App, change: () => Promise<Doc>): Promise<Doc> {
  const before = slaveAddresses(app.root);
  const doc = await change();
  if (!sameSlaveAddresses(before, slaveAddresses(app.root))) await reapplyMasterClauses(app);
  return doc;
}
