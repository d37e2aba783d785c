/** Starting the simulator's TCP server, with a typed error for an address it cannot take. */
import type { Server } from 'node:net';
import { InvalidParameterValue } from '../../index.js';

/** Listens on `host:port` (0: ephemeral); resolves with the port. The signal cancels it. */
export function listen(
  server: Server,
  host: string,
  port: number,
  signal: AbortSignal | undefined,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: NodeJS.ErrnoException): void => {
      signal?.removeEventListener('abort', onAbort);
      const field = e.code === 'EADDRNOTAVAIL' || e.code === 'ENOTFOUND' ? 'host' : 'port';
      reject(
        new InvalidParameterValue(`Cannot listen on ${host}:${port}: ${e.code ?? e.message}`, {
          fields: [{ field, problem: `cannot be listened on (${e.code ?? e.message})` }],
          cause: e,
        }),
      );
    };
    const onAbort = (): void => {
      server.off('error', onError);
      server.close();
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    server.once('error', onError);
    server.listen({ host, port }, () => {
      signal?.removeEventListener('abort', onAbort);
      server.off('error', onError);
      const address = server.address();
      resolve(address !== null && typeof address === 'object' ? address.port : port);
    });
  });
}
