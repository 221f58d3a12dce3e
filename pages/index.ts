import type { OpenAPIHono } from '@hono/zod-openapi';
import type { AppDeps, AppEnv } from '../api/app.js';
import { registerAdminPages } from './admin/routes.js';
import { registerCustomerPages } from './customer/routes.js';

/** The two pages people look at, served by the API's own app: merchant admin and the customer's order page. */
export function registerPages(app: OpenAPIHono<AppEnv>, deps: AppDeps): void {
  registerAdminPages(app, deps);
  registerCustomerPages(app, deps);
}
