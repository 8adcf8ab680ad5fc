import { describe, expect, it } from 'vitest';
import { renderDoc } from '../../src/protocol/render';

describe('renderDoc', () => {
  it('dispatches on the output format', () => {
    expect(renderDoc({ kind: 'ok' }, 'xml')).toBe('<?xml version="1.0" encoding="UTF-8"?>\n<doc><ok/></doc>\n');
    expect(renderDoc({ kind: 'ok' }, 'json')).toBe('{"doc":{"ok":{},"messages":{}}}\n');
    expect(renderDoc({ kind: 'ok' }, 'text')).toBe('OK\n');
    expect(renderDoc({ kind: 'ok' }, 'sjson')).toBe('{"doc":{"ok":{},"messages":{}}}\n');
    expect(renderDoc({ kind: 'ok' }, 'bjson')).toBe('{"ok":true}\n');
    expect(renderDoc({ kind: 'ok' }, 'JSONdata')).toBe('{"ok":""}\n');
  });
});
