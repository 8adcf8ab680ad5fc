// Golden files: compare rendered output with a checked-in expected file. On a mismatch the actual output is written
// beside it as `<file>.actual` (git-ignored) for diffing; UPDATE_GOLDEN=1 rewrites the expected file instead.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { expect } from 'vitest';

export function expectGolden(path: string, actual: string): void {
  const actualPath = `${path}.actual`;
  if (process.env.UPDATE_GOLDEN === '1') {
    writeFileSync(path, actual);
    rmSync(actualPath, { force: true });
    return;
  }
  const expected = existsSync(path) ? readFileSync(path, 'utf8') : undefined;
  if (expected === actual) {
    rmSync(actualPath, { force: true });
    return;
  }
  writeFileSync(actualPath, actual);
  expect(expected, `${path} is missing; run with UPDATE_GOLDEN=1 to create it`).toBeDefined();
  expect(actual, `${path} differs; see ${actualPath}`).toBe(expected);
}
