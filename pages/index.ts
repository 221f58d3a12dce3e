import { Hono } from 'hono';
import type { AppDeps } from '../services/deps.js';
import { registerAdminPages } from './admin/routes.js';
import { registerCustomerPages } from './customer/routes.js';

/** The two pages people look at, mounted on the API's own app: merchant admin and the customer's order page. */
export function createPages(deps: AppDeps): Hono {
  const pages = new Hono();
  registerAdminPages(pages, deps);
  registerCustomerPages(pages, deps);
  return pages;
}
