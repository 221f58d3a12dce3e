import type { Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// A refund asked for with an Idempotency-Key keeps the key and what was asked, so the API can answer a retry
// after the order's run has ended (the workflow answers while it runs).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable('refunds').addColumn('idempotency_key', 'text').addColumn('request_fingerprint', 'text').execute();
  await db.schema.createIndex('refunds_order_idempotency_key_idx').on('refunds').columns(['order_id', 'idempotency_key']).unique().where('idempotency_key', 'is not', null).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex('refunds_order_idempotency_key_idx').execute();
  await db.schema.alterTable('refunds').dropColumn('idempotency_key').dropColumn('request_fingerprint').execute();
}
