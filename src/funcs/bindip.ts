// bindip: binds every pool address dnsmgr uses (all but the hidden ones) to the network interface. Idempotent; run at boot.
import type { IpAddress } from '../model/address';
import { msg } from '../i18n/msg';
import { Level } from '../model/level';
import type { Doc } from '../protocol/types';
import { boundAddresses } from '../store/ipaddrs';
import { bindAddresses } from './interface';
import { defineFunc } from './registry';

export const bindip = defineFunc({
  name: 'bindip',
  kind: 'action',
  minLevel: Level.admin,
  desc: msg`Bind every pool address in use (all but hidden ones) to the network interface; idempotent, for boot`,
  params: [],
  mutates: false,
  parse: () => ({}),
  async run({ app }): Promise<Doc> {
    await bindAddresses(app.settings, boundAddresses(app.db).map((a) => a.addr as IpAddress));
    return { kind: 'ok' };
  },
});
