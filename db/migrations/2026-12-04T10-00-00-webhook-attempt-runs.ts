import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Each webhook attempt names the delivery workflow that made it, so an activity retried after its success was
// stored does not send again; attempts made before have none.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_attempts add column workflow_id text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_attempts drop column workflow_id`.execute(db);
}
