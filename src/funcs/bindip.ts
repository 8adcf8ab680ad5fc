// bindip: binds every namespace address to the network interface, so named can answer on it. Idempotent; run at boot.
import { ToolError } from '../errors';
import { ipFamily } from '../model/address';
import type { IpAddress } from '../model/address';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import { addAddress, listLinks } from '../system/ip';
import { rndc } from '../system/rndc';
import { defineFunc } from './registry';

export const bindip = defineFunc({
  name: 'bindip',
  kind: 'action',
  minLevel: Level.admin,
  desc: 'Bind every namespace address to the configured network interface (idempotent)',
  params: [],
  mutates: false,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    const { settings, db } = app;
    const wanted = (db.prepare('SELECT addr FROM namespace_ip ORDER BY addr').all() as { addr: IpAddress }[]).map((r) => r.addr);
    const links = await listLinks(settings.tools.ip);
    const iface = settings.networkInterface || links.find((l) => !l.loopback)?.ifname;
    if (!iface) throw new ToolError(settings.tools.ip, undefined, 'no network interface to bind addresses to (set NetworkInterface in dnsmgr.conf)', 'found nothing');
    if (!links.some((l) => l.ifname === iface)) throw new ToolError(settings.tools.ip, undefined, `interface '${iface}' does not exist`, 'found nothing');
    // An address already on any interface (the server's main one, say) needs no second copy.
    const present = new Set(links.flatMap((l) => l.addresses));
    const missing = wanted.filter((a) => !present.has(a));
    for (const addr of missing) await addAddress(settings.tools.ip, iface, addr, ipFamily(addr));
    if (missing.length > 0) await rescan(app.settings);
    return { kind: 'ok' };
  },
});

/** named notices new addresses on its own; the scan makes it immediate. At boot named may not run yet, which is fine. */
async function rescan(settings: import('../files/settings').Settings): Promise<void> {
  const n = settings.named;
  await rndc({ rndc: settings.tools.rndc, keyFile: n.rndcKey, server: n.rndcServer, port: n.rndcPort }, ['scan'])
    .catch((err: unknown) => { if (!(err instanceof ToolError)) throw err; });
}
