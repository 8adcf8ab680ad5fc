// named's /json/v1/zones scanned as it streams in: the same zones whatever the chunks, named's own zones skipped.
import { describe, expect, it } from 'vitest';
import type { ZoneState } from '../../../src/dns/backend';
import { ZoneStatsScanner } from '../../../src/dns/bind/zone-stats';

const LOADED = 1796017253; // 2026-11-30T05:40:53Z
const EXPIRES = 1796103653; // 2026-12-01T05:40:53Z

// As named 9.18.49 wrote it (json-c pretty print), with views v1 and v2 as captured. Added by hand: the view with an
// escaped quote in its name, a name with capitals and a trailing dot, a CH zone and a built-in empty zone in a normal
// view, and an IN zone in _bind (named has none there, but the view alone must be enough to skip it).
const DOC = `{
  "json-stats-version":"1.7",
  "boot-time":"2026-11-30T05:40:53.219Z",
  "config-time":"2026-11-30T05:40:53.247Z",
  "current-time":"2026-11-30T05:40:56.279Z",
  "version":"9.18.49-1~deb12u3-Debian",
  "views":{
    "v1":{
      "zones":[
        {
          "name":"dead.test",
          "class":"IN",
          "type":"secondary",
          "loaded":"1970-01-01T00:00:00Z",
          "expires":"1970-01-01T00:00:00Z",
          "refresh":"2026-11-30T05:41:45Z"
        },
        {
          "name":"Good.Test",
          "class":"IN",
          "serial":2026113001,
          "type":"secondary",
          "loaded":"2026-11-30T05:40:53Z",
          "expires":"2026-12-01T05:40:53Z",
          "refresh":"2026-11-30T06:39:37Z"
        },
        {
          "name":"10.in-addr.arpa",
          "class":"IN",
          "serial":0,
          "type":"builtin",
          "loaded":"2026-11-30T05:40:53Z"
        },
        {
          "name":"chaos.example",
          "class":"CH",
          "serial":1,
          "type":"secondary",
          "loaded":"2026-11-30T05:40:53Z",
          "expires":"2026-12-01T05:40:53Z",
          "refresh":"2026-11-30T06:39:37Z"
        }
      ]
    },
    "v2":{
      "zones":[
        {
          "name":"other.test",
          "class":"IN",
          "serial":7,
          "type":"secondary",
          "loaded":"2026-11-30T05:40:53Z",
          "expires":"2026-12-01T05:40:53Z",
          "refresh":"2026-11-30T06:36:19Z"
        }
      ]
    },
    "say \\"hi\\"":{
      "zones":[
        {
          "name":"Upper.EXAMPLE.",
          "class":"IN",
          "serial":4294967295,
          "type":"secondary",
          "loaded":"2026-11-30T05:40:53Z",
          "expires":"2026-12-01T05:40:53Z",
          "refresh":"2026-11-30T06:36:19Z"
        }
      ]
    },
    "empty":{
      "zones":[
      ]
    },
    "_bind":{
      "zones":[
        {
          "name":"authors.bind",
          "class":"CH",
          "serial":0,
          "type":"builtin",
          "loaded":"2026-11-30T05:40:53Z"
        },
        {
          "name":"version.bind",
          "class":"CH",
          "serial":0,
          "type":"builtin",
          "loaded":"2026-11-30T05:40:53Z"
        },
        {
          "name":"not-ours.test",
          "class":"IN",
          "serial":3,
          "type":"secondary",
          "loaded":"2026-11-30T05:40:53Z",
          "expires":"2026-12-01T05:40:53Z",
          "refresh":"2026-11-30T06:36:19Z"
        }
      ]
    }
  }
}
`;

const EXPECTED: ZoneState[] = [
  { view: 'v1', name: 'dead.test', serial: null, loaded: null, expires: null, refresh: 1796017305 },
  { view: 'v1', name: 'good.test', serial: 2026113001, loaded: LOADED, expires: EXPIRES, refresh: 1796020777 },
  { view: 'v2', name: 'other.test', serial: 7, loaded: LOADED, expires: EXPIRES, refresh: 1796020579 },
  { view: 'say "hi"', name: 'upper.example', serial: 4294967295, loaded: LOADED, expires: EXPIRES, refresh: 1796020579 },
];

function scan(chunks: Iterable<string>): ZoneState[] {
  const out: ZoneState[] = [];
  const scanner = new ZoneStatsScanner((z) => out.push(z));
  for (const chunk of chunks) scanner.push(chunk);
  return out;
}

describe('ZoneStatsScanner', () => {
  it('the document is what named writes: valid JSON', () => {
    expect(() => JSON.parse(DOC) as unknown).not.toThrow();
    expect(Object.keys((JSON.parse(DOC) as { views: object }).views)).toEqual(['v1', 'v2', 'say "hi"', 'empty', '_bind']);
  });

  it('fed whole, gives every zone of every view but _bind, in order', () => {
    expect(scan([DOC])).toEqual(EXPECTED);
  });

  it('gives the same zones however the document is split in two', () => {
    const wrong: number[] = [];
    for (let at = 0; at <= DOC.length; at++) {
      const got = scan([DOC.slice(0, at), DOC.slice(at)]);
      if (JSON.stringify(got) !== JSON.stringify(EXPECTED)) wrong.push(at);
    }
    expect(wrong).toEqual([]);
  });

  it('gives the same zones fed one character at a time', () => {
    expect(scan(DOC)).toEqual(EXPECTED);
  });

  it('gives the same zones in chunks of every size up to 64', () => {
    for (let size = 2; size <= 64; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < DOC.length; i += size) chunks.push(DOC.slice(i, i + size));
      expect(scan(chunks), `chunks of ${size}`).toEqual(EXPECTED);
    }
  });

  it('reads the compact form too (no white space)', () => {
    expect(scan([JSON.stringify(JSON.parse(DOC))])).toEqual(EXPECTED);
  });

  it('takes the 1970 epoch, a missing time or a time it cannot read as null; a missing serial as null', () => {
    const doc = JSON.stringify({
      views: {
        v: {
          zones: [
            { name: 'a.test', class: 'IN', type: 'secondary', loaded: '1970-01-01T00:00:00Z', expires: '1970-01-01T00:00:00Z', refresh: '1970-01-01T00:00:00Z' },
            { name: 'b.test', class: 'IN', type: 'secondary' },
            { name: 'c.test', class: 'IN', type: 'secondary', serial: '5', loaded: 'soon', expires: 17, refresh: null },
          ],
        },
      },
    });
    expect(scan([doc])).toEqual([
      { view: 'v', name: 'a.test', serial: null, loaded: null, expires: null, refresh: null },
      { view: 'v', name: 'b.test', serial: null, loaded: null, expires: null, refresh: null },
      { view: 'v', name: 'c.test', serial: null, loaded: null, expires: null, refresh: null },
    ]);
  });

  it('keeps a serial of 0, which is a serial', () => {
    const doc = JSON.stringify({ views: { v: { zones: [{ name: 'a.test', class: 'IN', serial: 0, type: 'secondary' }] } } });
    expect(scan([doc])[0]?.serial).toBe(0);
  });

  it('skips zones before any view, and objects that are not zones', () => {
    const doc = '{"zones":[{"name":"stray.test","class":"IN","serial":1}],"views":{"v":{"zones":[{"class":"IN","serial":1},{"name":"a.test","class":"IN","serial":2}]}}}';
    expect(scan([doc]).map((z) => `${z.view}/${z.name}`)).toEqual(['v/a.test']);
  });

  it('many views, many zones: each zone under its own view', () => {
    const views = Object.fromEntries(Array.from({ length: 50 }, (_, v) => [`ns${v}`, {
      zones: Array.from({ length: 20 }, (_, z) => ({ name: `Z${z}.Example.`, class: 'IN', serial: v * 100 + z, type: 'secondary', loaded: '2026-11-30T05:40:53Z' })),
    }]));
    const doc = JSON.stringify({ 'json-stats-version': '1.7', views }, null, 2);
    const chunks: string[] = [];
    for (let i = 0; i < doc.length; i += 97) chunks.push(doc.slice(i, i + 97));
    const got = scan(chunks);
    expect(got).toHaveLength(1000);
    for (const z of got) {
      const v = Number(z.view.slice(2));
      const n = Number(/^z(\d+)\.example$/.exec(z.name)?.[1]);
      expect(z.serial).toBe(v * 100 + n);
      expect(z.loaded).toBe(LOADED);
    }
  });

  it('goes on past a long run that is no zone data', () => {
    const blob = 'x'.repeat(3 << 20);
    const doc = `{"note":"${blob}","views":{"v":{"zones":[{"name":"a.test","class":"IN","serial":1,"type":"secondary"}]}}}`;
    const chunks: string[] = [];
    for (let i = 0; i < doc.length; i += 65536) chunks.push(doc.slice(i, i + 65536));
    expect(scan(chunks).map((z) => z.name)).toEqual(['a.test']);
  });
});
