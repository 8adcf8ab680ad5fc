// Binding pool addresses to the network interface named by NetworkInterface, and moving them to another one.
// The interface is never guessed: `init` records one, and an unset or absent one is refused naming those there are.
import { ValidationError } from '../errors';
import type { Settings } from '../files/settings';
import { msg } from '../i18n/msg';
import { ipFamily } from '../model/address';
import type { IpAddress } from '../model/address';
import type { Row } from '../protocol/types';
import { addAddress, listLinks, removeAddress } from '../system/ip';
import type { LinkAddresses } from '../system/ip';
import { createBackend } from '../dns/create-backend';

/** Where an address ended up: bound now, already on an interface (which may not be NetworkInterface), or moved. */
export interface Placement {
  addr: IpAddress;
  iface: string;
  result: 'bound' | 'present' | 'moved';
  /** For a moved address: the interface it left. */
  from?: string;
}

/** One row per address, as bindip and a settings change report them: addr, interface, result (and from). */
export function placementRows(placements: readonly Placement[]): Row[] {
  return placements.map((p) => ({ addr: p.addr, interface: p.iface, result: p.result, ...(p.from === undefined ? {} : { from: p.from }) }));
}

interface Host {
  links: LinkAddresses[];
  /** Address → the interface that has it. */
  present: Map<string, string>;
}

async function readHost(settings: Settings): Promise<Host> {
  const links = await listLinks(settings.tools.ip);
  const present = new Map<string, string>();
  for (const l of links) for (const a of l.addresses) present.set(a, l.ifname);
  return { links, present };
}

/** This machine's interfaces but loopback, for messages that say which names would do. */
function interfaceNames(links: readonly LinkAddresses[]): string {
  return links.filter((l) => !l.loopback).map((l) => l.ifname).join(', ') || '-';
}

/** Refuses a name that is no interface of this machine, listing the ones there are. */
export async function checkInterfaceExists(settings: Settings, iface: string): Promise<void> {
  const { links } = await readHost(settings);
  if (iface === '') {
    throw new ValidationError({ param: 'NetworkInterface', value: iface, reason: msg`dnsmgr does not guess where to bind addresses: name one of this server's interfaces (${interfaceNames(links)})` });
  }
  if (!links.some((l) => l.ifname === iface)) {
    throw new ValidationError({ param: 'NetworkInterface', value: iface, reason: msg`this server has no such interface; it has: ${interfaceNames(links)}` });
  }
}

function configuredInterface(settings: Settings, host: Host): string {
  const iface = settings.networkInterface;
  if (iface === '') {
    throw new ValidationError({ param: 'NetworkInterface', value: '', reason: msg`not set in dnsmgr.conf, and dnsmgr does not guess where to bind addresses: set it with the settings function to one of ${interfaceNames(host.links)}` });
  }
  if (!host.links.some((l) => l.ifname === iface)) {
    throw new ValidationError({ param: 'NetworkInterface', value: iface, reason: msg`dnsmgr.conf names an interface this server does not have; it has: ${interfaceNames(host.links)}` });
  }
  return iface;
}

/** Binds the addresses not yet on any interface (an address the server already has needs no second copy). */
export async function bindAddresses(settings: Settings, addrs: readonly IpAddress[]): Promise<Placement[]> {
  if (addrs.length === 0) return [];
  const host = await readHost(settings);
  const iface = configuredInterface(settings, host);
  const placements: Placement[] = [];
  for (const addr of addrs) {
    const where = host.present.get(addr);
    if (where !== undefined) {
      placements.push({ addr, iface: where, result: 'present' });
      continue;
    }
    await addAddress(settings.tools.ip, iface, addr, ipFamily(addr));
    placements.push({ addr, iface, result: 'bound' });
  }
  if (placements.some((p) => p.result === 'bound')) await rescan(settings);
  return placements;
}

/** Removes an address from the configured interface, if it is there; never from any other interface. */
export async function unbindAddress(settings: Settings, addr: IpAddress): Promise<void> {
  const iface = settings.networkInterface;
  if (iface === '') return;
  const { present } = await readHost(settings);
  if (present.get(addr) === iface) await removeAddress(settings.tools.ip, iface, addr, ipFamily(addr));
}

/**
 * Moves the addresses from interface `from` to `to` ('' = none before: nothing to move) and binds to `to` those on no
 * interface at all, so that afterwards every one of them is on `to`. Nothing is lost if a step fails: the addresses
 * are first added to `to`; `commit` (writing dnsmgr.conf) runs only when all were added, and if it or an addition
 * fails, what was added is taken away again. Only then are they removed from `from`.
 */
export async function moveAddresses(settings: Settings, addrs: readonly IpAddress[], from: string, to: string, commit: () => void): Promise<Placement[]> {
  const host = await readHost(settings);
  const ip = settings.tools.ip;
  const placements: Placement[] = [];
  for (const addr of addrs) {
    const where = host.present.get(addr);
    if (where === undefined) placements.push({ addr, iface: to, result: 'bound' });
    else if (where === from && from !== to) placements.push({ addr, iface: to, result: 'moved', from });
  }
  const added: IpAddress[] = [];
  try {
    for (const p of placements) {
      await addAddress(ip, to, p.addr, ipFamily(p.addr));
      added.push(p.addr);
    }
    commit();
  } catch (err) {
    for (const addr of added.reverse()) await removeAddress(ip, to, addr, ipFamily(addr)).catch(() => undefined);
    throw err;
  }
  // Past the commit a failure leaves an address on both interfaces, which loses nothing; every removal is tried.
  let failure: unknown;
  for (const p of placements) {
    if (p.result !== 'moved') continue;
    await removeAddress(ip, from, p.addr, ipFamily(p.addr)).catch((err: unknown) => { failure ??= err; });
  }
  if (placements.length > 0) await rescan(settings);
  if (failure !== undefined) throw failure;
  return placements;
}

/** The name server is told the host's addresses changed (see NameServerBackend.rescanAddresses). */
async function rescan(settings: Settings): Promise<void> {
  await createBackend(settings).rescanAddresses();
}
