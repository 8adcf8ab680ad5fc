// restricted, restricted.edit, restricted.delete: names nobody may add as zones (with everything below them).
import { Level } from '../model/level';
import { msg } from '../i18n/msg';
import { parseZoneName, parseZoneNameList } from '../model/zone-name';
import type { Doc } from '../protocol/types';
import { writeTx } from '../store/db';
import { addRestricted, deleteRestricted, restrictedNames } from '../store/restricted';
import { defineFunc, isSubmit } from './registry';

export const restrictedList = defineFunc({
  name: 'restricted', kind: 'list', minLevel: Level.admin, mutates: false, params: [], columns: ['name', 'source'],
  desc: msg`Restricted names: nobody may add them or anything below them`,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    const rows = restrictedNames(app.db).map((name) => ({ name, source: 'list' }));
    for (const name of app.settings.restrictedDomains) rows.push({ name, source: 'dnsmgr.conf' });
    return { kind: 'list', rows };
  },
});

export const restrictedEdit = defineFunc({
  name: 'restricted.edit', kind: 'form', minLevel: Level.admin, mutates: false,
  desc: msg`Add a restricted name`,
  params: [{ name: 'name', desc: msg`the name`, required: true }, { name: 'sok', desc: msg`'ok' to submit the form` }],
  parse: (raw) => (isSubmit(raw) ? { name: parseZoneName(raw.name ?? '', 'name') } : { name: undefined }),
  async run({ app }, p): Promise<Doc> {
    if (p.name === undefined) return { kind: 'form', fields: { name: '' } };
    const name = p.name;
    writeTx(app.db, () => addRestricted(app.db, name));
    return { kind: 'ok' };
  },
});

export const restrictedDelete = defineFunc({
  name: 'restricted.delete', kind: 'action', minLevel: Level.admin, mutates: false,
  desc: msg`Remove restricted names (those in dnsmgr.conf stay until removed there)`,
  params: [{ name: 'elid', desc: msg`names, separated by commas`, required: true }],
  parse: (raw) => ({ names: parseZoneNameList(raw.elid ?? '', 'elid') }),
  async run({ app }, p): Promise<Doc> {
    writeTx(app.db, () => { for (const n of p.names) deleteRestricted(app.db, n); });
    return { kind: 'ok' };
  },
});
