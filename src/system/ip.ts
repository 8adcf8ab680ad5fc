// iproute2: which addresses an interface has, which interface the default route leaves by, binding or unbinding one.
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import { runTool } from './run-tool';

interface IpAddrJson {
  ifname: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

interface IpRouteJson {
  dst?: string;
  dev?: string;
}

export interface LinkAddresses {
  ifname: string;
  loopback: boolean;
  addresses: string[];
}

export async function listLinks(ip: string): Promise<LinkAddresses[]> {
  const parsed = parseJson<IpAddrJson[]>(ip, ['-j', 'addr', 'show'], (await runTool(ip, ['-j', 'addr', 'show'])).stdout);
  return parsed.map((l) => ({
    ifname: l.ifname,
    loopback: (l.flags ?? []).includes('LOOPBACK'),
    addresses: (l.addr_info ?? []).map((a) => a.local),
  }));
}

/** The interfaces the default routes (IPv4, then IPv6) leave by, without repeats; none on a host without a default route. */
export async function defaultRouteInterfaces(ip: string): Promise<string[]> {
  const names: string[] = [];
  for (const family of ['-4', '-6']) {
    const args = ['-j', family, 'route', 'show', 'default'];
    // An empty answer is printed as nothing at all by some iproute2 versions, as [] by others.
    const stdout = (await runTool(ip, args)).stdout.trim();
    for (const r of stdout === '' ? [] : parseJson<IpRouteJson[]>(ip, args, stdout)) {
      if (r.dev !== undefined && !names.includes(r.dev)) names.push(r.dev);
    }
  }
  return names;
}

export async function addAddress(ip: string, iface: string, addr: string, family: 4 | 6): Promise<void> {
  const args = family === 4 ? ['addr', 'add', `${addr}/32`, 'dev', iface] : ['-6', 'addr', 'add', `${addr}/128`, 'dev', iface, 'nodad'];
  await runTool(ip, args);
}

export async function removeAddress(ip: string, iface: string, addr: string, family: 4 | 6): Promise<void> {
  await runTool(ip, ['addr', 'del', `${addr}/${family === 4 ? 32 : 128}`, 'dev', iface]);
}

function parseJson<T>(ip: string, args: readonly string[], stdout: string): T {
  try {
    return JSON.parse(stdout) as T;
  } catch {
    throw new ToolError(`${ip} ${args.join(' ')}`, 0, msg`output is not JSON`);
  }
}
