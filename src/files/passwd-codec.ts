// dnsmgr.passwd, the legacy account file (/usr/local/ispmgr/etc/dnsmgr.passwd). The seed names the fields but not the
// separator; our documented choice is one account per line, seven colon-separated fields:
//
//   login:reseller:hash:level:used:allowed:shared
//   p192.0.2.1:resellername:$2a$10$<53 characters>:16:1:1000:1
//
// `reseller` is empty for an account without one. A colon can appear in no field: logins are [A-Za-z0-9._-], bcrypt
// hashes are [$./A-Za-z0-9], counts are digits. Blank lines and `#` lines are kept as raw text, and every line keeps
// its raw text (a CRLF line its \r), so render(parse(x)) === x.
//
// `level` is the access level. The panel's levels are 16 user, 24 reseller, 29 admin, 30 root (src/model/level.ts);
// legacy files may hold other numbers (the seed shows 10 for a user), so any integer 1–30 is accepted here and
// levelFromPasswd maps it onto the panel's. `used:allowed:shared` are the numbers of used, allowed and shared domains.
import { ValidationError } from '../errors';
import { joinMsgs, msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import type { InvalidParam } from '../errors';
import { checkLogin } from '../model/account-name';
import { Level } from '../model/level';

export interface PasswdEntry {
  login: string;
  reseller: string;
  hash: string;
  level: number;
  used: number;
  allowed: number;
  shared: number;
}

export interface PasswdLine {
  raw: string;
  entry?: PasswdEntry;
}

export interface PasswdDoc {
  lines: PasswdLine[];
}

export type PanelLevel = (typeof Level)[keyof typeof Level];

const FIELD_COUNT = 7;
const BCRYPT_HASH = /^\$2[aby]\$[0-9]{2}\$[./A-Za-z0-9]{53}$/;
/** Canonical decimal: no sign, no leading zeros, so rendering a parsed number gives back the same digits. */
const COUNT = /^(?:0|[1-9][0-9]{0,14})$/;
const MAX_LEVEL = 30;
const HASH_MASK = '<hash>';

export function parsePasswd(text: string): PasswdDoc {
  // Split on \n only: a CRLF line keeps its \r in `raw`; a final newline leaves one empty trailing line.
  const problems: InvalidParam[] = [];
  const firstLine = new Map<string, number>();
  const lines = text.split('\n').map((raw, i): PasswdLine => {
    const content = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (isBlankOrComment(content)) return { raw };
    const parsed = parseAccountLine(content);
    const reasons = parsed.reasons;
    const login = parsed.entry?.login;
    if (login !== undefined && checkLogin(login).ok) {
      const seen = firstLine.get(login);
      if (seen !== undefined) reasons.push(msg`login '${login}' is already on line ${seen}`);
      else firstLine.set(login, i + 1);
    }
    if (reasons.length > 0 || parsed.entry === undefined) {
      problems.push({ param: `passwd line ${i + 1}`, value: maskHash(content), reason: joinMsgs(reasons) });
      return { raw };
    }
    return { raw, entry: parsed.entry };
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return { lines };
}

export function renderPasswd(doc: PasswdDoc): string {
  return doc.lines.map((l) => l.raw).join('\n');
}

/** A fresh file, one "\n"-terminated line per entry. Every entry is checked first, so no field can smuggle in a line. */
export function renderPasswdEntries(entries: readonly PasswdEntry[]): string {
  const problems: InvalidParam[] = [];
  const logins = new Map<string, number>();
  entries.forEach((entry, i) => {
    const reasons = checkEntry(entry);
    const seen = logins.get(entry.login);
    if (seen !== undefined && checkLogin(entry.login).ok) reasons.push(msg`login '${entry.login}' is already entry ${seen}`);
    else logins.set(entry.login, i + 1);
    if (reasons.length > 0) {
      problems.push({ param: `passwd entry ${i + 1}`, value: maskHash(formatLine(entry)), reason: joinMsgs(reasons) });
    }
  });
  if (problems.length > 0) throw new ValidationError(problems);
  return entries.map((e) => `${formatLine(e)}\n`).join('');
}

/**
 * `file` (the bytes of a file renderPasswdEntries wrote) with the line of each entry's login replaced by the entry, each
 * entry checked as renderPasswdEntries checks it; undefined when a login has no line there (render the file whole).
 * Bytes, not a string: a request patching a file of thousands of accounts makes no string of it for V8 to collect.
 */
export function patchPasswdEntries(file: Buffer, entries: readonly PasswdEntry[]): Buffer | undefined {
  const problems: InvalidParam[] = [];
  entries.forEach((entry, i) => {
    const reasons = checkEntry(entry);
    if (reasons.length > 0) problems.push({ param: `passwd entry ${i + 1}`, value: maskHash(formatLine(entry)), reason: joinMsgs(reasons) });
  });
  if (problems.length > 0) throw new ValidationError(problems);
  let patched = file;
  for (const entry of entries) {
    const head = `${entry.login}:`;
    const first = patched.subarray(0, head.length).toString('latin1') === head;
    // The line starts the file or follows a newline; it ends with one (renderPasswdEntries ends every line so).
    const start = first ? 0 : patched.indexOf(`\n${head}`) + 1;
    const end = patched.indexOf(10, start);
    if ((start === 0 && !first) || end < 0) return undefined;
    patched = Buffer.concat([patched.subarray(0, start), Buffer.from(formatLine(entry)), patched.subarray(end)]);
  }
  return patched;
}

/** The accounts of a parsed file, in file order. */
export function passwdEntries(doc: PasswdDoc): PasswdEntry[] {
  return doc.lines.flatMap((l) => (l.entry ? [l.entry] : []));
}

/** The panel level a legacy level stands for: ≥ 30 root, 29 admin, 24–28 reseller, anything else (10, 16 …) user. */
export function levelFromPasswd(n: number): PanelLevel {
  if (n >= Level.root) return Level.root;
  if (n === Level.admin) return Level.admin;
  if (n >= Level.reseller) return Level.reseller;
  return Level.user;
}

function isBlankOrComment(content: string): boolean {
  return /^[ \t]*(?:#|$)/.test(content);
}

function parseAccountLine(content: string): { entry?: PasswdEntry; reasons: Msg[] } {
  const fields = content.split(':');
  if (fields.length !== FIELD_COUNT) {
    return { reasons: [msg`expected ${FIELD_COUNT} colon-separated fields login:reseller:hash:level:used:allowed:shared, got ${fields.length}`] };
  }
  const [login, reseller, hash, level, used, allowed, shared] = fields as [string, string, string, string, string, string, string];
  // A number written any other way (sign, leading zeros, spaces) becomes NaN, which checkEntry reports.
  const number = (text: string): number => (COUNT.test(text) ? Number(text) : NaN);
  const entry: PasswdEntry = {
    login,
    reseller,
    hash,
    level: number(level),
    used: number(used),
    allowed: number(allowed),
    shared: number(shared),
  };
  const reasons = checkEntry(entry);
  return { entry, reasons };
}

/** Every reason the entry cannot be a passwd line; never quotes the hash. */
function checkEntry(entry: PasswdEntry): Msg[] {
  const reasons: Msg[] = [];
  const login = checkLogin(entry.login);
  if (!login.ok) reasons.push(msg`login: ${login.reason}`);
  if (entry.reseller !== '') {
    const reseller = checkLogin(entry.reseller);
    if (!reseller.ok) reasons.push(msg`reseller: ${reseller.reason}`);
  }
  if (!BCRYPT_HASH.test(entry.hash)) {
    reasons.push(msg`hash: expected a bcrypt hash: $2a$, $2b$ or $2y$, a two-digit cost, $ and 53 characters of [./A-Za-z0-9]`);
  }
  if (!isCount(entry.level) || entry.level < 1 || entry.level > MAX_LEVEL) {
    reasons.push(msg`level: expected a whole number from 1 to ${MAX_LEVEL} without sign or leading zeros`);
  }
  for (const name of ['used', 'allowed', 'shared'] as const) {
    if (!isCount(entry[name])) reasons.push(msg`${name}: expected a whole number, 0 or more, without sign or leading zeros`);
  }
  return reasons;
}

function isCount(n: number): boolean {
  // String(-0) is '0': the sign check keeps -0 out.
  return Number.isSafeInteger(n) && !Object.is(n, -0) && n >= 0 && COUNT.test(String(n));
}

function formatLine(e: PasswdEntry): string {
  return [e.login, e.reseller, e.hash, e.level, e.used, e.allowed, e.shared].join(':');
}

/**
 * The line as it may be echoed in an error: the hash field (the third of seven) and any field holding a '$' are
 * replaced by `<hash>`, so neither a hash nor a password typed into the wrong field ever leaves this module.
 */
function maskHash(content: string): string {
  const fields = content.split(':');
  return fields
    .map((f, i) => ((fields.length === FIELD_COUNT && i === 2) || f.includes('$') ? HASH_MASK : f))
    .join(':');
}
