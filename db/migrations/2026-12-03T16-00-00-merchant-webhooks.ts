import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Webhooks to the merchant's own server: endpoints (per merchant and mode), the events read off order
// timelines, one delivery per event and endpoint, and every attempt at it.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table webhook_endpoints (
      id text primary key,
      merchant_id text not null references merchants (id),
      mode text not null check (mode in ('test', 'live')),
      url text not null,
      event_types text[] not null,
      enabled boolean not null,
      disabled_reason text,
      secret_ciphertext text not null,
      previous_secret_ciphertext text,
      previous_secret_expires_at timestamptz,
      failing_since timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )
  `.execute(db);
  await sql`create index webhook_endpoints_merchant_mode_idx on webhook_endpoints (merchant_id, mode)`.execute(db);

  await sql`
    create table merchant_events (
      id text primary key,
      merchant_id text not null references merchants (id),
      livemode boolean not null,
      order_id text not null references orders (id),
      type text not null,
      seq integer not null,
      body text not null,
      created_at timestamptz not null
    )
  `.execute(db);
  await sql`create index merchant_events_order_idx on merchant_events (order_id, seq)`.execute(db);

  await sql`
    create table webhook_deliveries (
      id text primary key,
      event_id text not null references merchant_events (id),
      endpoint_id text not null references webhook_endpoints (id) on delete cascade,
      merchant_id text not null,
      order_id text not null,
      status text not null check (status in ('pending', 'succeeded', 'failed')),
      started_at timestamptz,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint webhook_deliveries_event_endpoint unique (event_id, endpoint_id)
    )
  `.execute(db);
  await sql`create index webhook_deliveries_order_idx on webhook_deliveries (order_id)`.execute(db);
  await sql`create index webhook_deliveries_endpoint_idx on webhook_deliveries (endpoint_id, created_at desc)`.execute(db);

  await sql`
    create table webhook_attempts (
      id bigint generated always as identity primary key,
      delivery_id text not null references webhook_deliveries (id) on delete cascade,
      at timestamptz not null,
      status_code integer,
      duration_ms integer not null,
      response_excerpt text,
      error text
    )
  `.execute(db);
  await sql`create index webhook_attempts_delivery_idx on webhook_attempts (delivery_id, at)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table webhook_attempts`.execute(db);
  await sql`drop table webhook_deliveries`.execute(db);
  await sql`drop table merchant_events`.execute(db);
  await sql`drop table webhook_endpoints`.execute(db);
}
