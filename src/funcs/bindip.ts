// bindip: binds every pool address dnsmgr uses (all but the hidden ones) to the network interface. Idempotent; run at boot.
// It answers OK (what clients and boot scripts look for) followed by a row per address: where it is and whether this
// run bound it (`bound`) or found it already there (`present`).
import { msg } from '../i18n/msg';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import { boundAddresses } from '../store/ipaddrs';
import { bindAddresses, placementRows } from './interface';
import { defineFunc } from './registry';

export const bindip = defineFunc({
  name: 'bindip',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Bind every pool address in use (all but hidden ones) to NetworkInterface; idempotent, for boot. Answers OK and a row per address: addr, interface, result (bound or present)`,
  params: [],
  mutates: false,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    const placed = await bindAddresses(app.settings, boundAddresses(app.db));
    return placed.length === 0 ? { kind: 'ok' } : { kind: 'ok', rows: placementRows(placed) };
  },
});
