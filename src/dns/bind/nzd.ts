// Reads what named persisted for a view's run-time zones (the LMDB new-zones database) through named-nzd2nzf.
import { existsSync } from 'node:fs';
import { runTool } from '../../system/run-tool';
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
