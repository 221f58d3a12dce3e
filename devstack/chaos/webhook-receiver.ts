// The merchant's server in the fault run: receives Paystead's webhooks on loopback, checks each signature
// and counts each event id; it can be taken down (connections refused) and brought back on the same port.
import { createServer, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { SIGNATURE_HEADER, webhookSignature } from '../../core/webhook-signature.js';
import { freePort } from '../ports.js';

export interface WebhookReceiver {
  url: string;
  /** Signing secret of the endpoint this receiver stands for (known once the endpoint is made). */
  secret: string | undefined;
  /** Event id -> deliveries with a valid signature. */
  received: Map<string, number>;
  /** Deliveries whose signature did not verify. */
  badSignatures: number;
  start(): Promise<void>;
  stop(): Promise<void>;
  readonly up: boolean;
}

/** True when the header signs `body` with `secret` (the header's own time; freshness is not the point here). */
function signedBy(header: string, body: string, secret: string): boolean {
  const t = Number(/(?:^|,)t=(\d+)/.exec(header)?.[1]);
  if (!Number.isInteger(t)) return false;
  const expected = webhookSignature([secret], body, new Date(t * 1000)).split(',')[1]!;
  return header.split(',').includes(expected);
}

export async function createWebhookReceiver(): Promise<WebhookReceiver> {
  const port = await freePort();
  let server: Server | undefined;
  const sockets = new Set<Socket>();
  const receiver: WebhookReceiver = {
    url: `http://127.0.0.1:${port}/paystead-events`,
    secret: undefined,
    received: new Map(),
    badSignatures: 0,
    get up() {
      return server !== undefined;
    },
    async start() {
      if (server) return;
      const next = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (chunk: Buffer) => chunks.push(chunk));
        req.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          const header = String(req.headers[SIGNATURE_HEADER.toLowerCase()] ?? '');
          if (receiver.secret === undefined || !signedBy(header, body, receiver.secret)) {
            receiver.badSignatures += 1;
            res.writeHead(400).end('bad signature');
            return;
          }
          const id = (JSON.parse(body) as { id: string }).id;
          receiver.received.set(id, (receiver.received.get(id) ?? 0) + 1);
          res.writeHead(204).end();
        });
      });
      next.on('connection', (socket: Socket) => {
        sockets.add(socket);
        socket.once('close', () => sockets.delete(socket));
      });
      await new Promise<void>((resolve, reject) => {
        next.once('error', reject);
        next.listen(port, '127.0.0.1', () => resolve());
      });
      server = next;
    },
    async stop() {
      const current = server;
      server = undefined;
      if (!current) return;
      for (const socket of sockets) socket.destroy();
      await new Promise((resolve) => current.close(resolve));
    },
  };
  await receiver.start();
  return receiver;
}
