import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { text } from 'node:stream/consumers';
import type { RawNotification } from '../../gateways/types.js';

/** A notification as it reached the receiver: headers lower-cased and flattened to strings. */
export interface ReceivedNotification extends RawNotification {
  path: string;
}

/** How the receiver answers: no content type or body unless given. An adapter's `Acknowledgement` fits. */
export interface ReceiverAnswer {
  status: number;
  contentType?: string;
  body?: string;
}

export interface NotificationReceiver {
  /** `http://127.0.0.1:<port>`, with no trailing slash: callers append the notify path. */
  url: string;
  /** Every notification received, in order of arrival, whatever it was answered. */
  received: ReceivedNotification[];
  /** Stops listening and drops open connections, so a simulator's keep-alive socket cannot hold the close open. */
  close(): Promise<void>;
}

/** Stands in for Paystead's webhook route on a free port: records each notification, answers with `answer`'s result. */
export async function startNotificationReceiver(answer: (notification: ReceivedNotification) => ReceiverAnswer | Promise<ReceiverAnswer>): Promise<NotificationReceiver> {
  const received: ReceivedNotification[] = [];
  const server = createServer(async (request, response) => {
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, String(value)]));
    const notification = { path: request.url ?? '', headers, body: await text(request) };
    received.push(notification);
    try {
      const { status, contentType, body } = await answer(notification);
      response.writeHead(status, contentType === undefined ? {} : { 'content-type': contentType }).end(body);
    } catch (error) {
      // A callback that throws is a broken test, not a refusal: answer as a crashed route would.
      response.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
