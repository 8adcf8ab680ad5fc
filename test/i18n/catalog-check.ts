// The catalog checker: every msg`…` in the sources against the Russian catalog. The ids are derived from the source
// text by the TypeScript parser the way msg derives them at run time (the template's cooked text, each ${…} → {0},
// {1}, …), so nested templates, strings with backticks and comments that quote msg`…` are read as the compiler does.
import ts from 'typescript';

export interface MsgSite {
  id: string;
  /** file:line, for the report. */
  where: string;
}

/** Every msg`…` tagged template in one source file. */
export function msgSites(file: string, source: string): MsgSite[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const sites: MsgSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && node.tag.text === 'msg') {
      const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
      sites.push({ id: templateId(node.template), where: `${file}:${line}` });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return sites;
}

function templateId(t: ts.TemplateLiteral): string {
  if (ts.isNoSubstitutionTemplateLiteral(t)) return t.text;
  return t.head.text + t.templateSpans.map((span, i) => `{${i}}${span.literal.text}`).join('');
}

export function placeholders(text: string): string[] {
  return [...new Set(text.match(/\{\d+\}/g) ?? [])].sort();
}

/**
 * Every problem at once: an id with no Russian, a Russian text whose placeholders differ from its id's, an entry no
 * msg`…` uses, and a Russian text equal to its English id unless the id is allowed to stay as it is.
 */
export function checkCatalog(sites: readonly MsgSite[], catalog: Readonly<Record<string, string>>, sameAllowed: ReadonlySet<string>): string[] {
  const problems: string[] = [];
  const used = new Set(sites.map((s) => s.id));
  const reported = new Set<string>();
  for (const site of sites) {
    if (reported.has(site.id)) continue;
    reported.add(site.id);
    const ru = Object.hasOwn(catalog, site.id) ? catalog[site.id] : undefined;
    if (ru === undefined) {
      problems.push(`${site.where}: no Russian for ${JSON.stringify(site.id)}`);
      continue;
    }
    const want = placeholders(site.id).join(' ');
    const got = placeholders(ru).join(' ');
    if (want !== got) problems.push(`${site.where}: ${JSON.stringify(site.id)} has placeholders [${want}], its Russian [${got}]`);
    if (ru === site.id && !sameAllowed.has(site.id)) problems.push(`${site.where}: the Russian of ${JSON.stringify(site.id)} is the English`);
    if (ru.trim() === '') problems.push(`${site.where}: the Russian of ${JSON.stringify(site.id)} is empty`);
  }
  for (const id of Object.keys(catalog)) if (!used.has(id)) problems.push(`stale entry, no msg\`…\` uses it: ${JSON.stringify(id)}`);
  for (const id of sameAllowed) if (catalog[id] !== id) problems.push(`allowed to stay English but not in the catalog as such: ${JSON.stringify(id)}`);
  return problems;
}
