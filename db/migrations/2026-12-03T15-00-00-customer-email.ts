import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Customer e-mail: the merchant's sender name and reply-to address (null: the merchant's name and contact
// e-mail), and an index for the messages still waiting in the outbox.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table merchant_settings add column if not exists email_sender_name text`.execute(db);
  await sql`alter table merchant_settings add column if not exists email_reply_to text`.execute(db);
  await sql`create index if not exists outbox_unsent on outbox (merchant_id) where sent_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_unsent`.execute(db);
  await db.schema.alterTable('merchant_settings').dropColumn('email_sender_name').dropColumn('email_reply_to').execute();
}
