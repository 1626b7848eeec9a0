import { once } from 'node:events';
import { SMTPServer } from 'smtp-server';

/** A local SMTP server that accepts everything and notes when each message arrived. */
export interface Sink {
  port: number;
  arrivals: Map<string, number>;
  count: () => number;
  /** Resolves when the message with this delivery id (or Message-ID) has been accepted. */
  arrival: (key: string) => Promise<number>;
  close: () => Promise<void>;
  onArrival?: (key: string) => void;
}

export async function startSink(): Promise<Sink> {
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  let total = 0;
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    size: 10 * 1024 * 1024,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 8192) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        total++;
        const key =
          /^x-invitekit-delivery:\s*(\S+)/im.exec(head)?.[1] ?? /^message-id:\s*(\S+)/im.exec(head)?.[1];
        if (key && !arrivals.has(key)) {
          const at = performance.now();
          arrivals.set(key, at);
          waiters.get(key)?.(at);
          waiters.delete(key);
          sink.onArrival?.(key);
        }
        callback();
      });
    },
  });
  server.listen(0, '127.0.0.1');
  await once(server.server, 'listening');
  const port = (server.server.address() as { port: number }).port;
  const sink: Sink = {
    port,
    arrivals,
    count: () => total,
    arrival: (key) => {
      const at = arrivals.get(key);
      return at !== undefined ? Promise.resolve(at) : new Promise((resolve) => waiters.set(key, resolve));
    },
    close: () => new Promise((r) => server.close(() => r())),
  };
  return sink;
}

/** The sink in its own process; arrival times are mapped onto this process's clock. */
export async function startSinkProcess(): Promise<Sink> {
  const { fork } = await import('node:child_process');
  const child = fork(new URL('./sink-process.ts', import.meta.url), [], {
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const arrivals = new Map<string, number>();
  const waiters = new Map<string, (at: number) => void>();
  const port = await new Promise<number>((resolve) => {
    child.on('message', (m: { port?: number; key?: string; at?: number }) => {
      if (m.port) resolve(m.port);
      if (m.key && m.at) {
        const at = m.at - performance.timeOrigin;
        arrivals.set(m.key, at);
        waiters.get(m.key)?.(at);
        waiters.delete(m.key);
      }
    });
  });
  return {
    port,
    arrivals,
    count: () => arrivals.size,
    arrival: (key) => {
      const at = arrivals.get(key);
      return at !== undefined ? Promise.resolve(at) : new Promise((resolve) => waiters.set(key, resolve));
    },
    close: async () => {
      child.disconnect();
    },
  };
}
