import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Alerts an order carries for people (e.g. `projection_failed`: the workflow's state could not be written
// here), written apart from the projection so that what broke the projection cannot break them too.
export async function up(db: Kysely<any>): Promise<void> {
  // Safe to run again (as a test does, re-running the migrations after an earlier one).
  await sql`alter table orders add column if not exists alerts text[] not null default '{}'`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('orders').dropColumn('alerts').execute();
}
