import { mkdirSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { PGlite } from '@electric-sql/pglite';
import { freePort } from './ports.js';

// Startup-phase request codes (a length, then one of these, and no type byte).
const PROTOCOL_3 = 196_608;
const SSL_REQUEST = 80_877_103;
const GSS_REQUEST = 80_877_104;
const CANCEL_REQUEST = 80_877_102;
/** Ends an extended-query sequence (and the skipping after an error in one). */
const SYNC = new Uint8Array([0x53, 0, 0, 0, 4]);

/**
 * PGlite has ONE session. Connections take turns: one holds the session from its first message until it
 * reaches a point where nothing of it is left in the session (after a Sync or a simple Query, outside a
 * transaction block); the others wait. So the unnamed statement and portal, errors skipping to the next
 * Sync, and open transactions never cross between connections.
 */
class SessionTurns {
  private holder: object | undefined;
  private waiting: Array<() => void> = [];

  async take(owner: object): Promise<void> {
    while (this.holder !== undefined && this.holder !== owner) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.holder = owner;
  }

  release(owner: object): void {
    if (this.holder !== owner) return;
    this.holder = undefined;
    for (const wake of this.waiting.splice(0)) wake();
  }
}

/** Splits a connection's bytes into whole protocol messages. */
function takeMessage(buffer: Buffer, started: boolean): { message: Buffer; rest: Buffer } | undefined {
  const header = started ? 5 : 4;
  if (buffer.length < header) return undefined;
  const size = started ? 1 + buffer.readInt32BE(1) : buffer.readInt32BE(0);
  if (buffer.length < size) return undefined;
  return { message: buffer.subarray(0, size), rest: buffer.subarray(size) };
}

function serveConnection(db: PGlite, turns: SessionTurns, socket: Socket): void {
  const owner = {};
  let buffer: Buffer = Buffer.alloc(0);
  let started = false;
  let chain = Promise.resolve();
  let holding = false;

  const execute = async (message: Buffer) => {
    await turns.take(owner);
    holding = true;
    await db.runExclusive(() =>
      db.execProtocolRawStream(new Uint8Array(message), {
        onRawData: (data) => {
          if (socket.writable) socket.write(Buffer.from(data));
        },
      }),
    );
  };
  const handle = async (message: Buffer) => {
    if (!started) {
      const code = message.readInt32BE(4);
      if (code === SSL_REQUEST || code === GSS_REQUEST) return void socket.write('N');
      if (code === CANCEL_REQUEST || code !== PROTOCOL_3) return void socket.end();
      started = true;
      await execute(message);
      turns.release(owner);
      holding = false;
      return;
    }
    const type = String.fromCharCode(message[0]!);
    if (type === 'X') return void socket.end();
    await execute(message);
    if ((type === 'S' || type === 'Q') && !db.isInTransaction()) {
      turns.release(owner);
      holding = false;
    }
  };

  const drain = () => {
    for (let next = takeMessage(buffer, started); next; next = takeMessage(buffer, started)) {
      buffer = next.rest;
      const { message } = next;
      if (!started) {
        // The first message decides whether later ones carry a type byte: split on only after it.
        chain = chain.then(() => handle(message)).then(drain);
        return;
      }
      chain = chain.then(() => handle(message));
    }
  };
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    buffer = Buffer.concat([buffer, chunk]);
    drain();
    chain = chain.catch(() => void socket.destroy());
  });
  socket.on('error', () => undefined);
  socket.on('close', () => {
    // A client gone mid-turn: end what it left in the session before the next one takes it.
    void chain.then(async () => {
      if (!holding) return;
      await db.runExclusive(async () => {
        await db.execProtocolRaw(SYNC);
        if (db.isInTransaction()) await db.exec('rollback');
      });
      turns.release(owner);
    });
  });
}

/**
 * The embedded fallback database for `dev` (when no Postgres server binaries are on the machine): PGlite
 * persisted in `dataDir`, served over the Postgres wire protocol so the application talks `pg` exactly as it
 * does to a real server. Any number of connections, served one turn at a time (see `SessionTurns`); the
 * dev processes each keep a single connection.
 */
export async function startPgliteServer(options: { dataDir: string; port?: number }) {
  mkdirSync(options.dataDir, { recursive: true });
  const db = await PGlite.create({ dataDir: options.dataDir });
  const turns = new SessionTurns();
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    serveConnection(db, turns, socket);
  });
  const port = await freePort(options.port);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => server.close(resolve));
      await db.close();
    },
  };
}
