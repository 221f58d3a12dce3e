import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// The order's language, for the messages its customer gets: the shopper's, as the storefront passed it at
// checkout, else the merchant's default then. Existing orders have none (null): their messages use the
// merchant's default language as it is when they are written.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table orders add column locale text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table orders drop column locale`.execute(db);
}
