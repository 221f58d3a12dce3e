import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// How many unverifiable notifications each merchant's gateway endpoint received per window, and how many of
// them (and how many bytes) were stored: the storage budget's ledger and the operators' counter.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('webhook_rejection_windows')
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('gateway', 'text', (c) => c.notNull())
    .addColumn('window_start', 'timestamptz', (c) => c.notNull())
    .addColumn('received', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stored', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('stored_bytes', 'bigint', (c) => c.notNull().defaultTo(0))
    .addColumn('sampled', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('webhook_rejection_windows_pk', ['merchant_id', 'gateway', 'window_start'])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('webhook_rejection_windows').execute();
}
