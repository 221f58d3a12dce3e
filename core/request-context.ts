// The request a piece of work is done for: the API runs each request inside `withRequestId`, and whatever
// it calls (services, log lines, the Temporal client's interceptors) reads the id back without passing it.
import { AsyncLocalStorage } from 'node:async_hooks';

const requests = new AsyncLocalStorage<string>();

export function withRequestId<T>(requestId: string, fn: () => T): T {
  return requests.run(requestId, fn);
}

/** The id of the request being served; undefined outside one (a sweep, the worker). */
export function currentRequestId(): string | undefined {
  return requests.getStore();
}
