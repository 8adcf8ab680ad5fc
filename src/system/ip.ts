// iproute2: which addresses an interface has, and binding or unbinding one.
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import { runTool } from './run-tool';

interface IpAddrJson {
  ifname: string;
  flags?: string[];
  addr_info?: { family: string; local: string; prefixlen: number }[];
}

export interface LinkAddresses {
  ifname: string;
  loopback: boolean;
  addresses: string[];
}

export async function listLinks(ip: string): Promise<LinkAddresses[]> {
  const { stdout } = await runTool(ip, ['-j', 'addr', 'show']);
  let parsed: IpAddrJson[];
  try {
    parsed = JSON.parse(stdout) as IpAddrJson[];
  } catch {
    throw new ToolError(`${ip} -j addr show`, 0, msg`output is not JSON`);
  }
  return parsed.map((l) => ({
    ifname: l.ifname,
    loopback: (l.flags ?? []).includes('LOOPBACK'),
    addresses: (l.addr_info ?? []).map((a) => a.local),
  }));
}

export async function addAddress(ip: string, iface: string, addr: string, family: 4 | 6): Promise<void> {
  const args = family === 4 ? ['addr', 'add', `${addr}/32`, 'dev', iface] : ['-6', 'addr', 'add', `${addr}/128`, 'dev', iface, 'nodad'];
  await runTool(ip, args);
}

export async function removeAddress(ip: string, iface: string, addr: string, family: 4 | 6): Promise<void> {
  await runTool(ip, ['addr', 'del', `${addr}/${family === 4 ? 32 : 128}`, 'dev', iface]);
}
