// The plugin metadata in xml/ must describe exactly the functions the registries answer, in both languages.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { allFuncs } from '../../src/funcs/index';
import { PANEL_FUNC_SPECS } from '../../src/panels/funcs';
import { PANEL_ADAPTERS } from '../../src/panels/registry';
import { checkMetadata } from './check-metadata';
import type { PluginSpec } from './check-metadata';

function readXml(name: string): string {
  return readFileSync(new URL(`../../xml/${name}`, import.meta.url), 'utf8');
}

describe('plugin metadata matches the registries', () => {
  it('xml/dnsmgr_mod_dnsmgr.xml describes every dnsmgr function', async () => {
    expect(checkMetadata(readXml('dnsmgr_mod_dnsmgr.xml'), { handler: 'dnsmgr', funcs: await allFuncs() })).toEqual([]);
  });

  it.each(PANEL_ADAPTERS.map((a) => [`xml/${a.panel}_mod_dnsmgr.xml`, a] as const))('%s describes every function of the panel\'s plugin and hooks every event', (file, adapter) => {
    const spec: PluginSpec = { handler: adapter.exeName, funcs: PANEL_FUNC_SPECS, events: adapter.events };
    expect(checkMetadata(readXml(file.slice('xml/'.length)), spec)).toEqual([]);
  });
});

// A tiny registry and a document that matches it; each case below breaks one thing.
const SPEC: PluginSpec = {
  handler: 'h',
  funcs: [
    { name: 'thing', kind: 'list', minLevel: 16, params: [], columns: ['name', 'status'] },
    { name: 'thing.edit', kind: 'form', minLevel: 16, params: [{ name: 'elid' }, { name: 'name', required: true }, { name: 'ip' }, { name: 'sok' }] },
    { name: 'thing.delete', kind: 'action', minLevel: 16, params: [{ name: 'elid', required: true }] },
    { name: 'thing.settings', kind: 'form', minLevel: 29, params: [{ name: 'enabled' }] },
  ],
  events: ['thing.edit'],
};

const MESSAGES: Record<string, string[]> = {
  desktop: ['modernmenu_thing', 'modernmenu_thing.settings'],
  thing: ['title', 'name', 'status', 'active', 'short_new', 'hint_new', 'short_delete', 'hint_delete'],
  'thing.edit': ['title', 'name', 'hint_name', 'ip', 'hint_ip'],
  'thing.settings': ['title', 'enabled', 'hint_enabled'],
  'thing.delete': ['msg_thing.delete'],
};

function lang(code: string, word: string): string {
  const blocks = Object.entries(MESSAGES).map(([block, names]) =>
    `<messages name="${block}">${names.map((n) => `<msg name="${n}">${word} ${block} ${n}</msg>`).join('')}</messages>`);
  return `<lang name="${code}">${blocks.join('\n')}</lang>`;
}

const GOOD = `<?xml version="1.0" encoding="UTF-8"?>
<mgrdata>
  <mainmenu level="user"><modernmenu><node name="grp" type="noname"><node name="thing"/></node></modernmenu></mainmenu>
  <mainmenu level="admin+"><modernmenu><node name="grp" type="noname"><node name="thing"/><node name="thing.settings"/></node></modernmenu></mainmenu>
  <handler name="h" type="xml">
    <func name="thing"/><func name="thing.edit"/><func name="thing.delete"/><func name="thing.settings"/>
  </handler>
  <handler name="h" type="xml"><event name="thing.edit" after="yes"/></handler>
  <metadata name="thing" type="list" key="name" keyname="name">
    <toolbar>
      <toolbtn func="thing.edit" type="new" name="new"/>
      <toolbtn func="thing.delete" type="group" name="delete"/>
    </toolbar>
    <coldata><col name="name" type="data" sort="alpha"/><col name="status" type="msg" sort="alpha"/></coldata>
  </metadata>
  <metadata name="thing.edit" type="form"><form><page name="main">
    <field name="name"><input type="text" name="name" required="yes"/></field>
    <field name="ip"><input type="text" name="ip" check="ip"/></field>
  </page></form></metadata>
  <metadata name="thing.settings" type="form"><form><page name="main">
    <field name="enabled"><input type="checkbox" name="enabled"/></field>
  </page></form></metadata>
  ${lang('en', 'Thing')}
  ${lang('ru', 'Вещь')}
</mgrdata>`;

function broken(from: string, to: string): string {
  if (!GOOD.includes(from)) throw new Error(`the sample document has no ${from}`);
  return GOOD.replace(from, to);
}

const BREAKS: [what: string, xml: string, expected: string][] = [
  ['XML that does not parse', broken('</coldata>', '</coldat>'), 'XML does not parse'],
  ['a <func> without a registry entry', broken('<func name="thing.delete"/>', '<func name="thing.delete"/><func name="thing.purge"/>'), '<func name="thing.purge"> has no registry entry'],
  ['a registry function missing from the handler', broken('<func name="thing.settings"/>', ''), 'registry function thing.settings has no <func>'],
  ['a list or form without metadata', broken('<metadata name="thing.settings"', '<metadata name="other.settings"'), 'form thing.settings: no <metadata'],
  ['metadata of the wrong kind', broken('<metadata name="thing.edit" type="form">', '<metadata name="thing.edit" type="list">'), 'but the function is a form'],
  ['a form field the function does not accept', broken('<field name="ip">', '<field name="port"><input type="text" name="port"/></field><field name="ip">'), 'field port is not a parameter of the function'],
  ['a required parameter without required="yes"', broken('name="name" required="yes"', 'name="name"'), 'field name is a required parameter but not required="yes"'],
  ['a list column the function does not return', broken('</coldata>', '<col name="size" type="data" sort="digit"/></coldata>'), 'column size is not returned by the function'],
  ['a returned column with no <col>', broken('<col name="status" type="msg" sort="alpha"/>', ''), 'returned column status has no <col>'],
  ['a toolbar button naming an unknown function', broken('func="thing.delete"', 'func="thing.remove"'), 'toolbar button delete names unknown function "thing.remove"'],
  ['a menu node that is an action', broken('<node name="thing.settings"/>', '<node name="thing.delete"/>'), 'node thing.delete is not a list or form function'],
  ['a menu node above the menu level', broken('<node name="thing"/></node></modernmenu></mainmenu>', '<node name="thing"/><node name="thing.settings"/></node></modernmenu></mainmenu>'), 'mainmenu user: node thing.settings needs level 29'],
  ['a message in one language only', broken('<msg name="active">Вещь thing active</msg>', ''), 'lang ru: <messages name="thing"> lacks active, which lang en has'],
  ['a list without title', broken('<msg name="title">Thing thing title</msg>', ''), 'lang en: <messages name="thing"> lacks title'],
  ['a field without its label', broken('<msg name="ip">Вещь thing.edit ip</msg>', ''), 'lang ru: <messages name="thing.edit"> lacks ip (label of field ip)'],
  ['a field without its hint', broken('<msg name="hint_ip">Thing thing.edit hint_ip</msg>', ''), 'lang en: <messages name="thing.edit"> lacks hint_ip'],
  ['a toolbar button without its label', broken('<msg name="short_new">Вещь thing short_new</msg>', ''), 'lang ru: <messages name="thing"> lacks short_new'],
  ['an action without its message', broken('<msg name="msg_thing.delete">Thing thing.delete msg_thing.delete</msg>', ''), 'lacks msg_thing.delete'],
  ['a menu node without its label', broken('<msg name="modernmenu_thing">Вещь desktop modernmenu_thing</msg>', ''), 'lacks modernmenu_thing'],
  ['a Russian title that is not Russian', broken('Вещь thing.edit title', 'Veshch'), 'lang ru: thing.edit/title is not in Russian'],
  ['a hooked event not hooked', broken('<event name="thing.edit" after="yes"/>', ''), 'hooked event thing.edit has no <event'],
  ['a static select list', broken('<field name="ip"><input type="text" name="ip" check="ip"/></field>', '<field name="ip"><input type="text" name="ip" check="ip"/></field><slist name="ip"><msg>a</msg></slist>'), 'static <slist name="ip">'],
  ['functions and events in one handler', broken('<func name="thing.settings"/>', '<func name="thing.settings"/><event name="thing.edit" after="yes"/>'), '<func> and <event> in one <handler>'],
];

describe('checkMetadata', () => {
  it('finds nothing wrong in a document that matches its registry', () => {
    expect(checkMetadata(GOOD, SPEC)).toEqual([]);
  });

  it.each(BREAKS)('catches %s', (_what, xml, expected) => {
    expect(checkMetadata(xml, SPEC)).toContainEqual(expect.stringContaining(expected));
  });

  it('lists every problem at once', () => {
    const twice = broken('<func name="thing.settings"/>', '').replace('<event name="thing.edit" after="yes"/>', '');
    expect(checkMetadata(twice, SPEC)).toEqual([
      'handler h: registry function thing.settings has no <func>',
      'handler h: hooked event thing.edit has no <event name="thing.edit">',
    ]);
  });
});
