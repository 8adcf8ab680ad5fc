// Binding pool addresses to the network interface (NetworkInterface, or the first non-loopback one).
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import type { Settings } from '../files/settings';
import { ipFamily } from '../model/address';
import type { IpAddress } from '../model/address';
import { addAddress, listLinks, removeAddress } from '../system/ip';
import { rndc } from '../system/rndc';

async function resolveInterface(settings: Settings): Promise<{ iface: string; present: Map<string, string> }> {
  const links = await listLinks(settings.tools.ip);
  const iface = settings.networkInterface || links.find((l) => !l.loopback)?.ifname;
  if (!iface) throw new ToolError('ip', undefined, msg`no network interface to bind addresses to (set NetworkInterface in dnsmgr.conf)`, msg`found nothing`);
  if (!links.some((l) => l.ifname === iface)) throw new ToolError('ip', undefined, msg`interface '${iface}' does not exist (NetworkInterface in dnsmgr.conf)`, msg`found nothing`);
  const present = new Map<string, string>();
  for (const l of links) for (const a of l.addresses) present.set(a, l.ifname);
  return { iface, present };
}

/** Binds the addresses not yet on any interface (an address the server already has needs no second copy). */
export async function bindAddresses(settings: Settings, addrs: readonly IpAddress[]): Promise<IpAddress[]> {
  if (addrs.length === 0) return [];
  const { iface, present } = await resolveInterface(settings);
  const missing = addrs.filter((a) => !present.has(a));
  for (const addr of missing) await addAddress(settings.tools.ip, iface, addr, ipFamily(addr));
  if (missing.length > 0) await rescan(settings);
  return missing;
}

/** Removes an address from the configured interface, if it is there; never from any other interface. */
export async function unbindAddress(settings: Settings, addr: IpAddress): Promise<void> {
  const { iface, present } = await resolveInterface(settings);
  if (present.get(addr) === iface) await removeAddress(settings.tools.ip, iface, addr, ipFamily(addr));
}

/** named notices new addresses on its own; the scan makes it immediate. At boot named may not run yet, which is fine. */
async function rescan(settings: Settings): Promise<void> {
  const n = settings.named;
  await rndc({ rndc: settings.tools.rndc, keyFile: n.rndcKey, server: n.rndcServer, port: n.rndcPort }, ['scan'])
    .catch((err: unknown) => { if (!(err instanceof ToolError)) throw err; });
}
