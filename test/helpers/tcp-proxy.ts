import { connect, createServer, type Socket } from 'node:net';
import { freePort } from './net.ts';

export interface TcpProxy {
  readonly port: number;
  /** Bytes clients sent while held, not passed on. */
  readonly heldBytes: number;
  /** Stops passing bytes either way: what a client sends next waits on an answer that never comes. */
  hold(): void;
  /** Closes every connection and stops listening: new connections are refused. */
  cut(): Promise<void>;
  /** Listens again on the same port and passes bytes again. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A TCP proxy on a local port to `target`, as a network between a process and its database:
 * it can be cut (a stopped or unreachable server) and restored without touching the server.
 */
export async function tcpProxy(target: { host: string; port: number }): Promise<TcpProxy> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let holding = false;
  let heldBytes = 0;
  const server = createServer((client) => {
    const upstream = connect(target.port, target.host);
    for (const s of [client, upstream]) {
      sockets.add(s);
      s.on('error', () => {});
      s.on('close', () => sockets.delete(s));
    }
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
    client.on('data', (chunk: Buffer) => {
      if (holding) heldBytes += chunk.length;
      else upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!holding) client.write(chunk);
    });
  });
  const listen = () =>
    new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
  const cut = async () => {
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      for (const s of sockets) s.destroy();
    });
    // A client in this process reads the close on the next turn of the event loop and reports
    // it on the one after: by the end of the cut it knows, as it does long before a real
    // outage ends.
    for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
  };
  await listen();
  return {
    port,
    get heldBytes() {
      return heldBytes;
    },
    hold() {
      holding = true;
      heldBytes = 0;
    },
    cut,
    async restore() {
      holding = false;
      await listen();
    },
    close: () => (server.listening ? cut() : Promise.resolve()),
  };
}
