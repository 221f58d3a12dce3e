import type { Db } from './database.js';

/** Idempotent: a retry after a lost response finds the row already there. Returns when it was checked. */
export async function saveSystemCheck(db: Db, checkId: string, requestedBy: string): Promise<Date> {
  await db
    .insertInto('systemChecks')
    .values({ id: checkId, requestedBy })
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  const row = await db.selectFrom('systemChecks').select('checkedAt').where('id', '=', checkId).executeTakeFirstOrThrow();
  return row.checkedAt;
}
