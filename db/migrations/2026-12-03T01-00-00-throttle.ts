import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Request limits shared by every API instance: counters per key and window (the layout rate-limiter-flexible's
// Postgres store reads and writes: `expire` in epoch milliseconds), and leases for things held open, such as
// the customer page's live-update streams.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('throttle_counters')
    .addColumn('key', 'varchar(255)', (c) => c.primaryKey())
    .addColumn('points', 'integer', (c) => c.notNull().defaultTo(0))
    .addColumn('expire', 'bigint')
    .execute();

  await db.schema
    .createTable('throttle_leases')
    .addColumn('key', 'text', (c) => c.notNull())
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('expires_at', 'timestamptz', (c) => c.notNull())
    .addPrimaryKeyConstraint('throttle_leases_pkey', ['key', 'id'])
    .execute();
  await db.schema.createIndex('throttle_leases_expires_idx').on('throttle_leases').column('expires_at').execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable('throttle_leases').execute();
  await db.schema.dropTable('throttle_counters').execute();
}
