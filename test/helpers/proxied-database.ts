import { postgresAdminUrl } from './app.ts';
import { createDatabase } from './postgres.ts';
import { type TcpProxy, tcpProxy } from './tcp-proxy.ts';

/**
 * A fresh PostgreSQL database of this run reached through a proxy the test can cut and
 * restore: `url` goes through the proxy; `password` is the real one, for checks that it never
 * shows. Runs in the postgres project only.
 */
export async function proxiedDatabase(): Promise<{
  url: string;
  password: string;
  proxy: TcpProxy;
  drop(): Promise<void>;
}> {
  const adminUrl = postgresAdminUrl();
  if (!adminUrl) throw new Error('runs in the postgres project only');
  const database = await createDatabase(adminUrl);
  const direct = new URL(database.url);
  const proxy = await tcpProxy({ host: direct.hostname, port: Number(direct.port) });
  const viaProxy = new URL(database.url);
  viaProxy.port = String(proxy.port);
  return {
    url: viaProxy.toString(),
    password: decodeURIComponent(direct.password),
    proxy,
    drop: database.drop,
  };
}
