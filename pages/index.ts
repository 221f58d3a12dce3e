import { Hono } from 'hono';
import type { AppDeps } from '../services/deps.js';
import type { Throttle } from '../services/throttle.js';
import { registerAdminPages } from './admin/routes.js';
import { registerCustomerPages } from './customer/routes.js';

/** What the pages are built from: the app's dependencies and the request limits the API shares. */
export type PagesDeps = AppDeps & { throttle: Throttle };

/** The two pages people look at, mounted on the API's own app: merchant admin and the customer's order page. */
export function createPages(deps: PagesDeps): Hono {
  const pages = new Hono();
  registerAdminPages(pages, deps);
  registerCustomerPages(pages, deps);
  return pages;
}
