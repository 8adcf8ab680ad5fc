// A hosting panel's tree for its dnsmgr plugin, as the panel runs it: the plugin's executable under the panel's name
// in addon/, its settings in etc/, and a stand-in for the panel's mgrctl (no panel runs here) listing its DNS domains
// from a file the test writes. Calls go in as the panel makes them: PARAM_* and AUTH_* in the environment, the page's
// document on standard input, HANDLER_STAGE for events.
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DNSMGR } from './dnsmgr';
import { nsExec } from './netns';

export interface PanelTree {
  root: string;
  exe: string;
  /** The panel's DNS domains, as its mgrctl lists them from now on. */
  setDomains(domains: string[]): void;
  /** Writes mgrctl's answer as given (an error document, say). */
  setDomainsAnswer(json: unknown): void;
  /** One call of the plugin by the panel, in namespace `ns`: its exit status and what it printed. */
  call(params: Record<string, string>, opts?: { stdin?: string; stage?: string; level?: string }): Promise<{ exitCode: number | undefined; stdout: string }>;
}

/** `panel`: the panel's COREmanager name (ispmgr, vmmgr); mgrctl answers only `-m <panel>`. */
export async function createPanelTree(ns: string, panel: string, pageDoc: string): Promise<PanelTree> {
  const root = await mkdtemp(join(tmpdir(), `dnsmgr-${panel}-`));
  for (const dir of ['addon', 'etc', 'sbin']) mkdirSync(join(root, dir), { recursive: true });
  const exe = join(root, 'addon', `dnsmgr-${panel}`);
  symlinkSync(DNSMGR, exe);
  const domains = join(root, 'domains.json');
  writeFileSync(join(root, 'sbin', 'mgrctl'), `#!/bin/sh\n# stand-in for the panel's mgrctl: lists its DNS domains\n[ "$2" = ${panel} ] || exit 2\ncat '${domains}'\n`);
  chmodSync(join(root, 'sbin', 'mgrctl'), 0o755);
  const tree: PanelTree = {
    root,
    exe,
    setDomains: (list) => tree.setDomainsAnswer({ doc: { elem: list.map((d) => ({ name: { $: d } })) } }),
    setDomainsAnswer: (json) => writeFileSync(domains, JSON.stringify(json)),
    async call(params, opts = {}) {
      const env: Record<string, string> = { DNSMGR_ROOT: root, AUTH_USER: 'root', AUTH_LEVEL: opts.level ?? '30', HANDLER_STAGE: opts.stage ?? 'after' };
      for (const [k, v] of Object.entries(params)) env[`PARAM_${k}`] = v;
      const r = await nsExec(ns, process.execPath, [exe], { env, input: opts.stdin ?? pageDoc, reject: false, exact: true });
      return { exitCode: r.exitCode, stdout: String(r.stdout) };
    },
  };
  tree.setDomains([]);
  return tree;
}
