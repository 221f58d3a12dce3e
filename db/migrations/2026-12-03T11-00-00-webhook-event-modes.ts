import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Every stored gateway notification records the mode it came in for (its address: `/webhooks/{g}/{m}` live,
// `…/test` test; the sandbox's are always test), so one is handed only to an order of the same mode, also
// when a sweep finishes it later. Notifications stored before are the sandbox's test ones and live others.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_events add column mode text not null default 'live' check (mode in ('test', 'live'))`.execute(db);
  await sql`update webhook_events set mode = 'test' where gateway = 'sandbox'`.execute(db);
  await sql`alter table webhook_events alter column mode drop default`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table webhook_events drop column mode`.execute(db);
}
