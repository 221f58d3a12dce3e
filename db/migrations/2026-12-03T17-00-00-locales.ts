import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// The merchant's default language for its pages (when the shopper's browser asks for none we have) and the
// time zone its pages show times in.
// - Existing merchants keep English, as their pages were; a shopper whose browser asks for Chinese gets it.
// - Their times were shown in UTC: CNY merchants move to Beijing time, the others stay on UTC until they
//   choose a zone. New merchants get both from the application (zh-CN and Asia/Shanghai for CNY), so the
//   columns have no default.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table merchant_settings add column locale text not null default 'en'`.execute(db);
  await sql`alter table merchant_settings add column time_zone text not null default 'UTC'`.execute(db);
  await sql`update merchant_settings set time_zone = 'Asia/Shanghai' where currency = 'CNY'`.execute(db);
  await sql`alter table merchant_settings alter column locale drop default`.execute(db);
  await sql`alter table merchant_settings alter column time_zone drop default`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table merchant_settings drop column time_zone`.execute(db);
  await sql`alter table merchant_settings drop column locale`.execute(db);
}
