// IPmanager (ISPsystem's address manager, a COREmanager panel) as the pool's source of addresses: an address is
// allocated there before it is bound here, and released there (marked free) once it is unbound here. Its API is the
// panel's own: POST <url> func=… authinfo=user:password out=json, a document back, an error as doc.error. Documented:
// `ip.edit` with sok=ok and no elid creates (allocates) an address of the account's range — `family` ipv4|ipv6, the
// address wanted in `ip` — and answers it; `ip.delete` with elid=<address> gives it back. Nothing else is called.
import { ToolError } from '../errors';
import { msg } from '../i18n/msg';
import { checkIpAddress, ipFamily } from '../model/address';
import type { IpAddress } from '../model/address';

const TIMEOUT_MS = 15_000;

export interface IpmanagerAccount {
  url?: string;
  user: string;
  password: string;
}

type Answer = { doc?: { error?: { $type?: string; msg?: { $?: string } }; ip?: { $?: string }; elid?: { $?: string } } };

const label = (func: string): string => `IPmanager ${func}`;

async function call(account: IpmanagerAccount, func: string, params: Record<string, string>): Promise<NonNullable<Answer['doc']>> {
  if (account.url === undefined) {
    throw new ToolError(label(func), undefined, '', msg`dnsmgr.conf names IPmanager's account but not its URL: write IPmanager https://<host>:1500/ipmgr user:password`);
  }
  // lang=en: its words go into dnsmgr's error, in one language whatever its DefaultLang.
  const body = new URLSearchParams({ func, out: 'json', lang: 'en', authinfo: `${account.user}:${account.password}`, ...params });
  let text: string;
  try {
    const res = await fetch(account.url, { method: 'POST', body, headers: { 'content-type': 'application/x-www-form-urlencoded' }, signal: AbortSignal.timeout(TIMEOUT_MS) });
    text = await res.text();
  } catch (err) {
    const cause = (err as { cause?: { code?: string; message?: string } }).cause;
    throw new ToolError(label(func), undefined, '', msg`unreachable: ${cause?.code ?? cause?.message ?? (err as Error).message}`);
  }
  let answer: Answer;
  try {
    answer = JSON.parse(text) as Answer;
  } catch {
    throw new ToolError(label(func), undefined, '', msg`answered without a JSON document`);
  }
  const doc = answer.doc;
  if (doc === undefined || doc === null || typeof doc !== 'object') throw new ToolError(label(func), undefined, '', msg`answered without a document`);
  if (doc.error !== undefined) throw new ToolError(label(func), undefined, '', msg`refused: ${doc.error.msg?.$ ?? doc.error.$type ?? 'an error'}`);
  return doc;
}

/**
 * Allocates an address of this family in IPmanager (the one asked for, when given) and returns it, checked: an answer
 * that is no address, of another family, or another address than the one asked for is given back there and refused.
 */
export async function allocateAddress(account: IpmanagerAccount, family: 4 | 6, wanted?: IpAddress): Promise<IpAddress> {
  const doc = await call(account, 'ip.edit', { sok: 'ok', family: `ipv${family}`, ...(wanted === undefined ? {} : { ip: wanted }), note: 'dnsmgr' });
  const raw = doc.ip?.$ ?? doc.elid?.$ ?? '';
  const checked = checkIpAddress(raw);
  if (!checked.ok || ipFamily(checked.value) !== family || (wanted !== undefined && checked.value !== wanted)) {
    if (checked.ok) await releaseAddress(account, checked.value).catch(() => undefined);
    throw new ToolError(label('ip.edit'), undefined, '', msg`answered '${raw}', not the IPv${family} address asked for${wanted === undefined ? '' : ` (${wanted})`}`);
  }
  return checked.value;
}

/** Gives the address back to IPmanager, which marks it free. */
export async function releaseAddress(account: IpmanagerAccount, addr: IpAddress): Promise<void> {
  await call(account, 'ip.delete', { elid: addr });
}
