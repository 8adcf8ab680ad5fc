// Shared assertion for the model tests: the call throws a ValidationError naming the expected parameter.
import { expect } from 'vitest';
import { ValidationError } from '../../src/errors';

export function expectInvalid(fn: () => unknown, param: string): ValidationError {
  let caught: unknown;
  let returned: unknown;
  try {
    returned = fn();
  } catch (err) {
    caught = err;
  }
  if (caught === undefined) expect.fail(`expected a ValidationError, got ${JSON.stringify(returned)}`);
  expect(caught).toBeInstanceOf(ValidationError);
  const err = caught as ValidationError;
  expect(err.problems.length).toBeGreaterThan(0);
  expect(err.problems[0]?.param).toBe(param);
  expect(String(err.problems[0]?.reason)).not.toBe('');
  return err;
}

/** Deterministic PRNG (mulberry32) so a failing fuzz case can be reproduced from its seed. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
