// The numbered BIND golden cases in test/golden/bind/: each folder holds input.json (which renderer, with what) and
// expected.conf. Shared by the golden test and the named-checkconf test, so every rendered artifact is checked by both.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ViewSpec, ZoneSpec } from '../../../src/dns/backend';
import type { StandalonePaths } from '../../../src/dns/bind/render';
import { renderListen, renderRndcKey, renderStandaloneNamedConf, renderViews, renderZoneConfig } from '../../../src/dns/bind/render';

export const BIND_GOLDEN_DIR = fileURLToPath(new URL('../../golden/bind/', import.meta.url));

export type BindInput =
  | { render: 'views'; nzdDir: string; views: ViewSpec[] }
  | { render: 'zone-config'; zone: ZoneSpec; file: string }
  | { render: 'standalone-named-conf'; paths: StandalonePaths }
  | { render: 'listen'; addresses: string[] }
  | { render: 'rndc-key'; secret: string };

export interface BindCase {
  name: string;
  dir: string;
  input: BindInput;
}

export function loadBindCases(): BindCase[] {
  return readdirSync(BIND_GOLDEN_DIR, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && existsSync(join(BIND_GOLDEN_DIR, entry.name, 'input.json')))
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const dir = join(BIND_GOLDEN_DIR, name);
      return { name, dir, input: JSON.parse(readFileSync(join(dir, 'input.json'), 'utf8')) as BindInput };
    });
}

export function renderBindInput(input: BindInput): string {
  switch (input.render) {
    case 'views': return renderViews(input.views, { nzdDir: input.nzdDir });
    case 'zone-config': return renderZoneConfig(input.zone, input.file);
    case 'standalone-named-conf': return renderStandaloneNamedConf(input.paths);
    case 'listen': return renderListen(input.addresses);
    case 'rndc-key': return renderRndcKey(input.secret);
  }
}
