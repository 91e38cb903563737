/**
 * Test helpers: TCP clients on 127.0.0.1 and free ports (the scripted servers are core's, beside
 * the socket source they test). Not part of the package's public surface (index.ts does not
 * export them).
 * @internal
 */
import { type AddressInfo, createServer, Socket } from 'node:net';

/** Resolves after `ms` milliseconds. */
export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes each chunk as its own TCP segment (Nagle off, a pause between writes). */
export async function writeChunks(socket: Socket, chunks: ReadonlyArray<string | Buffer>, pauseMs = 15): Promise<void> {
  for (const c of chunks) {
    await new Promise<void>((resolve, reject) => socket.write(c, (e) => (e ? reject(e) : resolve())));
    await sleep(pauseMs);
  }
}

/** Opens a client connection to 127.0.0.1:port. */
export function connect(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = new Socket();
    s.setNoDelay(true);
    s.once('error', reject);
    s.connect(port, '127.0.0.1', () => {
      s.off('error', reject);
      resolve(s);
    });
  });
}

/** A port that was free a moment ago (bind to :0, read it, close). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}
