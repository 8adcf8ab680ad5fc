#!/usr/bin/env node
// Stands in for systemctl, which cannot run here (no systemd as PID 1 in the test machines), doing only what
// systemd's documentation says of the two commands dnsmgr gives it for a template unit's instance:
//   systemctl enable --now UNIT   start UNIT: run the template's ExecStart with %i replaced by the instance name,
//                                  standard output appended to StandardOutput=append:PATH (also %i-expanded)
//   systemctl disable --now UNIT  stop UNIT: SIGTERM to the process it started
// Usage: SYSTEMCTL_UNIT_DIR=DIR node systemctl.mjs enable|disable --now NAME@INSTANCE.service (the unit read from
// DIR/NAME@.service). Every call is appended to DIR/calls.log; the started process's pid is kept in DIR/<unit>.pid.
import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, existsSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = process.env.SYSTEMCTL_UNIT_DIR;
const [verb, now, unit] = process.argv.slice(2);
if (!dir || now !== '--now' || !['enable', 'disable'].includes(verb) || !/^[\w-]+@[\w-]+\.service$/.test(unit ?? '')) {
  process.stderr.write(`systemctl stand-in: unsupported: ${process.argv.slice(2).join(' ')}\n`);
  process.exit(1);
}
appendFileSync(join(dir, 'calls.log'), `${verb} --now ${unit}\n`);
const [, name, instance] = /^([\w-]+)@([\w-]+)\.service$/.exec(unit);
const pidFile = join(dir, `${unit}.pid`);
if (verb === 'enable') {
  const template = readFileSync(join(dir, `${name}@.service`), 'utf8');
  const value = (key) => /^(\S+)=(.*)$/m.exec(template.split('\n').filter((l) => l.startsWith(`${key}=`)).join('\n'))?.[2]?.replaceAll('%i', instance);
  const [command, ...args] = (value('ExecStart') ?? '').split(' ');
  const out = value('StandardOutput')?.replace(/^append:/, '');
  const fd = out ? openSync(out, 'a') : 'ignore';
  const child = spawn(command, args, { detached: true, stdio: ['ignore', fd, fd] });
  child.unref();
  if (typeof fd === 'number') closeSync(fd);
  writeFileSync(pidFile, `${child.pid}\n`);
} else if (existsSync(pidFile)) {
  try {
    process.kill(Number(readFileSync(pidFile, 'utf8')), 'SIGTERM');
  } catch {
    // already gone
  }
  rmSync(pidFile);
}
