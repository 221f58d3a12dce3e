import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// The verified, normalised notification is kept with the raw event, so an event whose hand-over to its
// order was interrupted (a crash between storing and signalling) can be handed over later without
// re-verifying a signature that has since gone stale.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_events').addColumn('notification', 'jsonb').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('webhook_events').dropColumn('notification').execute();
}
