import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// The sandbox's per-merchant switches move from each API process's memory to Postgres, so that with several
// APIs a switch set through one holds on every one (and survives a restart).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('sandbox_behaviours')
    .addColumn('merchant_id', 'text', (col) => col.primaryKey())
    .addColumn('behaviour', 'jsonb', (col) => col.notNull())
    .addColumn('updated_at', 'timestamptz', (col) => col.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('sandbox_behaviours').execute();
}
