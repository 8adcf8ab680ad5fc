// domain.import: many slave zones from lines `name masters [owner]`, checked first, added in one transaction, then
// carried to named by the batch path (bounded parallelism), with a progress bar on the administrator's terminal.
import { readFileSync } from 'node:fs';
import { DnsmgrError, ToolError, ValidationError, missingParam } from '../errors';
import type { InvalidParam } from '../errors';
import { msg } from '../i18n/msg';
import type { Lang, Msg } from '../i18n/msg';
import { parseMasterList } from '../model/address';
import type { IpAddress } from '../model/address';
import { checkZoneName } from '../model/zone-name';
import type { ZoneName } from '../model/zone-name';
import { checkLogin } from '../model/account-name';
import type { Login } from '../model/account-name';
import { Level } from '../model/level';
import { parseOneOf } from '../model/params';
import type { Doc } from '../protocol/types';
import { withStatementCache, writeTx } from '../store/db';
import { applyZones } from '../sync/zones';
import { writePasswd } from '../sync/passwd';
import { newClaim } from '../app';
import type { App } from '../app';
import type { Actor } from '../model/access';
import { createZone, refuseOwnAddresses } from './domain';
import { defineFunc, optional, optionalLogin, validateAll } from './registry';

/** More lines than this in one request are refused: split the file. */
export const MAX_IMPORT_LINES = 200_000;

export interface ImportLine {
  /** 1-based, as an editor shows it. */
  line: number;
  name: ZoneName;
  masters: IpAddress[];
  owner?: Login;
}

/** A line that could not be used, with its number and every reason. */
export interface BadLine {
  line: number;
  text: string;
  reason: Msg;
}

/**
 * Reads `name masters [owner]` lines: fields separated by spaces or tabs; masters one or more addresses joined by `,`
 * or `;` (no spaces); blank lines and lines starting with `#` are skipped. Every bad line is reported, with its number.
 * A name given twice is a bad line the second time (which masters would win is not for dnsmgr to guess).
 */
export function parseImportLines(text: string): { lines: ImportLine[]; bad: BadLine[] } {
  const lines: ImportLine[] = [];
  const bad: BadLine[] = [];
  const seen = new Map<string, number>();
  const all = text.split(/\r?\n/);
  if (all.length > MAX_IMPORT_LINES) {
    throw new ValidationError({ param: 'file', value: '', reason: msg`expected at most ${MAX_IMPORT_LINES} lines, got ${all.length}` });
  }
  all.forEach((raw, i) => {
    const n = i + 1;
    const trimmed = raw.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const fields = trimmed.split(/[ \t]+/);
    const reasons: Msg[] = [];
    if (fields.length < 2 || fields.length > 3) {
      bad.push({ line: n, text: raw, reason: msg`expected 'name masters [owner]', got ${fields.length} fields` });
      return;
    }
    const [nameRaw, mastersRaw, ownerRaw] = fields as [string, string, string | undefined];
    const name = checkZoneName(nameRaw);
    if (!name.ok) reasons.push(msg`zone name '${nameRaw}': ${name.reason}`);
    let masters: IpAddress[] = [];
    try {
      if (/[\s]/.test(mastersRaw)) throw new ValidationError({ param: 'masters', value: mastersRaw, reason: msg`no spaces inside the masters` });
      masters = parseMasterList(mastersRaw.replaceAll(';', ','), 'masters');
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      for (const p of err.problems) reasons.push(msg`master '${p.value}': ${p.reason}`);
    }
    const owner = ownerRaw === undefined ? undefined : checkLogin(ownerRaw);
    if (owner !== undefined && !owner.ok) reasons.push(msg`owner '${ownerRaw ?? ''}': ${owner.reason}`);
    if (name.ok) {
      const first = seen.get(name.value);
      if (first !== undefined) reasons.push(msg`'${name.value}' is already on line ${first}`);
      else seen.set(name.value, n);
    }
    if (reasons.length > 0 || !name.ok) {
      for (const reason of reasons) bad.push({ line: n, text: raw, reason });
      return;
    }
    lines.push({ line: n, name: name.value, masters, ...(owner?.ok ? { owner: owner.value } : {}) });
  });
  return { lines, bad };
}

/** The problems of bad lines as one request's validation errors: each says its line number. */
function lineProblems(bad: readonly BadLine[]): InvalidParam[] {
  return bad.map((b) => ({ param: 'file', value: b.text.trim(), reason: msg`line ${b.line}: ${b.reason}` }));
}

/** Where the command line's progress bar goes; the other doors have none. */
export type Progress = (done: number, total: number) => void;
let progress: Progress | undefined;

/**
 * The command line's side of domain.import: `file=PATH` (or `file=-`, the standard input) becomes the lines, and a
 * progress bar is drawn on stderr when it is a terminal. Reading the server's files is for the command line only: the
 * other doors send the lines themselves (zones=…).
 */
export async function fromCommandLine(params: Readonly<Record<string, string>>): Promise<Record<string, string>> {
  const { file, ...rest } = params;
  if (process.stderr.isTTY) progress = terminalBar(process.stderr);
  if (file === undefined || file === '') return { ...rest };
  let text: string;
  try {
    text = file === '-' ? await readStdin() : readFileSync(file, 'utf8');
  } catch (err) {
    throw new ValidationError({ param: 'file', value: file, reason: msg`cannot be read: ${(err as Error).message}` });
  }
  return { ...rest, zones: text };
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** A one-line bar, redrawn at most ten times a second: `[#####.....] 5000/10000 zones  830/s`. */
export function terminalBar(out: Pick<NodeJS.WriteStream, 'write'>, clock: () => number = Date.now): Progress {
  const started = clock();
  let last = -Infinity;
  return (done, total) => {
    const t = clock();
    if (done < total && t - last < 100) return;
    last = t;
    const width = 30;
    const filled = total === 0 ? width : Math.round((done / total) * width);
    const rate = Math.round(done / Math.max((t - started) / 1000, 0.001));
    out.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} zones  ${rate}/s${done === total ? '\n' : ''}`);
  };
}

interface ImportParams {
  zones: string;
  skipBad: boolean;
  owner?: Login;
}

export const domainImport = defineFunc<ImportParams>({
  name: 'domain.import',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Add many slave zones from lines 'name masters [owner]' (masters joined by ',' or ';', '#' starts a comment): every line is checked first and nothing is added if any is bad, unless skip_bad=on; then one transaction and the batch towards named. Answers a summary: added, already there, skipped and failed, with reasons`,
  params: [
    { name: 'file', desc: msg`command line only: the file to read the lines from, '-' for the standard input` },
    { name: 'zones', desc: msg`the lines themselves (other doors, or instead of file)` },
    { name: 'owner', desc: msg`account of the lines that name none (default: the caller)` },
    { name: 'skip_bad', desc: msg`'on' to add the good lines and report the bad ones (bad lines and refused zones) instead of adding nothing` },
  ],
  mutates: true,
  parse: (raw) => validateAll({
    zones: () => {
      const z = optional(raw, 'zones');
      if (z === undefined) throw new ValidationError(missingParam('zones', msg`give the lines: file=PATH or file=- on the command line, zones=… elsewhere`));
      return z;
    },
    skipBad: () => parseOneOf(optional(raw, 'skip_bad') ?? 'off', 'skip_bad', ['on', 'off'] as const) === 'on',
    owner: () => optionalLogin(raw, 'owner'),
  }),
  run({ app, actor, lang }, p): Promise<Doc> {
    return withStatementCache(app.db, () => importLines(app, actor, lang, p));
  },
});

/** The lines checked and added in one transaction, then carried to named by the batch path. */
async function importLines(app: App, actor: Actor, lang: Lang, p: ImportParams): Promise<Doc> {
  const { db } = app;
  const { lines, bad } = parseImportLines(p.zones);
  if (bad.length > 0 && !p.skipBad) throw new ValidationError(lineProblems(bad));
  const claim = newClaim();
  const refused: { line: ImportLine; error: DnsmgrError }[] = [];
  const exists: ImportLine[] = [];
  // Most lines name the same masters: each list is checked against the pool once.
  const mastersChecked = new Set<string>();
  const ids = writeTx(db, () => {
    const claimed: number[] = [];
    for (const line of lines) {
      try {
        const key = line.masters.join(',');
        if (!mastersChecked.has(key)) {
          refuseOwnAddresses(db, line.masters);
          mastersChecked.add(key);
        }
        const id = createZone(app, actor, { name: line.name, masters: line.masters, owner: line.owner ?? p.owner }, claim);
        if (id === undefined) exists.push(line);
        else claimed.push(id);
      } catch (err) {
        if (!(err instanceof DnsmgrError) || err.type === 'tool' || err.type === 'internal') throw err;
        refused.push({ line, error: err });
      }
    }
    if (refused.length > 0 && !p.skipBad) {
      throw new ValidationError(refused.map((r) => ({ param: 'file', value: r.line.name, reason: msg`line ${r.line.line}: ${r.error.text}` })));
    }
    return claimed;
  });
  const outcome = await applyZones(app, ids, claim, progress);
  if (ids.length > 0) writePasswd(app);
  const rows = [
    { added: String(outcome.done.length), exists: String(exists.length), skipped: String(bad.length + refused.length), failed: String(outcome.failed.length) },
    ...exists.map((l) => ({ line: String(l.line), zone: l.name, result: 'exists', reason: '' })),
    ...bad.map((b) => ({ line: String(b.line), zone: b.text.trim().split(/[ \t]+/)[0] ?? '', result: 'skipped', reason: b.reason.in(lang) })),
    ...refused.map((r) => ({ line: String(r.line.line), zone: r.line.name, result: 'skipped', reason: r.error.messageIn(lang) })),
    ...outcome.failed.map((f) => ({ line: '', zone: f.name, result: 'failed', reason: f.error instanceof DnsmgrError ? f.error.messageIn(lang) : String(f.error) })),
  ];
  // Nothing reached named because named did not answer: that is the request's error, as for one zone.
  if (outcome.done.length === 0 && outcome.failed[0] !== undefined && outcome.failed[0].error instanceof ToolError) throw outcome.failed[0].error;
  return { kind: 'ok', rows };
}
