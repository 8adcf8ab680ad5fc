// Whether a tool can be run, before anything is changed that would need it.
import { accessSync, constants } from 'node:fs';
import { join } from 'node:path';

/** Whether a tool can be run: a path that is executable, or a name found so on PATH. */
export function executable(tool: string): boolean {
  const candidates = tool.includes('/') ? [tool] : (process.env.PATH ?? '').split(':').filter(Boolean).map((dir) => join(dir, tool));
  return candidates.some((file) => {
    try {
      accessSync(file, constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}
