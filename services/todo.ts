// What needs the merchant, in the session's mode: the navigation's count and the to-do page's lists.
import type { Config } from '../core/config.js';
import { isLive } from '../core/modes.js';
import type { Db } from '../db/database.js';
import { countTodo, listTodo, TODO_COUNT_CAP, type TodoCounts, type TodoLists } from '../db/todo.js';
import type { MerchantScope } from './api-keys.js';

export { TODO_COUNT_CAP, type TodoCounts, type TodoLists };

/** How many of each kind the page lists; the counts say when there are more. */
export const TODO_LIST_LIMIT = 20;

const scopeOf = ({ merchantId, mode }: MerchantScope) => ({ merchantId, mode, livemode: isLive(mode) });

/** Everything waiting, for the navigation: one query, each kind capped. */
export async function todoTotal(db: Db, scope: MerchantScope): Promise<number> {
  const counts = await countTodo(db, scopeOf(scope));
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

export interface TodoOverview {
  counts: TodoCounts;
  lists: TodoLists;
  /** Whether e-mail can be sent at all (otherwise the waiting messages wait for SMTP to be configured). */
  emailConfigured: boolean;
}

export async function todoOverview(db: Db, config: Pick<Config, 'mail'>, scope: MerchantScope): Promise<TodoOverview> {
  const [counts, lists] = await Promise.all([countTodo(db, scopeOf(scope)), listTodo(db, scopeOf(scope), TODO_LIST_LIMIT)]);
  return { counts, lists, emailConfigured: config.mail.smtpUrl !== undefined };
}
