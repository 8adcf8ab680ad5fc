// `dnsmgr run`: the standalone server — named supervised as a child, namespace addresses bound, the HTTP API served.
import { spawn } from 'node:child_process';
import { openSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { App } from '../funcs/app';
import { dispatch } from '../funcs/dispatch';
import { renderDoc } from '../protocol/render';
import { rndc } from '../system/rndc';
import { recoverStaleZones } from '../sync/zones';
import { reconcile } from '../sync/reconcile';
import { init } from './init';
import { serve } from './http';

const NAMED_START_TIMEOUT_MS = 30_000;

export async function runStandalone(root: string, listen: string | undefined): Promise<number> {
  process.stdout.write(await init(root, { force: false }));
  const app = new App(root);
  const s = app.settings;
  const logFile = join(root, 'var', 'log', 'named.log');
  const log = openSync(logFile, 'a');
  // -f: foreground; named.conf sends its log to stderr (var/log/named.log) and the zone log dnsmgr reads.
  const named = spawn(s.tools.named, ['-f', '-c', s.named.conf], { stdio: ['ignore', log, log] });
  const namedExit = new Promise<number>((resolve) => named.once('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1))));
  const target = { rndc: s.tools.rndc, keyFile: s.named.rndcKey, server: s.named.rndcServer, port: s.named.rndcPort };

  const deadline = Date.now() + NAMED_START_TIMEOUT_MS;
  for (;;) {
    if (named.exitCode !== null) {
      process.stderr.write(`dnsmgr: named exited at start (status ${named.exitCode}); see ${logFile}\n`);
      return 1;
    }
    if (await rndc(target, ['status']).then(() => true, () => false)) break;
    if (Date.now() > deadline) {
      named.kill('SIGTERM');
      process.stderr.write(`dnsmgr: named did not answer rndc within ${NAMED_START_TIMEOUT_MS / 1000} s; see ${logFile}\n`);
      return 1;
    }
    await sleep(200);
  }
  process.stderr.write(`dnsmgr: named is running (pid ${named.pid}), log ${logFile}\n`);

  const bound = await dispatch(app, 'bindip', {}, { name: 'root', level: 30 });
  if (bound.kind === 'error') process.stderr.write(`dnsmgr: bindip: ${renderDoc(bound, 'text')}`);
  await recoverStaleZones(app);
  const corrections = await reconcile(app);
  if (corrections.length > 0) process.stderr.write(`dnsmgr: brought named in line with the database: ${corrections.length} correction(s)\n`);
  const server = await serve(app, listen);

  const stop = new Promise<number>((resolve) => {
    const onSignal = (): void => resolve(0);
    process.once('SIGTERM', onSignal);
    process.once('SIGINT', onSignal);
  });
  const code = await Promise.race([stop, namedExit.then((c) => {
    process.stderr.write(`dnsmgr: named exited (status ${c}); stopping\n`);
    return c === 0 ? 1 : c;
  })]);
  server.close();
  if (named.exitCode === null) {
    named.kill('SIGTERM');
    await namedExit;
  }
  app.close();
  return code;
}
