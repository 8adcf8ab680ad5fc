// Entry point of addon/dnsmgr: mgrctl-style command line, COREmanager handler (PARAM_* in the environment),
// or a subcommand (serve, run, init). The one top-level catch maps every failure to output and an exit status.
import { App } from '../app';
import { msg } from '../i18n/msg';
import { dispatch } from '../funcs/dispatch';
import { hasFunc } from '../funcs/index';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { asDnsmgrError, exitCodeOf, NotFoundError, ValidationError } from '../errors';
import { parseLogin, parsePassword } from '../model/account-name';
import { findAccount } from '../store/accounts';
import { paramsFromArgs, paramsFromEnv } from '../protocol/params';
import type { Doc, OutFormat } from '../protocol/types';
import { parseArgs, USAGE } from './args';
import { describe } from './describe';
import { emit, writeOut } from './output';
import { defaultLang, fallbackLang, handlerLang, requestLang } from './request-lang';
import { NAME_SERVERS, readDefaultLang } from '../files/settings';
import type { Lang } from '../i18n/msg';
import { handlerCaller } from './handler';
import { drainPanelDoc, panelDocDrained } from '../system/stdin';
import { findRoot, requireInstallation } from './root';
// Only the field is bundled, not the whole package.json.
import { version } from '../../package.json';

/** A panel's plugin (addon/dnsmgr-ispmgr …): this executable under the name panels/registry gives it. */
const PANEL_EXE = /^dnsmgr-[a-z]+$/;
/** A background worker (`ispmgr-worker` …, dnsmgr's own `dnsmgr-worker`), panels/registry's workerCommand. */
const PANEL_WORKER = /^[a-z]+-worker$/;

/**
 * What this process runs, for addon/dnsmgr's code caches (launcher.ts), one per kind: the function (with +sok when a
 * form is submitted: another path than showing it), or a subcommand run as often as requests. Left unset by the rare
 * ones (init, install, serve…), which are not worth a cache file each. The launcher guesses it before the bundle runs
 * (launcher.ts, requestKind): the two must agree for a kind to get its cache.
 */
export const running: { what?: string } = {};

/** Undefined for a function that does not exist: a mistyped name gets no cache file. */
function kindOf(func: string, params: Readonly<Record<string, string>>): string | undefined {
  if (!hasFunc(func)) return undefined;
  return params.sok === undefined || params.sok === '' ? func : `${func}+sok`;
}

async function main(argv0: string, argv: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  let out: OutFormat = 'text';
  // The request's language once known; an error before that is said in the lang it asked for, or DefaultLang.
  let lang: Lang | undefined;
  let root: string | undefined;
  try {
    const args = parseArgs(argv);
    lang = requestLang(args.lang);
    root = findRoot(args.root, env, argv0);
    // Installed as addon/dnsmgr-ispmgr (…), the same executable is the plugin on the hosting panel's side.
    if (PANEL_EXE.test(basename(argv0)) && args.command === undefined && env.PARAM_func !== undefined) {
      const adapter = (await import('../panels/registry')).adapterByExe(basename(argv0));
      if (adapter !== undefined) {
        out = 'xml';
        running.what = `${adapter.panel}.${env.PARAM_func}`;
        const { runPanelPlugin } = await import('../panels/main');
        writeOut(await runPanelPlugin(adapter, root, env));
        return 0;
      }
    }
    // The panel runs handlers with no arguments and the request in PARAM_* variables; it always reads XML.
    if (args.command === undefined && !args.describe && env.PARAM_func !== undefined) {
      out = 'xml';
      // An xml handler reads the page's document even when it has no use for it, as the panel expects.
      void drainPanelDoc();
      const params = paramsFromEnv(env);
      running.what = kindOf(params.func ?? '', params);
      const app = new App(root);
      // An unknown PARAM_lang is the request's value error, in the document like any other (the panel reads that).
      let refused: Doc | undefined;
      try {
        lang = handlerLang(env, () => defaultLang(app));
      } catch (err) {
        lang = handlerLang({ ...env, PARAM_lang: undefined }, () => defaultLang(app));
        refused = { kind: 'error', error: asDnsmgrError(err) };
      }
      requireInstallation(app);
      const doc = refused ?? await dispatch(app, params.func ?? '', params, handlerCaller(env), lang);
      emit(doc, 'xml', lang);
      return 0;
    }
    out = args.out ?? 'text';
    if (args.describe) {
      running.what = 'describe';
      lang = requestLang(paramsFromArgs(args.rest).lang) ?? lang ?? readDefaultLang(root);
      writeOut(await describe(args.command, lang));
      return 0;
    }
    switch (args.command) {
      case 'version':
        writeOut(`dnsmgr ${version}\n`);
        return 0;
      case undefined:
      case 'help':
        writeOut(USAGE);
        return args.command === 'help' ? 0 : 64;
      case 'serve': {
        const { runServe } = await import('./standalone');
        const { parseServerArgs } = await import('./server-args');
        return await runServe(root, parseServerArgs(args.rest, args.listen), requireInstallation);
      }
      case 'run': {
        const { runStandalone } = await import('./standalone');
        const { parseServerArgs } = await import('./server-args');
        return await runStandalone(root, parseServerArgs(args.rest, args.listen));
      }
      case 'import-passwd': {
        const file = args.rest[0];
        if (file === undefined) throw new ValidationError({ param: 'file', value: '', reason: msg`name the passwd file to import` });
        const { importPasswd } = await import('../funcs/passwd-import');
        const app = new App(root);
        requireInstallation(app);
        const r = importPasswd(app, readFileSync(file, 'utf8'));
        writeOut(`imported: ${r.imported.join(' ') || '-'}\nskipped (already here): ${r.skipped.join(' ') || '-'}\n`);
        return 0;
      }
      case 'backend.migrate': {
        // On the server, as root, with no run or serve on the root (its lock): the name server changes under them.
        const target = args.rest.find((w) => !w.includes('=')) ?? paramsFromArgs(args.rest).name ?? '';
        const to = NAME_SERVERS.find((n) => n === target);
        if (to === undefined) throw new ValidationError({ param: 'name', value: target, reason: msg`expected one of ${NAME_SERVERS.map((n) => `'${n}'`).join(', ')}` });
        const app = new App(root);
        requireInstallation(app);
        app.close();
        const { lockRoot } = await import('./lock');
        const lock = await lockRoot(root);
        try {
          const { migrateBackend } = await import('../sync/migrate');
          const r = await migrateBackend(root, to);
          writeOut(r.already
            ? `already on ${to}: nothing to move${r.corrections > 0 ? ` (${r.corrections} correction(s) made to bring it in line with the database)` : ''}\n`
            : `moved from ${r.from} to ${to}: ${r.namespaces} namespace(s), ${r.zones} zone(s); the namespace addresses answered again ${r.switchSeconds.toFixed(1)} s after ${r.from} stopped answering on them\n`);
        } finally {
          lock.release();
        }
        return 0;
      }
      case 'reset-password': {
        // On the server, as root: the way back in when the administrator's password is lost. Shown once, here.
        const { resetPassword } = await import('../funcs/account-ops');
        const login = parseLogin(args.rest[0] ?? 'root', 'login');
        const given = env.DNSMGR_PASSWORD === undefined ? undefined : parsePassword(env.DNSMGR_PASSWORD, 'DNSMGR_PASSWORD');
        const app = new App(root);
        requireInstallation(app);
        const account = findAccount(app.db, login);
        if (!account) throw new NotFoundError('user', login);
        const password = await resetPassword(app, account, given);
        app.close();
        writeOut(given === undefined ? `new password of ${login}: ${password}\n` : `password of ${login} set from DNSMGR_PASSWORD\n`);
        return 0;
      }
      case 'health-timer': {
        // Run by the panel's timer every few seconds: a refresh only when HealthInterval has passed since the last.
        running.what = args.command;
        const { refreshIfDue } = await import('../health/refresh');
        const app = new App(root);
        requireInstallation(app);
        await refreshIfDue(app);
        app.close();
        return 0;
      }
      case 'install':
      case 'uninstall': {
        const { install, installOptions, uninstall } = await import('./install');
        const o = installOptions(args, env, argv0);
        writeOut(await (args.command === 'install' ? install(o) : uninstall(o)));
        return 0;
      }
      case 'init': {
        const { init } = await import('./init');
        const { parseInitArgs } = await import('./server-args');
        writeOut(await init(root, { force: args.force, ...parseInitArgs(args.rest) }));
        return 0;
      }
      default: {
        const worker = PANEL_WORKER.test(args.command) ? await (await import('../panels/registry')).workerAdapter(args.command, root) : undefined;
        if (worker !== undefined) {
          running.what = args.command;
          const { runWorker } = await import('../panels/worker');
          await runWorker(worker, root);
          return 0;
        }
        let params = paramsFromArgs(args.rest);
        // domain.import reads its lines from file=PATH or the standard input (file=-), on the command line only.
        if (args.command === 'domain.import') params = await (await import('../funcs/domain-import')).fromCommandLine(params);
        running.what = kindOf(args.command, params);
        const app = new App(root);
        lang = requestLang(params.lang) ?? lang ?? defaultLang(app);
        requireInstallation(app);
        // mgrctl runs as root on the server: the full level, acting as another account only through su=.
        const doc = await dispatch(app, args.command, params, { name: 'root', level: 30 }, lang);
        return emit(doc, out, lang);
      }
    }
  } catch (err) {
    const error = asDnsmgrError(err);
    emit({ kind: 'error', error }, out, lang ?? fallbackLang(argv, env, () => readDefaultLang(root ?? findRoot(undefined, env, argv0))));
    return exitCodeOf(error);
  }
}

/**
 * Leaves as soon as main is done: everything a request does is awaited by it, the answer is written (synchronously),
 * and what is left in the event loop is only closing handles (the control channel's socket) and V8's own chores (a
 * young-generation collection it schedules as a task, ~1 ms after the answer of a domain.edit). Only a panel's
 * document still being drained from the standard input is waited for. The 'exit' listeners run (the launcher's code
 * cache); no database is closed, as at any exit (store/db.ts, openDb).
 */
main(process.argv[1] ?? '', process.argv.slice(2), process.env).then(
  async (code) => {
    await panelDocDrained();
    process.exit(code);
  },
  (err: unknown) => {
    process.stderr.write(`dnsmgr: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
