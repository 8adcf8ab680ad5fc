// A view's run-time zones as named persists them (the LMDB new-zones database): read through named-nzd2nzf, and
// written in bulk through mdb_load, in named's own form (the zone's name as the key, its clause as the value).
import { existsSync } from 'node:fs';
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
 * Writes (adds, or replaces) these zones into a view's new-zones database, in one mdb_load run. named reads them at
 * its next reconfig; the caller holds the database's lock (NzdLock.exclusive) until then.
 */
export async function loadNzd(nzdFile: string, entries: readonly NzdEntry[], mapsize: number, tool = 'mdb_load'): Promise<void> {
  await runTool(tool, ['-n', nzdFile], { input: nzdDump(entries, mapsize), timeoutMs: 300_000 });
  // mdb_load makes a lock file beside the database; named, which uses none, removes it only at its next reopen.
  safeUnlink(`${nzdFile}-lock`);
}

/** mdb_dump's "print" format: a header, then each key and value on a line of its own after one space. */
export function nzdDump(entries: readonly NzdEntry[], mapsize: number): string {
  const lines = ['VERSION=3', 'format=print', 'type=btree', `mapsize=${mapsize}`, 'HEADER=END'];
  for (const e of entries) lines.push(` ${printable(e.name)}`, ` ${printable(e.clause.replace(/;\s*$/, ''))}`);
  lines.push('DATA=END', '');
  return lines.join('\n');
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
