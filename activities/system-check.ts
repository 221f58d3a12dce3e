import { saveSystemCheck } from '../db/system-checks.js';
import type { ActivityDeps } from './deps.js';

export function createSystemCheckActivities({ db }: ActivityDeps) {
  return {
    /** Does nothing: the unit of work of the benchmark's baseline workflow. */
    async noop(): Promise<void> {},

    /** Idempotent: a retry after a lost response finds the row already there. */
    async recordSystemCheck(input: { checkId: string; requestedBy: string }): Promise<{ checkedAt: string }> {
      const checkedAt = await saveSystemCheck(db, input.checkId, input.requestedBy);
      return { checkedAt: checkedAt.toISOString() };
    },
  };
}
