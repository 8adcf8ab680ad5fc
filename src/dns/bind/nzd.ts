// Reads what named persisted for a view's run-time zones (the LMDB new-zones database) through named-nzd2nzf.
import { existsSync } from 'node:fs';
import { runTool } from '../../system/run-tool';

export async function listNzdZones(nzdFile: string, tool = 'named-nzd2nzf'): Promise<{ name: string; masters: string[] }[]> {
  if (!existsSync(nzdFile)) return [];
  const { stdout } = await runTool(tool, [nzdFile]);
  return parseNzf(stdout);
}

/** One `zone "name" { … masters { a; b; }; … };` line per zone. */
export function parseNzf(text: string): { name: string; masters: string[] }[] {
  const zones: { name: string; masters: string[] }[] = [];
  for (const line of text.split('\n')) {
    const m = /^zone "([^"]+)"\s*(?:in\s+\S+\s*)?\{(.*)\};\s*$/i.exec(line.trim());
    if (!m) continue;
    const masters = /(?:masters|primaries)\s*\{([^}]*)\}/.exec(m[2] as string);
    zones.push({
      name: (m[1] as string).toLowerCase().replace(/\.$/, ''),
      masters: masters ? (masters[1] as string).split(';').map((s) => s.trim()).filter(Boolean) : [],
    });
  }
  return zones;
}
