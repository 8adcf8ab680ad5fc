// Runs src/system/tcp.ts's connections against a server of its own, inside a test namespace, through both ways it
// connects (libuv's handle, node:net's Socket), and prints what each saw as JSON: test/integration/tcp.test.ts.
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { openSocket, openTcp, tcpTransport } from '../../src/system/tcp';
import type { TcpConnection, TcpHandlers } from '../../src/system/tcp';

type Open = (host: string, port: number, on: TcpHandlers) => TcpConnection;

/** A server that answers each line "x" with "<x>" in two writes and closes after "bye"; it logs what it saw. */
async function lineServer(host: string, seen: string[]): Promise<Server> {
  const server = createServer((c) => {
    let text = '';
    // Lines are answered in turn, each in two writes 5 ms apart.
    let answered = Promise.resolve();
    c.on('data', (d) => {
      text += d.toString();
      let nl;
      while ((nl = text.indexOf('\n')) >= 0) {
        const line = text.slice(0, nl);
        text = text.slice(nl + 1);
        seen.push(line);
        answered = answered.then(async () => {
          c.write(`<${line.slice(0, 2)}`);
          await new Promise((r) => setTimeout(r, 5));
          c.write(`${line.slice(2)}>`);
          if (line === 'bye') c.end();
        });
      }
    });
    c.on('end', () => seen.push('(end)'));
    c.on('error', () => seen.push('(error)'));
  });
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return server;
}

/** Events as a connection's handlers heard them, until it closed or `ms` passed. */
function session(open: Open, host: string, port: number, writes: string[], ms: number, closeAfter?: number): Promise<string[]> {
  return new Promise((resolve) => {
    const events: string[] = [];
    let data = '';
    const finish = (): void => { clearTimeout(timer); resolve(events); };
    const timer = setTimeout(finish, ms);
    const link = open(host, port, {
      connected: () => events.push('connected'),
      data: (b) => {
        // Bytes that came in several reads are one event: how they were cut is the kernel's business.
        data += b.toString();
        if (events.at(-1)?.startsWith('data ')) events.pop();
        events.push(`data ${data}`);
        if (closeAfter !== undefined && data.length >= closeAfter) { link.close(); events.push('closed by us'); data = ''; setTimeout(finish, 50); }
      },
      closed: (code) => { events.push(`closed ${code ?? 'by peer'}`); finish(); },
    });
    // Written before the connection is up: sent once it is.
    for (const w of writes) link.write(Buffer.from(w));
  });
}

async function scenarios(open: Open): Promise<Record<string, unknown>> {
  const out: Record<string, unknown> = {};
  for (const host of ['127.0.0.1', '::1']) {
    const seen: string[] = [];
    const server = await lineServer(host, seen);
    const { port } = server.address() as AddressInfo;
    out[`${host} exchange`] = await session(open, host, port, ['hello\n', 'bye\n'], 5000);
    await new Promise((r) => setTimeout(r, 100));
    out[`${host} server saw`] = [...seen];
    seen.length = 0;
    out[`${host} closed by us`] = await session(open, host, port, ['hello\n'], 5000, 7);
    await new Promise((r) => setTimeout(r, 100));
    out[`${host} server saw after our close`] = [...seen];
    server.close();
    // The port just closed: nothing listens there now.
    out[`${host} refused`] = await session(open, host, port, ['hello\n'], 5000);
  }
  return out;
}

void (async () => {
  const [handle, socket] = [await scenarios(openTcp), await scenarios(openSocket)];
  process.stdout.write(JSON.stringify({ transport: tcpTransport(), handle, socket }));
})();
