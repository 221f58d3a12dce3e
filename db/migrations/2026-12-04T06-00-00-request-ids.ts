import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Each timeline entry may name the API call that caused it (its X-Request-Id); entries written before have none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table order_events add column request_id text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table order_events drop column request_id`.execute(db);
}
