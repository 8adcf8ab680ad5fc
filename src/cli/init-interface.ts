// `init` records the interface namespace addresses are bound to, so that nothing guesses it later: the interface of
// the default route, else the only non-loopback one. Where it cannot tell, it says so and records nothing.
import { readFileSync } from 'node:fs';
import { writeFileAtomic } from '../files/atomic-write';
import { getConf, parseConf, renderConf, setConf } from '../files/conf-codec';
import { isInterfaceName } from '../files/settings';
import type { Settings } from '../files/settings';
import { defaultRouteInterfaces, listLinks } from '../system/ip';

/** Writes `NetworkInterface <name>` into dnsmgr.conf when it has none; returns what it did, for init's output. */
export async function recordNetworkInterface(settings: Settings): Promise<string[]> {
  const text = readFileSync(settings.confFile, 'utf8');
  const doc = parseConf(text);
  if (getConf(doc, 'key', 'NetworkInterface') !== undefined) return [];
  const how = 'set it with: dnsmgr settings NetworkInterface=<name> sok=ok';
  let chosen: { name: string; why: string } | { none: string };
  try {
    chosen = await chooseInterface(settings.tools.ip);
  } catch (err) {
    return [`NetworkInterface not recorded: could not list the interfaces (${err instanceof Error ? err.message : String(err)}); ${how}`];
  }
  if ('none' in chosen) return [`NetworkInterface not recorded: ${chosen.none}; ${how}`];
  writeFileAtomic(settings.confFile, withInterface(text, chosen.name), 0o644);
  return [`recorded NetworkInterface ${chosen.name} (${chosen.why}) in ${settings.confFile}; namespace addresses are bound there (change: dnsmgr settings NetworkInterface=<name> sok=ok)`];
}

async function chooseInterface(ip: string): Promise<{ name: string; why: string } | { none: string }> {
  const links = (await listLinks(ip)).filter((l) => !l.loopback && isInterfaceName(l.ifname));
  const routed = (await defaultRouteInterfaces(ip)).filter((name) => links.some((l) => l.ifname === name));
  if (routed.length === 1) return { name: routed[0] as string, why: 'the interface of the default route' };
  if (routed.length > 1) return { none: `the default routes leave by several interfaces (${routed.join(', ')})` };
  if (links.length === 1) return { name: (links[0] as { ifname: string }).ifname, why: 'the only interface besides loopback' };
  return { none: links.length === 0 ? 'this server has no interface besides loopback' : `no default route, and several interfaces (${links.map((l) => l.ifname).join(', ')})` };
}

/** The line goes under the commented example in the default configuration, else at the end; the rest stays as it is. */
function withInterface(text: string, name: string): string {
  const example = /^\/\/ NetworkInterface [^\n]*\n/m.exec(text);
  if (example) {
    const at = example.index + example[0].length;
    const placed = `${text.slice(0, at)}NetworkInterface ${name}\n${text.slice(at)}`;
    // An example inside a /* */ comment would hide the line: then it goes at the end after all.
    if (getConf(parseConf(placed), 'key', 'NetworkInterface') === name) return placed;
  }
  return renderConf(setConf(parseConf(text), 'key', 'NetworkInterface', name));
}
