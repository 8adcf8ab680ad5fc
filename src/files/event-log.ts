// dnsmgr's own log: one line per thing it did without being asked (health refreshes, retransfers, suspensions).
import { appendFileSync, mkdirSync } from 'node:fs';
import { dirname } from 'node:path';

export function logEvent(file: string, what: string, message: string): void {
  const line = `${new Date().toISOString()} ${what}: ${message.replace(/[\r\n]+/g, ' ')}\n`;
  try {
    mkdirSync(dirname(file), { recursive: true });
    appendFileSync(file, line);
  } catch {
    // A log that cannot be written must not stop the work it records; stderr still has it.
    process.stderr.write(`dnsmgr: ${line}`);
  }
}
