// What a request refused by Node's parser for raw bytes in its address is read back as.
import { describe, expect, it } from 'vitest';
import { recoverRequest } from '../../src/cli/raw-request';

const utf8 = (s: string): Buffer => Buffer.from(s, 'utf8');

describe('recoverRequest', () => {
  it('%-encodes the raw bytes of the address, which then decode as the UTF-8 the client sent', () => {
    const r = recoverRequest(utf8('GET /dnsmgr?func=domain&name=пример.рф&x=a%20b HTTP/1.1\r\nHost: x\r\n\r\n'));
    expect(r).toEqual({ method: 'GET', url: '/dnsmgr?func=domain&name=%D0%BF%D1%80%D0%B8%D0%BC%D0%B5%D1%80.%D1%80%D1%84&x=a%20b', headers: { host: 'x' }, body: Buffer.alloc(0) });
    expect(new URL(r?.url ?? '', 'http://h').searchParams.get('name')).toBe('пример.рф');
  });

  it('keeps a body the packet holds whole, by its Content-Length', () => {
    const r = recoverRequest(utf8('POST /dnsmgr?elid=é HTTP/1.1\r\nContent-Length: 9\r\nContent-Type: x\r\n\r\nfunc=ok&a'));
    expect(r?.body.toString()).toBe('func=ok&a');
    expect(r?.headers).toEqual({ 'content-length': '9', 'content-type': 'x' });
  });

  it('gives up on anything it cannot read whole: no packet, a cut head or body, chunks, a strange line', () => {
    expect(recoverRequest(undefined)).toBeUndefined();
    expect(recoverRequest(utf8('GET /dnsmgr?name=é HTTP/1.1\r\nHost: x\r\n'))).toBeUndefined();
    expect(recoverRequest(utf8('POST /dnsmgr?name=é HTTP/1.1\r\nContent-Length: 10\r\n\r\nshort'))).toBeUndefined();
    expect(recoverRequest(utf8('POST /dnsmgr?name=é HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n'))).toBeUndefined();
    expect(recoverRequest(utf8('GET /dnsmgr?name=é x HTTP/1.1\r\n\r\n'))).toBeUndefined();
    expect(recoverRequest(utf8('GET /dnsmgr?name=é HTTP/2\r\n\r\n'))).toBeUndefined();
    expect(recoverRequest(utf8('GET /dnsmgr?name=é HTTP/1.1\r\nno colon\r\n\r\n'))).toBeUndefined();
    expect(recoverRequest(utf8('GET /dnsmgr?name=é HTTP/1.1\r\nContent-Length: -1\r\n\r\n'))).toBeUndefined();
  });
});
