// Test data typed as the store takes and hands back names and addresses (validated on the way in): literals the tests
// know to be valid, branded without the parsers so every test keeps exactly the text it wrote.
import type { IpAddress } from '../../src/model/address';
import type { ZoneName } from '../../src/model/zone-name';

export const zn = (name: string): ZoneName => name as ZoneName;
export const ip = (addr: string): IpAddress => addr as IpAddress;
export const ips = (...addrs: string[]): IpAddress[] => addrs as IpAddress[];
