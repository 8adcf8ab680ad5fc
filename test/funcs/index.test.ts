// The registry names every function without loading it; the names must be the ones the modules define, in order.
import { describe, expect, it } from 'vitest';
import { allFuncs, FUNC_NAMES, hasFunc, loadFunc } from '../../src/funcs/index';

describe('function registry', () => {
  it('names exactly the functions its modules define, each once, in the listed order', async () => {
    const defs = await allFuncs();
    expect(defs.map((f) => f.name)).toEqual(FUNC_NAMES);
    expect(new Set(FUNC_NAMES).size).toBe(FUNC_NAMES.length);
  });

  it('loads one function by name and knows no other name', async () => {
    expect((await loadFunc('domain.edit'))?.name).toBe('domain.edit');
    expect(hasFunc('domain.edit')).toBe(true);
    expect(hasFunc('domain.nosuch')).toBe(false);
    expect(await loadFunc('domain.nosuch')).toBeUndefined();
    expect(await loadFunc('toString')).toBeUndefined();
  });
});
