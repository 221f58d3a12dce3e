// One webhook POST to a checked address (core/webhook-targets.ts): the connection goes to that address
// whatever the name resolves to now, with the name kept for TLS and the Host header. Bounded in time and in
// how much of the answer is read.
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import type { WebhookTarget } from '../core/webhook-targets.js';

export const WEBHOOK_TIMEOUT_MS = 5_000;
/** The most of an answer read (and kept as its excerpt). */
export const WEBHOOK_ANSWER_BYTES = 4_096;

export interface WebhookAnswer {
  statusCode: number;
  excerpt: string;
}

export function postWebhook(target: WebhookTarget, headers: Record<string, string>, body: string): Promise<WebhookAnswer> {
  const pinned: LookupFunction = (_hostname, options, callback) => {
    if (options.all) callback(null, [{ address: target.address, family: target.family }]);
    else callback(null, target.address, target.family);
  };
  const client = target.url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.request(
      target.url,
      { method: 'POST', lookup: pinned, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) }, timeout: WEBHOOK_TIMEOUT_MS, agent: false },
      (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        const finish = () => {
          response.destroy();
          // Stored as text: what Postgres cannot hold (NUL) is replaced, not refused.
          const excerpt = Buffer.concat(chunks).subarray(0, WEBHOOK_ANSWER_BYTES).toString('utf8').replaceAll('\u0000', '\uFFFD');
          resolve({ statusCode: response.statusCode ?? 0, excerpt });
        };
        response.on('data', (chunk: Buffer) => {
          chunks.push(chunk);
          size += chunk.length;
          if (size >= WEBHOOK_ANSWER_BYTES) finish();
        });
        response.on('end', finish);
        response.on('error', finish);
        // Cut off by the deadline mid-answer: what arrived is the answer.
        response.on('close', finish);
      },
    );
    // The whole exchange, not just a quiet socket, is bounded.
    const deadline = setTimeout(() => request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS} ms`)), WEBHOOK_TIMEOUT_MS);
    request.on('close', () => clearTimeout(deadline));
    request.on('timeout', () => request.destroy(new Error(`no answer within ${WEBHOOK_TIMEOUT_MS} ms`)));
    request.on('error', reject);
    request.end(body);
  });
}
