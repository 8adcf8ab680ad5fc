// Every rendered BIND artifact must be accepted by the real named-checkconf, the same gate the backend applies before
// a candidate replaces the live configuration. A standalone named.conf is checked with its includes in place.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ToolError } from '../../../src/errors';
import { renderListen, renderRndcKey, renderStandaloneNamedConf, renderViews } from '../../../src/dns/bind/render';
import type { StandalonePaths } from '../../../src/dns/bind/render';
import { namedCheckconf } from '../../../src/system/named-checkconf';
import type { BindInput } from './bind-cases';
import { loadBindCases, renderBindInput } from './bind-cases';

const NAMED_CHECKCONF = '/usr/bin/named-checkconf';
const SECRET = 'RZZK1VoaCO5gQhA9BNFWpgCB3X/ObDu+mxTcFxMnDLo=';

const tmp = mkdtempSync(join(tmpdir(), 'dnsmgr-checkconf-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const cases = loadBindCases();
const viewCases = cases.filter((c) => c.input.render === 'views');

function writeConf(dir: string, name: string, text: string): string {
  mkdirSync(dir, { recursive: true });
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

/** A standalone installation under `root`: key, views and directories created, named.conf written; returns its path. */
function writeStandalone(root: string, viewsText: string, server = '127.0.0.1', port = 953, listenText = renderListen([])): string {
  const paths: StandalonePaths = {
    root,
    workDir: join(root, 'var', 'named'),
    runDir: join(root, 'var', 'run'),
    rndcKey: join(root, 'etc', 'named', 'rndc.key'),
    views: join(root, 'etc', 'named', 'dnsmgr-views.conf'),
    listen: join(root, 'etc', 'named', 'dnsmgr-listen.conf'),
    rndcServer: server,
    rndcPort: port,
    statsPort: 8053,
    zoneLog: join(root, 'var', 'log', 'named-zones.log'),
  };
  for (const dir of [paths.workDir, paths.runDir, join(root, 'etc', 'named')]) mkdirSync(dir, { recursive: true });
  writeFileSync(paths.rndcKey, renderRndcKey(SECRET), { mode: 0o600 });
  writeFileSync(paths.views, viewsText);
  writeFileSync(paths.listen, listenText);
  return writeConf(join(root, 'etc', 'named'), 'named.conf', renderStandaloneNamedConf(paths));
}

/** What named-checkconf is given for one golden case; a zone clause is checked as the zone statement it becomes. */
function checkableText(input: BindInput): string {
  const text = renderBindInput(input);
  if (input.render === 'zone-config') return `zone "${input.zone.name}" ${text}\n`;
  // listen-on is an option: checked inside the options statement that includes it.
  if (input.render === 'listen') return `options {\n${text}};\n`;
  return text;
}

describe('named-checkconf accepts', () => {
  it.each(cases.map((c) => [c.name, c] as const))('golden case %s as rendered', async (name, c) => {
    if (c.input.render === 'standalone-named-conf') {
      // Its includes point into the case's fictional root; the same renderer is checked under a real one below.
      const p = c.input.paths;
      const file = writeStandalone(join(tmp, name), renderViews([], { nzdDir: join(tmp, name, 'nzd') }), p.rndcServer, p.rndcPort);
      await expect(namedCheckconf(NAMED_CHECKCONF, file)).resolves.toBeUndefined();
      return;
    }
    const file = writeConf(join(tmp, name), 'case.conf', checkableText(c.input));
    await expect(namedCheckconf(NAMED_CHECKCONF, file)).resolves.toBeUndefined();
  });

  it.each(viewCases.map((c) => [c.name, c] as const))('a standalone named.conf including the views of %s', async (name, c) => {
    const ips = c.input.render === 'views' ? c.input.views.flatMap((v) => v.ips ?? []) : [];
    const file = writeStandalone(join(tmp, `standalone-${name}`), renderBindInput(c.input), '127.0.0.1', 953, renderListen(ips));
    await expect(namedCheckconf(NAMED_CHECKCONF, file)).resolves.toBeUndefined();
  });

  it('a zone clause inside the view it is added to', async () => {
    const zone = cases.find((c) => c.name.startsWith('007-'))?.input;
    if (zone?.render !== 'zone-config') throw new Error('case 007 is expected to be a zone-config case');
    const text = `view "${zone.zone.view}" {\n\tmatch-clients { any; };\n\tzone "${zone.zone.name}" ${renderBindInput(zone)}\n};\n`;
    const file = writeConf(join(tmp, 'zone-in-view'), 'view.conf', text);
    await expect(namedCheckconf(NAMED_CHECKCONF, file)).resolves.toBeUndefined();
  });
});

describe('named-checkconf is a real gate', () => {
  it('rejects a standalone named.conf whose views include is missing', async () => {
    const root = join(tmp, 'missing-views');
    const file = writeStandalone(root, '');
    rmSync(join(root, 'etc', 'named', 'dnsmgr-views.conf'));
    const err = await namedCheckconf(NAMED_CHECKCONF, file).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolError);
    expect((err as ToolError).exitCode).toBe(1);
    expect((err as ToolError).message).toContain('file not found');
  });

  it('rejects two views with the same name', async () => {
    const view = { name: 'alice', ips: ['192.0.2.1'], allowTransfer: [] };
    const file = writeConf(join(tmp, 'duplicate-view'), 'views.conf', renderViews([view, view], { nzdDir: '/srv/nzd' }));
    await expect(namedCheckconf(NAMED_CHECKCONF, file)).rejects.toBeInstanceOf(ToolError);
  });
});
