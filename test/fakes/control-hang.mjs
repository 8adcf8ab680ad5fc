// Stands between dnsmgr and named's control channel to inject a fault named will not produce on demand: one command
// that hangs. Usage: node control-hang.mjs ROOT LISTEN_PORT NAMED_PORT (both on 127.0.0.1, inside the test namespace).
// A marker file "ROOT/hang-rndc" holding "<before|after> <command>" makes the next message carrying that command hang,
// before reaching named or after named did it (its answer withheld); the proxy then writes "ROOT/rndc-stuck".
// "close <command>" instead cuts the connection when that command comes, without passing it on: the client has sent
// it and gets no answer.
// Everything else is passed through unchanged.
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';

const [root, listenPort, namedPort] = process.argv.slice(2);
const marker = `${root}/hang-rndc`;

/** Cuts a byte stream into isccc frames (4-byte big-endian length, then the message). */
function framer(onFrame) {
  let buf = Buffer.alloc(0);
  return (chunk) => {
    buf = Buffer.concat([buf, chunk]);
    while (buf.length >= 4 && buf.length >= 4 + buf.readUInt32BE(0)) {
      const len = buf.readUInt32BE(0);
      onFrame(buf.subarray(0, 4 + len));
      buf = buf.subarray(4 + len);
    }
  };
}

createServer((client) => {
  const named = createConnection({ host: '127.0.0.1', port: Number(namedPort) });
  let swallowAnswer = false;
  let hung = false;
  named.on('data', framer((frame) => {
    if (swallowAnswer) { swallowAnswer = false; hung = true; return; }
    if (!hung) client.write(frame);
  }));
  client.on('data', framer((frame) => {
    if (hung) return;
    if (existsSync(marker)) {
      const [mode, command] = readFileSync(marker, 'utf8').trim().split(/\s+/);
      // The command is the start of the _data "type" value: key length 4, "type", type 1, a 4-byte length.
      const at = frame.indexOf(Buffer.from('\x04type\x01', 'latin1'));
      const value = at < 0 ? '' : frame.toString('utf8', at + 10, at + 10 + frame.readUInt32BE(at + 6));
      if (value.split(' ')[0] === command) {
        rmSync(marker, { force: true });
        writeFileSync(`${root}/rndc-stuck`, `${mode} ${command}\n`);
        if (mode === 'close') { end(); return; }
        if (mode === 'before') { hung = true; return; }
        swallowAnswer = true;
      }
    }
    named.write(frame);
  }));
  const end = () => { client.destroy(); named.destroy(); };
  client.on('error', end);
  client.on('close', end);
  named.on('error', end);
  named.on('close', () => { if (!hung) end(); });
}).listen(Number(listenPort), '127.0.0.1');
