/**
 * Test helpers for the socket source: real TCP servers on 127.0.0.1 with free ports, driven by a
 * script per connection. Not part of the package's public surface (index.ts does not export them).
 * @internal
 */
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A TCP server on 127.0.0.1:0 that runs `script` for every accepted connection. */
export interface ScriptedServer {
  readonly port: number;
  readonly server: Server;
  /** Connections accepted so far. */
  accepted: number;
  close(): Promise<void>;
}

/**
 * Starts a server whose connections are driven by `script` (write chunks, pause, close).
 *
 * @example
 * ```ts
 * const srv = await scriptedServer(async (s) => { s.end('a\nb\n'); });
 * ```
 */
export async function scriptedServer(script: (socket: Socket, index: number) => Promise<void> | void): Promise<ScriptedServer> {
  const sockets = new Set<Socket>();
  const result = { accepted: 0 } as ScriptedServer & { accepted: number };
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.setNoDelay(true);
    const index = result.accepted++;
    void Promise.resolve(script(socket, index)).catch(() => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  Object.assign(result, {
    port: (server.address() as AddressInfo).port,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
  return result;
}

/** Writes each chunk as its own TCP segment (Nagle off, a pause between writes). */
export async function writeChunks(socket: Socket, chunks: ReadonlyArray<string | Buffer>, pauseMs = 15): Promise<void> {
  for (const c of chunks) {
    await new Promise<void>((resolve, reject) => socket.write(c, (e) => (e ? reject(e) : resolve())));
    await sleep(pauseMs);
  }
}

/** A port that was free a moment ago: a scripted server's, closed again. */
export async function freePort(): Promise<number> {
  const srv = await scriptedServer(() => {});
  await srv.close();
  return srv.port;
}
