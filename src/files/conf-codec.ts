// dnsmgr.conf in COREmanager syntax: `Key value`, `Option Name`, `path name value`, `//` and `/* */` comments.
// Every line keeps its raw text, so a rewrite changes only the lines it must: comments, order and unknown keys survive.

export type ConfKind = 'key' | 'option' | 'path';

export interface ConfEntry {
  kind: ConfKind;
  /** `Key` for key lines, the option name for Option lines, the path's name for path lines. */
  name: string;
  value: string;
}

export interface ConfLine {
  raw: string;
  entry?: ConfEntry;
}

export interface ConfDoc {
  lines: ConfLine[];
}

export function parseConf(text: string): ConfDoc {
  // Split on \n only: in a CRLF file each raw line keeps its \r (values never include it), so rendering is exact.
  const rawLines = text.split('\n');
  // A final newline yields one empty trailing element; keep it so render(parse(x)) === x.
  let inBlock = false;
  const lines = rawLines.map((raw): ConfLine => {
    const { code, stillInBlock } = stripComments(raw, inBlock);
    inBlock = stillInBlock;
    const entry = parseEntry(code.trim());
    return entry ? { raw, entry } : { raw };
  });
  return { lines };
}

export function renderConf(doc: ConfDoc): string {
  return doc.lines.map((l) => l.raw).join('\n');
}

/** The last value of a key wins, as in the panel. */
export function getConf(doc: ConfDoc, kind: ConfKind, name: string): string | undefined {
  let found: string | undefined;
  for (const l of doc.lines) {
    if (l.entry && l.entry.kind === kind && sameName(l.entry.name, name)) found = l.entry.value;
  }
  return found;
}

export function hasOption(doc: ConfDoc, name: string): boolean {
  return doc.lines.some((l) => l.entry?.kind === 'option' && sameName(l.entry.name, name));
}

/** Sets a value in place (the last line that has it), or appends a line; undefined removes the key. */
export function setConf(doc: ConfDoc, kind: ConfKind, name: string, value: string | undefined): ConfDoc {
  const lines = [...doc.lines];
  const index = findLastIndex(lines, (l) => l.entry?.kind === kind && sameName(l.entry.name, name));
  if (value === undefined) {
    return { lines: lines.filter((l) => !(l.entry?.kind === kind && sameName(l.entry.name, name))) };
  }
  const entry: ConfEntry = { kind, name, value };
  const raw = formatEntry(kind, name, value);
  const replaced = index >= 0 ? lines[index] : undefined;
  if (replaced) {
    // A CRLF line keeps its \r, which is part of its raw text.
    lines[index] = { raw: raw + crOf(replaced.raw), entry };
  } else {
    const cr = lines.length > 1 && lines.slice(0, -1).every((l) => l.raw.endsWith('\r')) ? '\r' : '';
    const last = lines[lines.length - 1];
    if (last === undefined || last.raw === '') {
      // Append before the trailing empty element so the file keeps ending with a newline.
      lines.splice(Math.max(lines.length - 1, 0), 0, { raw: raw + cr, entry });
    } else {
      // No final newline: the line that was last gets one (CRLF in a CRLF file), the new line stays unterminated.
      lines[lines.length - 1] = { ...last, raw: last.raw + (crOf(last.raw) === '' ? cr : '') };
      lines.push({ raw, entry });
    }
  }
  return { lines };
}

function crOf(raw: string): string {
  return raw.endsWith('\r') ? '\r' : '';
}

export function setOption(doc: ConfDoc, name: string, on: boolean): ConfDoc {
  if (on === hasOption(doc, name)) return doc;
  return setConf(doc, 'option', name, on ? '' : undefined);
}

function formatEntry(kind: ConfKind, name: string, value: string): string {
  if (kind === 'option') return `Option ${name}`;
  if (kind === 'path') return `path ${name} ${value}`;
  return value === '' ? name : `${name} ${value}`;
}

function parseEntry(code: string): ConfEntry | undefined {
  if (code === '') return undefined;
  const m = /^(\S+)(?:\s+(.*))?$/.exec(code);
  if (!m) return undefined;
  const head = m[1] as string;
  const rest = (m[2] ?? '').trim();
  if (head.toLowerCase() === 'option') return { kind: 'option', name: rest, value: '' };
  if (head.toLowerCase() === 'path') {
    const p = /^(\S+)(?:\s+(.*))?$/.exec(rest);
    if (p) return { kind: 'path', name: p[1] as string, value: (p[2] ?? '').trim() };
  }
  return { kind: 'key', name: head, value: rest };
}

/** Removes comments from one line, tracking whether a `/* … *\/` block continues to the next line. */
function stripComments(line: string, inBlock: boolean): { code: string; stillInBlock: boolean } {
  let code = '';
  let i = 0;
  let block = inBlock;
  while (i < line.length) {
    if (block) {
      const end = line.indexOf('*/', i);
      if (end < 0) return { code, stillInBlock: true };
      block = false;
      i = end + 2;
      continue;
    }
    if (line.startsWith('/*', i)) { block = true; i += 2; continue; }
    // `//` starts a comment at the start of a line or after white space, so values like URLs keep theirs.
    if (line.startsWith('//', i) && (i === 0 || /\s/.test(line[i - 1] as string))) break;
    if (line[i] === '#' && line.slice(0, i).trim() === '') break;
    code += line[i];
    i++;
  }
  return { code, stillInBlock: block };
}

function sameName(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}

function findLastIndex<T>(items: readonly T[], pred: (t: T) => boolean): number {
  for (let i = items.length - 1; i >= 0; i--) if (pred(items[i] as T)) return i;
  return -1;
}
