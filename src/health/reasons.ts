// The reason column of the domain and domain.problem lists: the keyword the health refresh stores (refused, timeout,
// expired …), said to people in the request's language, in the words of the panel's own messages.
import { msg } from '../i18n/msg';
import type { Lang, Msg } from '../i18n/msg';

const REASONS: Readonly<Record<string, Msg>> = {
  refused: msg`Master refuses the transfer`,
  notauth: msg`Master does not serve the zone`,
  timeout: msg`No answer from the master`,
  unreachable: msg`Master unreachable`,
  error: msg`Transfer failed`,
  expired: msg`Expired`,
  'never-loaded': msg`Never loaded`,
  missing: msg`Missing from the name server`,
};

/** The words for a stored reason; '' stays '', and a keyword without words is shown as it is. */
export function reasonText(reason: string, lang: Lang): string {
  const words = Object.hasOwn(REASONS, reason) ? REASONS[reason] : undefined;
  return words === undefined ? reason : words.in(lang);
}

/** Rewrites the reason of every row in place: a list of 100,000 zones gets no second copy. */
export function sayReasons<R extends { reason: string }>(rows: R[], lang: Lang): R[] {
  const said = new Map<string, string>();
  for (const row of rows) {
    if (row.reason === '') continue;
    let text = said.get(row.reason);
    if (text === undefined) said.set(row.reason, (text = reasonText(row.reason, lang)));
    row.reason = text;
  }
  return rows;
}
