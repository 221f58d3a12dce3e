import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Test mode and live mode. Keys, orders and gateway credentials each belong to one mode.
// - Keys of merchants verified by now become live keys and keep working; the others', test keys.
// - Orders paid (or to be paid) through the built-in sandbox become test orders; the others stay live.
// - Stored gateway credentials are live credentials; test credentials are stored beside them.
// - An order's idempotency key and workflow are per mode, so the same key in both modes makes two orders.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table api_keys add column mode text not null default 'test' check (mode in ('test', 'live'))`.execute(db);
  await sql`
    update api_keys set mode = 'live'
    from merchants where merchants.id = api_keys.merchant_id and merchants.verified_at is not null
  `.execute(db);
  await sql`alter table api_keys alter column mode drop default`.execute(db);

  await sql`alter table orders add column livemode boolean`.execute(db);
  await sql`update orders set livemode = (payment_method <> 'sandbox')`.execute(db);
  await sql`alter table orders alter column livemode set not null`.execute(db);
  await sql`alter table orders drop constraint orders_merchant_idempotency_key`.execute(db);
  await sql`alter table orders add constraint orders_merchant_mode_idempotency_key unique (merchant_id, livemode, idempotency_key)`.execute(db);
  await sql`drop index orders_merchant_created_idx`.execute(db);
  await sql`drop index orders_merchant_status_idx`.execute(db);
  await sql`create index orders_merchant_mode_created_idx on orders (merchant_id, livemode, created_at desc, id desc)`.execute(db);
  await sql`create index orders_merchant_mode_status_idx on orders (merchant_id, livemode, status)`.execute(db);

  await sql`alter table gateway_credentials add column mode text not null default 'live' check (mode in ('test', 'live'))`.execute(db);
  await sql`alter table gateway_credentials alter column mode drop default`.execute(db);
  await sql`alter table gateway_credentials drop constraint gateway_credentials_pk`.execute(db);
  await sql`alter table gateway_credentials add constraint gateway_credentials_pk primary key (merchant_id, gateway, mode)`.execute(db);

  // The mode a signed-in admin page shows: the signing key's, until a live key's holder switches to test.
  await sql`alter table admin_sessions add column mode text not null default 'test' check (mode in ('test', 'live'))`.execute(db);
  await sql`update admin_sessions set mode = k.mode from api_keys k where k.key_hash = admin_sessions.key_hash`.execute(db);
  await sql`alter table admin_sessions alter column mode drop default`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table admin_sessions drop column mode`.execute(db);
  await sql`delete from gateway_credentials where mode = 'test'`.execute(db);
  await sql`alter table gateway_credentials drop constraint gateway_credentials_pk`.execute(db);
  await sql`alter table gateway_credentials add constraint gateway_credentials_pk primary key (merchant_id, gateway)`.execute(db);
  await sql`alter table gateway_credentials drop column mode`.execute(db);

  await sql`drop index orders_merchant_mode_created_idx`.execute(db);
  await sql`drop index orders_merchant_mode_status_idx`.execute(db);
  await sql`alter table orders drop constraint orders_merchant_mode_idempotency_key`.execute(db);
  await sql`alter table orders add constraint orders_merchant_idempotency_key unique (merchant_id, idempotency_key)`.execute(db);
  await sql`create index orders_merchant_created_idx on orders (merchant_id, created_at desc, id desc)`.execute(db);
  await sql`create index orders_merchant_status_idx on orders (merchant_id, status)`.execute(db);
  await sql`alter table orders drop column livemode`.execute(db);

  await sql`alter table api_keys drop column mode`.execute(db);
}
