// A view's run-time zones as named persists them (the LMDB new-zones database): read through named-nzd2nzf, and
// rewritten in bulk through mdb_dump and mdb_load, in named's own form (the zone's name as the key, its clause as the
// value).
import { chmodSync, chownSync, existsSync, renameSync, statSync } from 'node:fs';
import { runTool } from '../../system/run-tool';
import { safeUnlink } from '../../files/atomic-write';
import type { HeldZone } from '../backend';

export async function listNzdZones(nzdFile: string, tool = 'named-nzd2nzf'): Promise<HeldZone[]> {
  if (!existsSync(nzdFile)) return [];
  const { stdout } = await runTool(tool, [nzdFile]);
  return parseNzf(stdout);
}

/**
 * One `zone "name" { … masters { a; b; }; allow-query-on { …; }; allow-transfer { …; }; };` line per zone. named
 * writes lists its own way (`203.0.113.1/32`, `"none"`): they are read back as dnsmgr writes them (`203.0.113.1`, and
 * an empty list for none).
 */
export function parseNzf(text: string): HeldZone[] {
  const zones: HeldZone[] = [];
  for (const line of text.split('\n')) {
    const m = /^zone "([^"]+)"\s*(?:in\s+\S+\s*)?\{(.*)\};\s*$/i.exec(line.trim());
    if (!m) continue;
    const body = m[2] as string;
    zones.push({
      name: (m[1] as string).toLowerCase().replace(/\.$/, ''),
      masters: listIn(body, '(?:masters|primaries)'),
      queryOn: listIn(body, 'allow-query-on'),
      allowTransfer: listIn(body, 'allow-transfer'),
    });
  }
  return zones;
}

function listIn(body: string, statement: string): string[] {
  const m = new RegExp(`(?:^|[;{\\s])${statement}\\s*\\{([^}]*)\\}`).exec(body);
  if (!m) return [];
  const items = (m[1] as string).split(';').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).filter(Boolean);
  return items.length === 1 && items[0] === 'none' ? [] : items.map(hostPrefixAsAddress);
}

/** 203.0.113.1/32 and 2001:db8::1/128, as named writes single addresses, are the addresses themselves. */
function hostPrefixAsAddress(item: string): string {
  return item.replace(item.includes(':') ? /\/128$/ : /\/32$/, '');
}

/** One zone as named keeps it in a new-zones database: its name, and its clause (`{ type slave; … }`, no final `;`). */
export interface NzdEntry {
  name: string;
  clause: string;
}

/**
 * What a bulk change does to a view's zones: clauses to put (a zone's, replaced if there; `ifHeld`: only if there),
 * names to take out.
 */
export interface NzdChange {
  put: readonly (NzdEntry & { ifHeld?: boolean })[];
  remove: readonly string[];
}

export interface NzdTools {
  load: string;
  dump: string;
}

/**
 * Rewrites a view's new-zones database with this change, whole, into a new file put in the old one's place (its owner
 * and mode kept): named keeps reading the file it has open until its next reconfig, which reopens the database by its
 * name, so named is never shown a database being written. The caller holds the database's lock (NzdLock.exclusive)
 * until named has read it. Returns the names the database held before.
 */
export async function rewriteNzd(nzdFile: string, change: NzdChange, mapsize: number, tools: NzdTools): Promise<Set<string>> {
  const { stdout } = await runTool(tools.dump, ['-n', '-p', nzdFile], { timeoutMs: NZD_TOOL_TIMEOUT_MS });
  const { text, held } = mergeNzdDump(stdout, change, mapsize);
  const next = `${nzdFile}.dnsmgr-new`;
  for (const f of [next, `${next}-lock`]) safeUnlink(f);
  await runTool(tools.load, ['-n', next], { input: text, timeoutMs: NZD_TOOL_TIMEOUT_MS });
  // mdb_load makes a lock file beside the database; named, which uses none, does not.
  safeUnlink(`${next}-lock`);
  const old = statSync(nzdFile);
  chownSync(next, old.uid, old.gid);
  chmodSync(next, old.mode & 0o7777);
  renameSync(next, nzdFile);
  return held;
}

/** mdb_dump and mdb_load of a few hundred thousand zones take seconds; a hung tool is stopped after this. */
const NZD_TOOL_TIMEOUT_MS = 300_000;

/**
 * mdb_dump's print format (`mdb_dump -p`: a header, then each key and value on a line of its own after one space)
 * with the change made, header and all in mdb_load's form; and the names the dump held.
 */
export function mergeNzdDump(dump: string, change: NzdChange, mapsize: number): { text: string; held: Set<string> } {
  const lines = dump.split('\n');
  const start = lines.indexOf('HEADER=END') + 1;
  // By name: the key and value lines as written (a zone kept is copied byte for byte).
  const entries = new Map<string, [string, string]>();
  for (let i = start; i + 1 < lines.length && lines[i] !== 'DATA=END'; i += 2) {
    entries.set(unprintable((lines[i] as string).slice(1)), [lines[i] as string, lines[i + 1] as string]);
  }
  const held = new Set(entries.keys());
  for (const name of change.remove) entries.delete(name);
  for (const e of change.put) {
    if (!e.ifHeld || held.has(e.name)) entries.set(e.name, [` ${printable(e.name)}`, ` ${printable(e.clause.replace(/;\s*$/, ''))}`]);
  }
  const out = ['VERSION=3', 'format=print', 'type=btree', `mapsize=${mapsize}`, 'HEADER=END'];
  for (const [key, value] of entries.values()) out.push(key, value);
  out.push('DATA=END', '');
  return { text: out.join('\n'), held };
}

/** Backslashes doubled; anything but printable ASCII as a backslash and two hex digits. */
function printable(text: string): string {
  if (/^[\x20-\x5b\x5d-\x7e]*$/.test(text)) return text;
  return Buffer.from(text, 'utf8').reduce((out, byte) => {
    if (byte === 0x5c) return `${out}\\\\`;
    if (byte < 0x20 || byte > 0x7e) return `${out}\\${byte.toString(16).padStart(2, '0')}`;
    return out + String.fromCharCode(byte);
  }, '');
}

/** The text a printable form stands for. */
function unprintable(text: string): string {
  if (!text.includes('\\')) return text;
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') {
      if (text[i + 1] === '\\') {
        bytes.push(0x5c);
        i++;
      } else {
        bytes.push(parseInt(text.slice(i + 1, i + 3), 16));
        i += 2;
      }
    } else {
      bytes.push(text.charCodeAt(i));
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
