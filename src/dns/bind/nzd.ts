// A view's run-time zones as named persists them (the LMDB new-zones database): read through named-nzd2nzf, and
// rewritten in bulk through mdb_dump and mdb_load, in named's own form (the zone's name as the key, its clause as the
// value).
import { chmodSync, chownSync, existsSync, linkSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { runTool } from '../../system/run-tool';
import { safeUnlink } from '../../files/atomic-write';
import type { HeldZone } from '../backend';

export async function listNzdZones(nzdFile: string, tool = 'named-nzd2nzf'): Promise<HeldZone[]> {
  if (!existsSync(nzdFile)) return [];
  const { stdout } = await runTool(tool, [nzdFile]);
  return parseNzf(stdout);
}

/**
 * One `zone "name" { … masters { a; b; }; allow-query-on { …; }; allow-transfer { …; }; };` line per zone (a master
 * zone: `type master;`, no masters, and dnsmgr's own key in allow-transfer, left out). named
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
      ...(/(?:^|[;{\s])type\s+(?:master|primary)\s*;/.test(body) ? { type: 'master' as const } : {}),
      masters: listIn(body, '(?:masters|primaries)'),
      queryOn: listIn(body, 'allow-query-on'),
      // A master zone's slave servers (a nested list, render.ts) are not part of its namespace's list.
      allowTransfer: listIn(body.replace(/(allow-transfer\s*\{[^{}]*)\{[^{}]*\}\s*;/, '$1'), 'allow-transfer'),
    });
  }
  return zones;
}

function listIn(body: string, statement: string): string[] {
  const m = new RegExp(`(?:^|[;{\\s])${statement}\\s*\\{([^}]*)\\}`).exec(body);
  if (!m) return [];
  // dnsmgr's own key (a master zone's transfers to dnsmgr itself) is not part of the namespace's list.
  const items = (m[1] as string).split(';').map((s) => s.trim().replace(/^"(.*)"$/, '$1')).filter((s) => s !== '' && !/^key\s/.test(s));
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
 * name, so named is never shown a database being written. The old file stays linked beside it (`<file>.dnsmgr-old`)
 * until the caller keeps or restores it (keepRewrite, restoreRewrite). The caller holds the database's lock
 * (NzdLock.exclusive) until named has read it. Returns the names the database held before. Both tools read and write
 * files (`-f`), never a pipe held in memory whole: a view of a million zones is a few hundred MB of dump.
 */
export async function rewriteNzd(nzdFile: string, change: NzdChange, mapsize: number, tools: NzdTools): Promise<Set<string>> {
  const dumpFile = `${nzdFile}.dnsmgr-dump`;
  const loadFile = `${nzdFile}.dnsmgr-load`;
  const next = `${nzdFile}.dnsmgr-new`;
  const leftovers = [dumpFile, loadFile, next, `${next}-lock`];
  try {
    for (const f of leftovers) safeUnlink(f);
    await runTool(tools.dump, ['-n', '-f', dumpFile, nzdFile], { timeoutMs: NZD_TOOL_TIMEOUT_MS });
    // mdb_dump opens the database with a lock file beside it; named, which uses none, does not.
    safeUnlink(`${nzdFile}-lock`);
    const { text, held } = mergeNzdDump(readFileSync(dumpFile, 'latin1'), change, mapsize);
    writeFileSync(loadFile, text, { encoding: 'latin1', mode: 0o600 });
    await runTool(tools.load, ['-n', '-f', loadFile, next], { timeoutMs: NZD_TOOL_TIMEOUT_MS });
    const old = statSync(nzdFile);
    chownSync(next, old.uid, old.gid);
    chmodSync(next, old.mode & 0o7777);
    safeUnlink(`${nzdFile}.dnsmgr-old`);
    linkSync(nzdFile, `${nzdFile}.dnsmgr-old`);
    renameSync(next, nzdFile);
    return held;
  } finally {
    for (const f of leftovers) safeUnlink(f);
  }
}

/** named has read the rewritten database: the old one goes. */
export function keepRewrite(nzdFile: string): void {
  safeUnlink(`${nzdFile}.dnsmgr-old`);
}

/** named refused to read the rewritten database: the old one, which it still has open, is put back in its place. */
export function restoreRewrite(nzdFile: string): void {
  renameSync(`${nzdFile}.dnsmgr-old`, nzdFile);
}

/** mdb_dump and mdb_load of a few hundred thousand zones take seconds; a hung tool is stopped after this. */
const NZD_TOOL_TIMEOUT_MS = 300_000;

/**
 * mdb_dump's default form (format=bytevalue: a header ending at HEADER=END, then each key and each value on a line of
 * its own, one space and the bytes in hex, DATA=END) with the change made, header and all in mdb_load's form; and the
 * names the dump held. Hex, not the print form (-p): that one writes a backslash as itself, which it cannot read back.
 */
export function mergeNzdDump(dump: string, change: NzdChange, mapsize: number): { text: string; held: Set<string> } {
  const lines = dump.split('\n');
  const start = lines.indexOf('HEADER=END') + 1;
  // By name: the key and value lines as written (a zone kept is copied byte for byte).
  const entries = new Map<string, [string, string]>();
  for (let i = start; i + 1 < lines.length && lines[i] !== 'DATA=END'; i += 2) {
    const key = lines[i] as string;
    entries.set(Buffer.from(key.slice(1), 'hex').toString('latin1'), [key, lines[i + 1] as string]);
  }
  const held = new Set(entries.keys());
  for (const name of change.remove) entries.delete(name);
  for (const e of change.put) {
    if (!e.ifHeld || held.has(e.name)) entries.set(e.name, [` ${hex(e.name)}`, ` ${hex(e.clause.replace(/;\s*$/, ''))}`]);
  }
  const out = ['VERSION=3', 'format=bytevalue', 'type=btree', `mapsize=${mapsize}`, 'HEADER=END'];
  for (const [key, value] of entries.values()) out.push(key, value);
  out.push('DATA=END', '');
  return { text: out.join('\n'), held };
}

function hex(text: string): string {
  return Buffer.from(text, 'latin1').toString('hex');
}
