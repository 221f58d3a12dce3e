import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Tax-inclusive prices, as Chinese shops show them: with the setting on, catalog prices include tax and the
// order's tax is the part of them that is tax, not an amount added on top.
// - Existing merchants keep tax added on top (false). New merchants get theirs from the application (which
//   turns it on for CNY), so the column has no default.
// - Orders record which way their tax was counted; existing orders added it on top.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table merchant_settings add column prices_include_tax boolean not null default false`.execute(db);
  await sql`alter table merchant_settings alter column prices_include_tax drop default`.execute(db);
  await sql`alter table orders add column tax_included boolean not null default false`.execute(db);
  await sql`alter table orders alter column tax_included drop default`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table orders drop column tax_included`.execute(db);
  await sql`alter table merchant_settings drop column prices_include_tax`.execute(db);
}
