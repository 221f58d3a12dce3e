import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('merchants')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('contact_email', 'text', (c) => c.notNull())
    .addColumn('contact_phone', 'text')
    .addColumn('business_licence_no', 'text', (c) => c.notNull())
    .addColumn('tax_registration_no', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) =>
      c.notNull().check(sql`status in ('pending_verification', 'active', 'suspended')`),
    )
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('verified_at', 'timestamptz')
    .execute();

  await db.schema
    .createTable('api_keys')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('kind', 'text', (c) => c.notNull().check(sql`kind in ('secret', 'admin')`))
    .addColumn('key_hash', 'text', (c) => c.notNull().unique())
    .addColumn('prefix', 'text', (c) => c.notNull())
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('revoked_at', 'timestamptz')
    .execute();
  await db.schema.createIndex('api_keys_merchant_idx').on('api_keys').column('merchant_id').execute();

  await db.schema
    .createTable('merchant_settings')
    .addColumn('merchant_id', 'text', (c) => c.primaryKey().references('merchants.id'))
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    .addColumn('shipping_fee', 'bigint', (c) => c.notNull().check(sql`shipping_fee >= 0`))
    .addColumn('tax_rate_bps', 'integer', (c) => c.notNull().check(sql`tax_rate_bps between 0 and 10000`))
    .addColumn('payment_window_seconds', 'integer', (c) => c.notNull().check(sql`payment_window_seconds > 0`))
    .addColumn('payment_check_interval_seconds', 'integer', (c) =>
      c.notNull().check(sql`payment_check_interval_seconds > 0`),
    )
    .addColumn('auto_confirm', 'boolean', (c) => c.notNull())
    .addColumn('refund_window_seconds', 'integer', (c) => c.notNull().check(sql`refund_window_seconds >= 0`))
    .addColumn('refund_approval_threshold', 'bigint', (c) =>
      c.notNull().check(sql`refund_approval_threshold >= 0`),
    )
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable('products')
    .addColumn('merchant_id', 'text', (c) => c.notNull().references('merchants.id'))
    .addColumn('sku', 'text', (c) => c.notNull())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('unit_amount', 'bigint', (c) => c.notNull().check(sql`unit_amount >= 0`))
    .addColumn('currency', 'char(3)', (c) => c.notNull())
    .addColumn('active', 'boolean', (c) => c.notNull().defaultTo(true))
    .addColumn('created_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn('updated_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint('products_pk', ['merchant_id', 'sku'])
    .execute();

  // Written by the system-check workflow: proof that worker, activity and database work end to end.
  await db.schema
    .createTable('system_checks')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('requested_by', 'text', (c) => c.notNull())
    .addColumn('checked_at', 'timestamptz', (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const table of ['system_checks', 'products', 'merchant_settings', 'api_keys', 'merchants']) {
    await db.schema.dropTable(table).execute();
  }
}
