import type { ActivityDeps } from './deps.js';

export function createSystemCheckActivities({ db }: ActivityDeps) {
  return {
    /** Does nothing: the unit of work of the benchmark's baseline workflow. */
    async noop(): Promise<void> {},

    /** Idempotent: a retry after a lost response finds the row already there. */
    async recordSystemCheck(input: { checkId: string; requestedBy: string }): Promise<{ checkedAt: string }> {
      await db
        .insertInto('systemChecks')
        .values({ id: input.checkId, requestedBy: input.requestedBy })
        .onConflict((oc) => oc.column('id').doNothing())
        .execute();
      const row = await db
        .selectFrom('systemChecks')
        .select('checkedAt')
        .where('id', '=', input.checkId)
        .executeTakeFirstOrThrow();
      return { checkedAt: row.checkedAt.toISOString() };
    },
  };
}
