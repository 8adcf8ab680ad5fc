// Zone names are the one value that ends up both in named.conf text and in file names, so the parser guarantees an
// alphabet of [a-z0-9.-] and nothing else; everything downstream trusts the brand.
import { domainToASCII, domainToUnicode } from 'node:url';
import { msg } from '../i18n/msg';
import type { Msg } from '../i18n/msg';
import { bad, checkEach, codePoint, ok, orThrow, quote } from './checked';
import type { Checked } from './checked';
import { ValidationError } from '../errors';

/** A lowercase, punycoded (A-label) DNS name of at least two labels, without the trailing dot. */
export type ZoneName = string & { readonly __brand: 'ZoneName' };

export const MAX_NAME_LENGTH = 253;
export const MAX_LABEL_LENGTH = 63;
export const MAX_ZONE_LIST = 1000;

// Characters that mean something in named.conf, a shell, a path, a URL or the panel's own list syntax.
const FORBIDDEN = new Set([...'*%/\\";{}\'(),=@:[]<>|?$!#&+~`']);
// Full stops that IDNA treats as label separators, alongside '.'.
const DOTS = /[.\u3002\uff0e\uff61]/;
const ZWNJ_ZWJ = new Set(['\u200c', '\u200d']); // needed by some scripts; IDNA checks their context itself
// Raw input longer than this cannot become a valid name; checked first so a huge value costs nothing.
const MAX_RAW_LENGTH = 1024;

export function parseZoneName(raw: string, param = 'name'): ZoneName {
  return orThrow(checkZoneName(raw), param, raw);
}

/**
 * The panel's multi-selection, "a.com, b.com": every item is checked and all bad ones are reported together.
 * Empty items are ignored, duplicates dropped (first occurrence wins), order kept.
 */
export function parseZoneNameList(raw: string, param = 'elid'): ZoneName[] {
  const items = raw.split(',').map((s) => s.trim()).filter((s) => s !== '');
  if (items.length === 0) {
    throw new ValidationError({ param, value: raw, reason: msg`expected at least one zone name` });
  }
  if (items.length > MAX_ZONE_LIST) {
    throw new ValidationError({
      param,
      value: raw,
      reason: msg`expected at most ${MAX_ZONE_LIST} zone names at a time, got ${items.length}`,
    });
  }
  return checkEach(items, param, checkZoneName);
}

/**
 * A name a name server reported holding, when it is one dnsmgr could have given it: exactly what parseZoneName makes of
 * it (the backends report names lowercase, without the trailing dot). Anything else dnsmgr never put there, and does
 * not name back to the name server: undefined.
 */
export function heldZoneName(name: string): ZoneName | undefined {
  const checked = checkZoneName(name);
  return checked.ok && checked.value === name ? checked.value : undefined;
}

/** The name for display: xn-- labels decoded back to Unicode. */
export function zoneNameToUnicode(z: ZoneName): string {
  return domainToUnicode(z) || z;
}

export function checkZoneName(raw: string): Checked<ZoneName> {
  let name = raw.trim();
  if (name === '') return bad(msg`empty`);
  if (name.length > MAX_RAW_LENGTH) return bad(msg`name is longer than ${MAX_NAME_LENGTH} characters`);

  const charProblem = findBadCharacter(name);
  if (charProblem !== undefined) return bad(charProblem);

  if (DOTS.test(name.slice(-1))) name = name.slice(0, -1);
  if (name === '') return bad(msg`empty`);
  const rawLabels = name.split(DOTS);
  if (rawLabels.some((l) => l === '')) return bad(msg`empty label (a leading dot or two dots in a row)`);
  // The WHATWG host parser turns names ending in a number into IPv4 addresses ("a.0x7f.1" → 127.0.0.1).
  if (/^(\d+|0x[0-9a-f]*)$/i.test(rawLabels[rawLabels.length - 1] ?? '')) {
    return bad(msg`the last label is a number; an IP address is not a zone name`);
  }

  const ascii = domainToASCII(name).toLowerCase();
  if (ascii === '') return bad(diagnoseIdnaFailure(rawLabels));
  return checkAsciiName(ascii);
}

function findBadCharacter(name: string): Msg | undefined {
  // Nearly every name is plain ASCII letters, digits, dots and hyphens: none of those is a problem, and one test of the
  // whole name spares the per-character Unicode property checks below (~0.4 ms of a request, compiling them).
  if (/^[A-Za-z0-9._-]*$/.test(name)) return undefined;
  for (const ch of name) {
    if (FORBIDDEN.has(ch)) return msg`contains forbidden character '${ch}'`;
    if (/\p{Cc}/u.test(ch)) return msg`contains a control character (${codePoint(ch)})`;
    if (/\s/u.test(ch)) return msg`contains whitespace (${codePoint(ch)})`;
    if (/\p{Cs}/u.test(ch)) return msg`contains an unpaired surrogate (${codePoint(ch)})`;
    if (/\p{Cf}/u.test(ch) && !ZWNJ_ZWJ.has(ch)) return msg`contains an invisible formatting character (${codePoint(ch)})`;
    if (ch.charCodeAt(0) >= 0x80) {
      // Fullwidth and other compatibility forms fold to ASCII punctuation during IDN mapping.
      for (const folded of ch.normalize('NFKC')) {
        if (FORBIDDEN.has(folded)) {
          return msg`contains '${ch}' (${codePoint(ch)}), a form of forbidden character '${folded}'`;
        }
        if (/\s/u.test(folded)) return msg`contains '${ch}' (${codePoint(ch)}), a form of whitespace`;
      }
    }
  }
  return undefined;
}

function diagnoseIdnaFailure(rawLabels: readonly string[]): Msg {
  for (const label of rawLabels) {
    if (domainToASCII(label) !== '') continue;
    if (/^xn--/i.test(label)) return msg`invalid punycode label ${quote(label)}`;
    return msg`label ${quote(label)} is not a valid internationalized domain name label`;
  }
  return msg`not a valid internationalized domain name`;
}

function checkAsciiName(ascii: string): Checked<ZoneName> {
  const labels = ascii.split('.');
  for (const label of labels) {
    const problem = checkLabel(label);
    if (problem !== undefined) return bad(problem);
  }
  if (labels.length < 2) return bad(msg`a zone name needs at least two labels`);
  if (ascii.length > MAX_NAME_LENGTH) return bad(msg`name is longer than ${MAX_NAME_LENGTH} characters`);
  if (/^\d+$/.test(labels[labels.length - 1] ?? '')) {
    return bad(msg`the last label is a number; an IP address is not a zone name`);
  }
  // Belt and braces: the label checks above already imply this.
  if (!/^[a-z0-9.-]+$/.test(ascii)) return bad(msg`expected letters, digits, hyphens and dots`);
  return ok(ascii as ZoneName);
}

function checkLabel(label: string): Msg | undefined {
  if (label === '') return msg`empty label (a leading dot or two dots in a row)`;
  if (label.length > MAX_LABEL_LENGTH) return msg`label ${quote(label)} is longer than ${MAX_LABEL_LENGTH} characters`;
  const other = /[^a-z0-9-]/.exec(label);
  if (other !== null) {
    const ch = other[0];
    const shown = /[\x21-\x7e]/.test(ch) ? `'${ch}'` : codePoint(ch);
    return msg`label ${quote(label)} contains ${shown}; expected letters, digits and hyphens`;
  }
  if (label.startsWith('-') || label.endsWith('-')) return msg`label ${quote(label)} starts or ends with a hyphen`;
  if (label.slice(2, 4) === '--') {
    if (!label.startsWith('xn--')) {
      return msg`label ${quote(label)} has '--' in positions 3-4, which only 'xn--' (punycode) labels may have`;
    }
    const unicode = domainToUnicode(label);
    if (unicode === '' || unicode === label || domainToASCII(unicode) !== label) {
      return msg`invalid punycode label ${quote(label)}`;
    }
  }
  return undefined;
}
