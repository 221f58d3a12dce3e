import { sql, type Kysely } from 'kysely';

// Frozen in time: this migration never imports application code.
// Daily reconciliation with the gateways: one run per merchant, mode, gateway and settlement day (a rerun
// replaces its lines), the statement's lines as matched, and the discrepancies people see, kept across
// reruns under a stable key so a resolution or an action taken is not lost.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table reconciliation_runs (
      id text primary key,
      merchant_id text not null references merchants (id),
      mode text not null check (mode in ('test', 'live')),
      gateway text not null,
      settlement_date text not null check (settlement_date ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}$'),
      time_zone text not null,
      status text not null check (status in ('waiting', 'completed', 'failed')),
      error text,
      counts jsonb not null default '{}',
      totals jsonb not null default '{}',
      attempts integer not null default 1,
      started_at timestamptz not null default now(),
      finished_at timestamptz,
      constraint reconciliation_runs_day unique (merchant_id, mode, gateway, settlement_date)
    )
  `.execute(db);
  await sql`create index reconciliation_runs_merchant_idx on reconciliation_runs (merchant_id, mode, settlement_date desc)`.execute(db);

  await sql`
    create table reconciliation_lines (
      run_id text not null references reconciliation_runs (id) on delete cascade,
      seq integer not null,
      outcome text not null,
      kind text not null check (kind in ('payment', 'refund')),
      our_id text,
      payment_id text,
      order_id text,
      gateway_reference text,
      amount bigint not null,
      currency text not null,
      fee bigint not null,
      occurred_at timestamptz not null,
      raw text not null,
      primary key (run_id, seq)
    )
  `.execute(db);
  await sql`create index reconciliation_lines_payment_idx on reconciliation_lines (payment_id)`.execute(db);

  await sql`
    create table reconciliation_discrepancies (
      id text primary key,
      run_id text not null references reconciliation_runs (id) on delete cascade,
      merchant_id text not null,
      item_key text not null,
      outcome text not null,
      kind text not null check (kind in ('payment', 'refund')),
      our_id text,
      payment_id text,
      order_id text,
      line jsonb,
      entry jsonb,
      action text not null,
      status text not null check (status in ('open', 'applied', 'resolved')),
      note text,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      constraint reconciliation_discrepancies_item unique (run_id, item_key)
    )
  `.execute(db);
  await sql`create index reconciliation_discrepancies_open_idx on reconciliation_discrepancies (merchant_id, status)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table reconciliation_discrepancies`.execute(db);
  await sql`drop table reconciliation_lines`.execute(db);
  await sql`drop table reconciliation_runs`.execute(db);
}
