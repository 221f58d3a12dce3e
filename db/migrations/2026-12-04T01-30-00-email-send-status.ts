import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// The send status of each customer e-mail, for the order's timeline: when the last attempt failed and why
// (the mail server's refusal, a connection error). `sent_at` already says when one was accepted. Every order
// read looks up its rows, hence the index.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table outbox add column last_error text`.execute(db);
  await sql`alter table outbox add column last_attempt_at timestamptz`.execute(db);
  await sql`create index if not exists outbox_order on outbox (order_id)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index if exists outbox_order`.execute(db);
  await sql`alter table outbox drop column last_attempt_at`.execute(db);
  await sql`alter table outbox drop column last_error`.execute(db);
}
