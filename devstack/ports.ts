import { createServer } from 'node:net';

function listenOn(port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : port));
    });
  });
}

/** A port that was free a moment ago: the preferred one when possible, else one the OS picks. */
export async function freePort(preferred = 0): Promise<number> {
  if (preferred > 0) {
    try {
      return await listenOn(preferred);
    } catch {
      // taken: fall through to an OS-assigned port
    }
  }
  return listenOn(0);
}
