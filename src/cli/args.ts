// The command line: global options, then a subcommand (serve, run, init) or a function with key=value parameters.
import { ValidationError } from '../errors';
import { msg } from '../i18n/msg';
import type { OutFormat } from '../protocol/types';
import { parseOutFormat, UNKNOWN_OPTION } from '../protocol/params';

export interface CliArgs {
  root?: string;
  out?: OutFormat;
  describe: boolean;
  /** lang=ru|en before the function, as mgrctl takes it (`-i lang=ru`); not yet checked. */
  lang?: string;
  listen?: string;
  force: boolean;
  /** The function or subcommand, and what follows it. */
  command?: string;
  rest: string[];
}

const GLOBAL_OPTIONS: ReadonlySet<string> = new Set(['--root', '-o', '-i', '-m', '--listen', '--force']);

export function parseArgs(argv: readonly string[]): CliArgs {
  const args: CliArgs = { describe: false, force: false, rest: [] };
  let i = 0;
  const value = (flag: string): string => {
    const v = argv[++i];
    if (v === undefined) throw new ValidationError({ param: flag, value: '', reason: msg`needs a value` });
    return v;
  };
  for (; i < argv.length; i++) {
    const a = argv[i] as string;
    // The global options are accepted after the function name as well (`dnsmgr domain -o json`); anything else
    // there belongs to the subcommand or is a key=value parameter.
    if (args.command !== undefined && !GLOBAL_OPTIONS.has(a.split('=')[0] as string)) {
      args.rest.push(a);
      continue;
    }
    if (a === '--root') args.root = value(a);
    else if (a.startsWith('--root=')) args.root = a.slice('--root='.length);
    else if (a === '-o') args.out = parseOutFormat(value(a), 'text');
    else if (a === '-i') args.describe = true;
    else if (a.startsWith('lang=')) args.lang = a.slice('lang='.length);
    // mgrctl's own -m <manager>: accepted so `mgrctl`-shaped command lines work unchanged.
    else if (a === '-m') value(a);
    else if (a === '--listen') args.listen = value(a);
    else if (a === '--force') args.force = true;
    else if (a === '-h' || a === '--help') args.command = 'help';
    else if (a === '-V' || a === '--version') args.command = 'version';
    else if (a.startsWith('-')) throw new ValidationError({ param: '(option)', value: a, reason: UNKNOWN_OPTION });
    else args.command = a;
  }
  return args;
}

export const USAGE = `usage: dnsmgr [--root DIR] [-o text|xml|json|sjson|bjson|JSONdata] <func> [key=value ...] [lang=en|ru]
       dnsmgr --version
       dnsmgr [--root DIR] -i [<func>]          describe functions and their parameters
       dnsmgr install [--prefix DIR] [--panel dnsmgr|ispmgr|vmmgr|both] [--timer systemd|cron]
                      [--system | --no-system] [--systemd-dir DIR] [--rc-local FILE] [--cron-dir DIR] [--no-activate]
                                       into the panel: <prefix>/lib/dnsmgr, addon/, etc/xml/, configuration;
                                       outside the prefix (systemd units, rc.local, cron, systemctl, panel reload) only
                                       what is asked for: --systemd-dir/--rc-local/--cron-dir, or --system for all of
                                       /etc; the default prefix /usr/local/mgr5 means --system unless --no-system
       dnsmgr install --standalone [--prefix DIR] [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--insecure]
                      [--system | --systemd-dir DIR]   dnsmgr.service running 'run' instead of the panel's units
       dnsmgr uninstall [same options]           remove what install wrote with them; configuration and data stay
       dnsmgr [--root DIR] import-passwd FILE  add the accounts of an older installation's dnsmgr.passwd
       dnsmgr [--root DIR] reset-password [LOGIN]  give LOGIN (default root) a new password, printed once
                                       (DNSMGR_PASSWORD=... to choose it); the account's sessions end
       dnsmgr [--root DIR] backend.migrate bind|powerdns  move every namespace and zone to that name server (no run or
                                       serve on the root meanwhile); again, it changes nothing
       dnsmgr [--root DIR] health-timer        refresh zone health if HealthInterval has passed (the panel's timer)
       dnsmgr [--root DIR] init [--force] [--tls]  create the standalone installation (config, rndc key, named.conf);
                                       --tls: a self-signed certificate and key in etc/tls
       dnsmgr [--root DIR] run [--listen ADDR:PORT] [--tls-cert FILE --tls-key FILE] [--insecure]
                                       standalone server: named (supervised, as bind) + HTTP API (default 127.0.0.1:1500)
       dnsmgr [--root DIR] serve [same options]   HTTP API only (/dnsmgr?func=...&authinfo=user:pass&out=xml|json|text|sjson|bjson|JSONdata&lang=en|ru)
                                       one run or serve per root; off the loopback only with TLS, or --insecure
Run by the panel with PARAM_func, AUTH_USER and AUTH_LEVEL in the environment, it answers as a COREmanager handler.
The root is --root, else $DNSMGR_ROOT, else the prefix this executable was installed into, else /usr/local/mgr5;
requests against a root that init or install never set up are refused.
`;
