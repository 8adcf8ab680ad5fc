// Checks a panel plugin's metadata XML (<mgrdata>) against the function registry it describes and returns every
// mismatch at once, so one run shows all that drifted. Conventions it holds the XML to:
// - the handlers named spec.handler declare exactly the registry's functions and hook exactly spec.events, functions
//   and events in separate <handler> elements;
// - every list and form has <metadata> of its kind; lists show exactly the columns the function returns, forms only
//   fields the function accepts (elid and sok are the panel's own and need none), a required parameter is a required field;
// - menu leaves are list or form functions the menu's level may call;
// - every language has the same messages: title, columns, fields with hint_<field>, short_/hint_<button>,
//   modernmenu_<node> in "desktop", and msg_<action> in the action's own block.
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface FuncSpec {
  name: string;
  kind: 'list' | 'form' | 'action';
  minLevel: number;
  params: readonly { name: string; required?: boolean }[];
  columns?: readonly string[];
}

export interface PluginSpec {
  /** The handler that must declare every function and nothing else. */
  handler: string;
  funcs: readonly FuncSpec[];
  /** Events the handler must hook, and the only ones it may. */
  events?: readonly string[];
  /** Default: en and ru. */
  langs?: readonly string[];
}

interface XmlNode {
  tag: string;
  attrs: Readonly<Record<string, string>>;
  children: XmlNode[];
  text: string;
}

const PANEL_PARAMS = new Set(['elid', 'sok']);
const LEVELS: Readonly<Record<string, number>> = { user: 16, reseller: 24, admin: 29, super: 30, root: 30 };
const TOOLBTN_TYPES = new Set(['new', 'edit', 'group', 'editlist', 'list']);
const COL_TYPES = new Set(['data', 'msg']);
const COL_SORTS = new Set(['alpha', 'digit', 'prop']);
const INPUT_TYPES = new Set(['text', 'checkbox', 'hidden', 'password']);
const CONTROLS = new Set(['input', 'select', 'textarea']);

type Messages = Map<string, Map<string, Map<string, string>>>; // lang → block → msg name → text

export function checkMetadata(xml: string, spec: PluginSpec): string[] {
  const valid = XMLValidator.validate(xml);
  if (valid !== true) return [`XML does not parse: ${valid.err.msg} (line ${valid.err.line}, column ${valid.err.col})`];
  const root = parseTree(xml);
  if (root?.tag !== 'mgrdata') return [`the root element is <${root?.tag ?? ''}>, expected <mgrdata>`];

  const funcs = new Map(spec.funcs.map((f) => [f.name, f]));
  const problems: string[] = [];
  const needed: { block: string; msg: string; what: string }[] = [];
  const need: Need = (block, msg, what) => {
    needed.push({ block, msg, what });
  };

  checkHandlers(root, spec, funcs, problems);
  checkMenus(root, funcs, problems, need);
  const described = new Set<string>();
  for (const meta of kids(root, 'metadata')) {
    const name = meta.attrs.name ?? '';
    const where = `metadata ${name}`;
    if (described.has(name)) problems.push(`${where}: described twice`);
    described.add(name);
    const f = funcs.get(name);
    if (!f) {
      problems.push(`${where}: no such function in the registry`);
      continue;
    }
    if (meta.attrs.type !== f.kind) problems.push(`${where}: type="${meta.attrs.type ?? ''}" but the function is a ${f.kind}`);
    need(name, 'title', `title of ${f.kind} ${name}`);
    if (f.kind === 'list') checkList(meta, f, funcs, problems, need);
    if (f.kind === 'form') checkForm(meta, f, problems, need);
  }
  for (const f of spec.funcs) {
    if (f.kind !== 'action' && !described.has(f.name)) problems.push(`${f.kind} ${f.name}: no <metadata name="${f.name}" type="${f.kind}">`);
    if (f.kind === 'action') need(f.name, `msg_${f.name}`, `message of action ${f.name}`);
  }
  checkMessages(messagesOf(root, problems), spec.langs ?? ['en', 'ru'], needed, problems);
  return problems;
}

function checkHandlers(root: XmlNode, spec: PluginSpec, funcs: ReadonlyMap<string, FuncSpec>, problems: string[]): void {
  const handlers = kids(root, 'handler');
  const declared = new Set<string>();
  for (const h of handlers) {
    const where = `handler ${h.attrs.name ?? ''}`;
    if (h.attrs.type !== 'xml' && h.attrs.type !== 'cgi') problems.push(`${where}: type="${h.attrs.type ?? ''}", expected xml or cgi`);
    for (const fn of kids(h, 'func')) {
      const name = fn.attrs.name ?? '';
      if (!funcs.has(name)) problems.push(`${where}: <func name="${name}"> has no registry entry`);
      if (declared.has(name)) problems.push(`${where}: <func name="${name}"> declared twice`);
      declared.add(name);
    }
  }
  // Real plugins declare their functions and their events in separate <handler> elements of the same name.
  const mine = handlers.filter((h) => h.attrs.name === spec.handler);
  if (mine.length === 0) {
    problems.push(`no <handler name="${spec.handler}">`);
    return;
  }
  for (const h of mine) {
    if (kids(h, 'func').length > 0 && kids(h, 'event').length > 0) problems.push(`handler ${spec.handler}: <func> and <event> in one <handler>; declare them in separate ones`);
  }
  const own = new Set(mine.flatMap((h) => kids(h, 'func')).map((f) => f.attrs.name ?? ''));
  for (const f of spec.funcs) if (!own.has(f.name)) problems.push(`handler ${spec.handler}: registry function ${f.name} has no <func>`);
  const expected = new Set(spec.events ?? []);
  const events = mine.flatMap((h) => kids(h, 'event'));
  for (const e of events) {
    const name = e.attrs.name ?? '';
    if (!expected.has(name)) problems.push(`handler ${spec.handler}: event ${name} is not a hooked event`);
    if (!['after', 'before', 'final'].some((stage) => e.attrs[stage] === 'yes')) problems.push(`handler ${spec.handler}: event ${name} has no after/before/final="yes"`);
  }
  const hooked = new Set(events.map((e) => e.attrs.name ?? ''));
  for (const name of expected) if (!hooked.has(name)) problems.push(`handler ${spec.handler}: hooked event ${name} has no <event name="${name}">`);
}

type Need = (block: string, msg: string, what: string) => void;

function checkMenus(root: XmlNode, funcs: ReadonlyMap<string, FuncSpec>, problems: string[], need: Need): void {
  for (const menu of kids(root, 'mainmenu')) {
    const levelAttr = menu.attrs.level ?? '';
    const level = LEVELS[levelAttr.replace(/\+$/, '')];
    const where = `mainmenu ${levelAttr}`;
    if (level === undefined) problems.push(`${where}: level is not user, reseller, admin or super (optionally with +)`);
    // A node with children is a group; the leaves open functions.
    for (const node of descendants(menu, 'node').filter((n) => kids(n, 'node').length === 0)) {
      const name = node.attrs.name ?? '';
      const f = funcs.get(name);
      if (!f || f.kind === 'action') problems.push(`${where}: node ${name} is not a list or form function`);
      else if (level !== undefined && f.minLevel > level) problems.push(`${where}: node ${name} needs level ${f.minLevel}, the menu is for ${level}`);
      need('desktop', `modernmenu_${name}`, `label of menu node ${name}`);
    }
  }
}

function checkList(meta: XmlNode, f: FuncSpec, funcs: ReadonlyMap<string, FuncSpec>, problems: string[], need: Need): void {
  const where = `list ${f.name}`;
  const columns = f.columns ?? [];
  const returns = `returns: ${columns.join(', ')}`;
  for (const attr of ['key', 'keyname']) {
    const value = meta.attrs[attr];
    if (value === undefined || !columns.includes(value)) problems.push(`${where}: ${attr}="${value ?? ''}" is not a returned column (${returns})`);
  }
  for (const btn of descendants(meta, 'toolbtn')) {
    const name = btn.attrs.name ?? '';
    const target = funcs.get(btn.attrs.func ?? '');
    const type = btn.attrs.type ?? '';
    if (!target) problems.push(`${where}: toolbar button ${name} names unknown function "${btn.attrs.func ?? ''}"`);
    if (!TOOLBTN_TYPES.has(type)) problems.push(`${where}: toolbar button ${name} has type="${type}"`);
    else if (target && (type === 'new' || type === 'edit') && target.kind !== 'form') problems.push(`${where}: toolbar button ${name} (${type}) opens ${target.name}, which is not a form`);
    need(f.name, `short_${name}`, `label of toolbar button ${name}`);
    need(f.name, `hint_${name}`, `hint of toolbar button ${name}`);
  }
  const shown = new Set<string>();
  for (const col of descendants(meta, 'col')) {
    const name = col.attrs.name ?? '';
    if (!columns.includes(name)) problems.push(`${where}: column ${name} is not returned by the function (${returns})`);
    if (shown.has(name)) problems.push(`${where}: column ${name} shown twice`);
    if (!COL_TYPES.has(col.attrs.type ?? '')) problems.push(`${where}: column ${name} has type="${col.attrs.type ?? ''}", expected data or msg`);
    if (!COL_SORTS.has(col.attrs.sort ?? '')) problems.push(`${where}: column ${name} has sort="${col.attrs.sort ?? ''}", expected alpha, digit or prop`);
    shown.add(name);
    need(f.name, name, `label of column ${name}`);
  }
  for (const c of columns) if (!shown.has(c)) problems.push(`${where}: returned column ${c} has no <col>`);
}

function checkForm(meta: XmlNode, f: FuncSpec, problems: string[], need: Need): void {
  const where = `form ${f.name}`;
  const params = new Map(f.params.map((p) => [p.name, p]));
  const accepts = `accepts: ${f.params.map((p) => p.name).join(', ')}`;
  const fields = descendants(meta, 'field');
  for (const field of fields) {
    const name = field.attrs.name ?? '';
    const param = params.get(name);
    if (!param) problems.push(`${where}: field ${name} is not a parameter of the function (${accepts})`);
    const controls = field.children.filter((c) => CONTROLS.has(c.tag));
    if (controls.length === 0) problems.push(`${where}: field ${name} has no input, select or textarea`);
    for (const c of controls) {
      if (c.attrs.name !== name) problems.push(`${where}: field ${name} holds a <${c.tag}> named "${c.attrs.name ?? ''}"`);
      if (c.tag === 'input' && !INPUT_TYPES.has(c.attrs.type ?? '')) problems.push(`${where}: field ${name} has input type="${c.attrs.type ?? ''}"`);
    }
    if (param?.required && !controls.some((c) => c.attrs.required === 'yes')) problems.push(`${where}: field ${name} is a required parameter but not required="yes"`);
    need(f.name, name, `label of field ${name}`);
    need(f.name, `hint_${name}`, `hint of field ${name}`);
  }
  const named = new Set(fields.map((field) => field.attrs.name));
  for (const p of f.params) if (p.required && !PANEL_PARAMS.has(p.name) && !named.has(p.name)) problems.push(`${where}: required parameter ${p.name} has no field`);
  // A select's options are the handler's (<slist> in its answer), as in the panel's own plugins: never a static list.
  for (const sl of descendants(meta, 'slist')) problems.push(`${where}: static <slist name="${sl.attrs.name ?? ''}"> in the metadata; the handler's answer gives the options`);
}

function checkMessages(messages: Messages, langs: readonly string[], needed: { block: string; msg: string; what: string }[], problems: string[]): void {
  const reported = new Set<string>();
  for (const lang of langs) {
    const blocks = messages.get(lang);
    if (!blocks) {
      problems.push(`no <lang name="${lang}">`);
      continue;
    }
    for (const { block, msg, what } of needed) {
      if (blocks.get(block)?.has(msg)) continue;
      const key = `${lang}\0${block}\0${msg}`;
      if (reported.has(key)) continue;
      reported.add(key);
      problems.push(`lang ${lang}: <messages name="${block}"> lacks ${msg} (${what})`);
    }
  }
  // What one language says, every other must say too.
  const present = langs.filter((l) => messages.has(l));
  for (const lang of present) {
    for (const [block, msgs] of messages.get(lang) ?? []) {
      for (const msg of msgs.keys()) {
        for (const other of present) {
          const key = `${other}\0${block}\0${msg}`;
          if (other === lang || messages.get(other)?.get(block)?.has(msg) || reported.has(key)) continue;
          reported.add(key);
          problems.push(`lang ${other}: <messages name="${block}"> lacks ${msg}, which lang ${lang} has`);
        }
      }
    }
  }
  for (const [block, msgs] of messages.get('ru') ?? []) {
    for (const [msg, text] of msgs) {
      if ((msg === 'title' || msg.startsWith('hint_')) && !/[а-яё]/i.test(text)) problems.push(`lang ru: ${block}/${msg} is not in Russian: "${text}"`);
    }
  }
}

function messagesOf(root: XmlNode, problems: string[]): Messages {
  const out: Messages = new Map();
  for (const lang of kids(root, 'lang')) {
    const name = lang.attrs.name ?? '';
    const blocks = out.get(name) ?? new Map<string, Map<string, string>>();
    out.set(name, blocks);
    for (const block of kids(lang, 'messages')) {
      const bname = block.attrs.name ?? '';
      const msgs = blocks.get(bname) ?? new Map<string, string>();
      blocks.set(bname, msgs);
      for (const m of kids(block, 'msg')) {
        const mname = m.attrs.name ?? '';
        if (msgs.has(mname)) problems.push(`lang ${name}: ${bname}/${mname} defined twice`);
        if (m.text.trim() === '') problems.push(`lang ${name}: ${bname}/${mname} is empty`);
        msgs.set(mname, m.text);
      }
    }
  }
  return out;
}

function kids(node: XmlNode, tag: string): XmlNode[] {
  return node.children.filter((c) => c.tag === tag);
}

function descendants(node: XmlNode, tag: string): XmlNode[] {
  return node.children.flatMap((c) => [...(c.tag === tag ? [c] : []), ...descendants(c, tag)]);
}

type Ordered = Record<string, unknown>;

function parseTree(xml: string): XmlNode | undefined {
  const parser = new XMLParser({
    preserveOrder: true, ignoreAttributes: false, attributeNamePrefix: '', parseTagValue: false,
    parseAttributeValue: false, ignoreDeclaration: true, ignorePiTags: true, trimValues: true,
  });
  return toNodes(parser.parse(xml) as Ordered[]).find((n) => n.tag !== '#text');
}

function toNodes(items: readonly Ordered[]): XmlNode[] {
  const out: XmlNode[] = [];
  for (const item of items) {
    const attrs = (item[':@'] ?? {}) as Record<string, string>;
    for (const [tag, value] of Object.entries(item)) {
      if (tag === ':@') continue;
      if (tag === '#text') {
        out.push({ tag, attrs: {}, children: [], text: String(value) });
        continue;
      }
      const children = toNodes(value as Ordered[]);
      out.push({ tag, attrs, children, text: children.filter((c) => c.tag === '#text').map((c) => c.text).join('') });
    }
  }
  return out;
}
