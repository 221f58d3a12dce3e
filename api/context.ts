// The API's context types, in their own module so the app factory and the route modules need not import
// each other: what every request carries, and the type of a route's handler.
import type { OpenAPIHono, RouteConfig, RouteHandler } from '@hono/zod-openapi';
import type { KeyResolver, Principal } from '../services/api-keys.js';
import type { AppDeps } from '../services/deps.js';
import type { Throttle } from '../services/throttle.js';

/** What the API's routes share: the app's dependencies, the one key resolver (and its memory) and the limits. */
export type RouteDeps = AppDeps & { keys: KeyResolver; throttle: Throttle };

/** `deps` is set for every request; `principal` by `requireKey` on the routes it guards. */
export type AppEnv = { Variables: { deps: RouteDeps; principal: Principal } };

export type AppOpenAPI = OpenAPIHono<AppEnv>;

/** A named handler typed by its route: input validated, answers checked against the declared responses. */
export type AppRouteHandler<R extends RouteConfig> = RouteHandler<R, AppEnv>;
