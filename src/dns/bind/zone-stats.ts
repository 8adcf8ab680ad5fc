// named's statistics channel, /json/v1/zones: every zone of every view with its serial and timers. At 100,000 zones the
// document is tens of megabytes, so it is scanned as it arrives and each zone handed on alone, never parsed whole.
// The scan relies on what named 9.18 writes with the default `zone-statistics terse`: views as
// `"name":{"zones":[ … ]}` and each zone a flat object without nested objects or arrays.
import type { ZoneState } from '../backend';

const VIEW_START = /"((?:[^"\\]|\\.)*)"\s*:\s*\{\s*"zones"\s*:\s*\[/g;
const FLAT_OBJECT = /\{[^{}[\]]*\}/g;
/** A zone object or a view start is far shorter than this; an unmatched run longer than it is skipped. */
const MAX_PENDING = 1 << 20;
const KEEP_TAIL = 4096;

interface RawZone {
  name?: unknown;
  class?: unknown;
  type?: unknown;
  serial?: unknown;
  loaded?: unknown;
  expires?: unknown;
  refresh?: unknown;
}

/** Feed it the document in chunks; it calls `onZone` for every zone of every view except named's own (`_bind`). */
export class ZoneStatsScanner {
  private buffer = '';
  private view: string | undefined;

  constructor(private readonly onZone: (state: ZoneState) => void) {}

  push(chunk: string): void {
    this.buffer += chunk;
    let consumed = 0;
    // The next view start is searched for once and kept until passed: searching again before every zone would scan
    // the rest of the buffer per zone, quadratic in the zones per chunk.
    let view: RegExpExecArray | null | undefined;
    for (;;) {
      if (view === undefined || (view !== null && view.index < consumed)) {
        VIEW_START.lastIndex = consumed;
        view = VIEW_START.exec(this.buffer);
      }
      FLAT_OBJECT.lastIndex = consumed;
      const zone = FLAT_OBJECT.exec(this.buffer);
      if (view && (!zone || view.index < zone.index)) {
        this.view = JSON.parse(`"${view[1] as string}"`) as string;
        consumed = view.index + view[0].length;
      } else if (zone) {
        this.take(zone[0]);
        consumed = zone.index + zone[0].length;
      } else {
        break;
      }
    }
    // What is left is at most a zone or a view start cut by the chunk boundary; anything longer is not zone data.
    const rest = this.buffer.slice(consumed);
    this.buffer = rest.length > MAX_PENDING ? rest.slice(-KEEP_TAIL) : rest;
  }

  private take(text: string): void {
    if (this.view === undefined || this.view === '_bind') return;
    let z: RawZone;
    try {
      z = JSON.parse(text) as RawZone;
    } catch {
      return;
    }
    if (typeof z.name !== 'string' || z.class !== 'IN' || z.type === 'builtin') return;
    this.onZone({
      view: this.view,
      name: z.name.toLowerCase().replace(/\.$/, ''),
      serial: typeof z.serial === 'number' ? z.serial : null,
      loaded: epochOrNull(z.loaded),
      expires: epochOrNull(z.expires),
      refresh: epochOrNull(z.refresh),
    });
  }
}

/** ISO time → Unix seconds; named writes the 1970 epoch for "never". */
function epochOrNull(value: unknown): number | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isFinite(ms) && ms > 0 ? Math.floor(ms / 1000) : null;
}
