// Record keys as clients send them back to domain.record.edit and domain.record.delete: split where the panel's
// multi-selection joined them, each with its readings in the order they are tried against the zone's keys.
import { describe, expect, it } from 'vitest';
import { ValidationError } from '../../src/errors';
import { parseRecordKeys } from '../../src/funcs/records';

describe('parseRecordKeys', () => {
  it('reads a key as sent first, then without the spaces around its value, then a TXT value without its quotes', () => {
    expect(parseRecordKeys('www.example.com. A  192.0.2.1')).toEqual([['www.example.com. A  192.0.2.1']]);
    expect(parseRecordKeys(' WWW.Example.com. a  192.0.2.1 ')).toEqual([['www.example.com. A  192.0.2.1 ', 'www.example.com. A  192.0.2.1']]);
    expect(parseRecordKeys('t.example.com. TXT  ends in a space ')).toEqual([['t.example.com. TXT  ends in a space ', 't.example.com. TXT  ends in a space']]);
    expect(parseRecordKeys('t.example.com. TXT  "quoted"')).toEqual([['t.example.com. TXT  "quoted"', 't.example.com. TXT  quoted']]);
  });

  it('splits keys joined by ", " only where the next key starts: a TXT value may hold ", " itself', () => {
    expect(parseRecordKeys('t.example.com. TXT  a, b, www.example.com. A  192.0.2.1')).toEqual([
      ['t.example.com. TXT  a, b'],
      ['www.example.com. A  192.0.2.1'],
    ]);
    // The same key twice is one key.
    expect(parseRecordKeys('www.example.com. A  192.0.2.1, www.example.com. A  192.0.2.1')).toHaveLength(1);
  });

  it('refuses what is not a key, naming each', () => {
    expect(() => parseRecordKeys('')).toThrow(ValidationError);
    let error: unknown;
    try {
      parseRecordKeys('www.example.com A 192.0.2.1');
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ValidationError);
    expect((error as ValidationError).message).toContain('www.example.com A 192.0.2.1');
  });
});
