// The to-do page: what needs the merchant in the session's mode (services/todo.ts).
import type { Hono } from 'hono';
import { todoOverview } from '../../services/todo.js';
import { chrome, sessionOf, type AdminEnv, type AdminPagesDeps } from './context.js';
import { TodoPage } from './views/todo.js';

export function registerTodoPage(admin: Hono<AdminEnv>, deps: AdminPagesDeps): void {
  admin.get('/todo', async (c) => {
    const todo = await todoOverview(deps.db, deps.config, sessionOf(c));
    return c.html(<TodoPage {...chrome(c)} todo={todo} />);
  });
}
