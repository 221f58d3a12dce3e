import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Timeline entries and the order's status reason as codes with parameters, rendered into words where people
// read them. Rows written before keep their English sentence (`message`, `status_reason`, a refund's
// `reason`, `note`, `failure_reason`) and no code.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table order_events add column params jsonb`.execute(db);
  await sql`alter table orders add column status_reason_code text`.execute(db);
  await sql`alter table orders add column status_reason_params jsonb`.execute(db);
  // A refund's reason, note and failure as codes: { reason, note?, failure }, each { code, params }.
  await sql`alter table refunds add column codes jsonb`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table refunds drop column codes`.execute(db);
  await sql`alter table orders drop column status_reason_params`.execute(db);
  await sql`alter table orders drop column status_reason_code`.execute(db);
  await sql`alter table order_events drop column params`.execute(db);
}
