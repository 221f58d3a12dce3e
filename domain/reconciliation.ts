// Reconciliation of one settlement day: our payments and refunds against a gateway's statement lines, by
// our own ids, into what matched and what did not. Pure: the reconciliation workflow's activities feed it
// and store what it returns.
import type { ReconciliationOutcome, SettlementDay, StatementLine } from './gateway-statements.js';
import type { GatewayName } from './gateways.js';

/**
 * The zone a gateway's settlement day is counted in: Beijing time for the Chinese gateways, UTC for
 * Stripe, and the merchant's own zone for the built-in sandbox.
 */
export function settlementTimeZone(gateway: GatewayName, merchantTimeZone: string): string {
  if (gateway === 'stripe') return 'UTC';
  if (gateway === 'sandbox') return merchantTimeZone;
  return 'Asia/Shanghai';
}

/** One of our payments or refunds as our books hold it. */
export interface BookEntry {
  kind: 'payment' | 'refund';
  /** Our payment id or refund id. */
  id: string;
  orderId: string;
  /** The payment itself, or the payment a refund belongs to. */
  paymentId: string;
  /** Money moved on our books: a payment succeeded, a refund succeeded. */
  settled: boolean;
  /** Our status, for people to read beside a discrepancy. */
  status: string;
  /** What was captured (payments) or refunded, minor units. */
  amount: number;
  currency: string;
  /** Settled within the day: the only entries the statement must show. */
  inDay: boolean;
  /** The gateway's reference: how a line without our id (a refund made at the gateway) finds its entry. */
  gatewayReference?: string;
}

export interface ReconciliationItem {
  outcome: ReconciliationOutcome;
  kind: 'payment' | 'refund';
  /** Our id, from the line or our books. */
  ourId?: string;
  /** The payment the item belongs to, when known. */
  paymentId?: string;
  /** The order, when our books know the payment or refund. */
  orderId?: string;
  line?: StatementLine;
  entry?: BookEntry;
}

export interface ReconciliationTotals {
  payments: { count: number; amount: number };
  refunds: { count: number; amount: number };
  /** What the gateway charged, summed over the statement's lines. */
  fees: number;
}

export interface Reconciliation {
  items: ReconciliationItem[];
  counts: Record<ReconciliationOutcome, number>;
  /** Of the statement, per currency: reconciliation never adds money of different currencies. */
  totals: Record<string, ReconciliationTotals>;
  /** Fees per our payment id, summed over its lines (a returned fee counts negative). */
  feesByPayment: Record<string, number>;
}

const key = (kind: BookEntry['kind'], id: string) => `${kind}:${id}`;

function compare(line: StatementLine, entry: BookEntry): ReconciliationOutcome {
  if (!entry.settled) return 'status_mismatch';
  if (line.amount !== entry.amount || line.currency !== entry.currency) return 'amount_mismatch';
  return 'matched';
}

function emptyCounts(): Record<ReconciliationOutcome, number> {
  return { matched: 0, gateway_only: 0, paystead_only: 0, amount_mismatch: 0, status_mismatch: 0 };
}

/**
 * Matches the day's statement against our books: every line finds our entry of its kind by our id (a
 * refund line without one is the gateway's own, a dashboard refund); an entry settled within the day that
 * no line names is ours only. A line without our id finds an entry by the gateway's reference (a refund
 * made at the gateway, once recorded on its order). `books` holds the day's settled entries and any entry a line names.
 * Several lines naming one entry (a refund repeated, say) match it once; the others are gateway-only.
 */
export function reconcile(lines: readonly StatementLine[], books: readonly BookEntry[]): Reconciliation {
  const byKey = new Map(books.map((entry) => [key(entry.kind, entry.id), entry]));
  const byReference = new Map(books.filter((entry) => entry.gatewayReference !== undefined).map((entry) => [key(entry.kind, entry.gatewayReference!), entry]));
  const claimed = new Set<string>();
  const items: ReconciliationItem[] = [];
  const totals: Record<string, ReconciliationTotals> = {};
  const feesByPayment: Record<string, number> = {};

  for (const line of lines) {
    const total = (totals[line.currency] ??= { payments: { count: 0, amount: 0 }, refunds: { count: 0, amount: 0 }, fees: 0 });
    const side = line.kind === 'payment' ? total.payments : total.refunds;
    side.count += 1;
    side.amount += line.amount;
    total.fees += line.fee;

    const found = line.ourId !== undefined ? byKey.get(key(line.kind, line.ourId)) : line.gatewayReference !== undefined ? byReference.get(key(line.kind, line.gatewayReference)) : undefined;
    const k = found && key(found.kind, found.id);
    const entry = k === undefined || claimed.has(k) ? undefined : found;
    if (k !== undefined && entry) claimed.add(k);
    const paymentId = entry?.paymentId ?? (line.kind === 'payment' ? line.ourId : line.paymentId);
    if (paymentId !== undefined && line.fee !== 0) feesByPayment[paymentId] = (feesByPayment[paymentId] ?? 0) + line.fee;
    items.push({
      outcome: entry ? compare(line, entry) : 'gateway_only',
      kind: line.kind,
      ...(line.ourId !== undefined && { ourId: line.ourId }),
      ...(paymentId !== undefined && { paymentId }),
      ...(entry && { orderId: entry.orderId, entry }),
      line,
    });
  }

  for (const entry of books) {
    if (!entry.settled || !entry.inDay || claimed.has(key(entry.kind, entry.id))) continue;
    items.push({ outcome: 'paystead_only', kind: entry.kind, ourId: entry.id, paymentId: entry.paymentId, orderId: entry.orderId, entry });
  }

  const counts = emptyCounts();
  for (const item of items) counts[item.outcome] += 1;
  return { items, counts, totals, feesByPayment };
}

/**
 * A stable name for an item within its day, whichever run found it: a rerun finds the same discrepancy
 * under the same key, so its resolution is kept and it is acted on once.
 */
export function itemKey(item: Pick<ReconciliationItem, 'kind' | 'ourId' | 'line'>): string {
  const id = item.ourId ?? item.line?.gatewayReference ?? `${item.line?.occurredAt ?? ''}:${item.line?.amount ?? ''}`;
  return `${item.kind}:${id}`;
}

/**
 * What reconciliation does about an item on its own, through the order's workflow: a refund the gateway
 * made that our books lack is recorded on its order; a payment the gateway took that we still think
 * unpaid moves the order as its notification would have. Anything else waits for a person.
 */
export type ItemAction = 'none' | 'record_external_refund' | 'deliver_payment' | 'open';

export function actionFor(item: ReconciliationItem): ItemAction {
  if (item.outcome === 'matched') return 'none';
  if (item.kind === 'refund' && item.outcome === 'gateway_only' && item.paymentId !== undefined) return 'record_external_refund';
  if (item.kind === 'payment' && item.outcome === 'status_mismatch' && item.entry?.status === 'pending') return 'deliver_payment';
  return 'open';
}

/** The day before `instant` in `timeZone`: the default settlement day of a run at that instant. */
export function previousDay(instant: Date, timeZone: string): SettlementDay {
  return { date: addDays(localDate(instant, timeZone), -1), timeZone };
}

/** `YYYY-MM-DD` of an instant in a time zone. */
export function localDate(instant: Date, timeZone: string): string {
  // en-CA writes dates as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(instant);
}

export function addDays(date: string, days: number): string {
  const t = Date.parse(`${date}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

/** The instants a settlement day covers: [start, end). */
export function dayBounds(day: SettlementDay): { start: Date; end: Date } {
  return { start: zonedMidnight(day.date, day.timeZone), end: zonedMidnight(addDays(day.date, 1), day.timeZone) };
}

/**
 * The instants a gateway's settlement day covers. UnionPay's day ends at 23:00 Beijing time and is named
 * by the date it ends on; the others end at midnight in their zone.
 */
export function settlementDayBounds(gateway: GatewayName, day: SettlementDay): { start: Date; end: Date } {
  const { start, end } = dayBounds(day);
  const early = gateway === 'unionpay' ? 3_600_000 : 0;
  return { start: new Date(start.getTime() - early), end: new Date(end.getTime() - early) };
}

/** Midnight at the start of `date` in `timeZone`, as an instant. */
function zonedMidnight(date: string, timeZone: string): Date {
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  // The zone's offset at that instant, then once more at the corrected instant (a change of offset that day).
  let guess = utcMidnight - offsetMs(new Date(utcMidnight), timeZone);
  guess = utcMidnight - offsetMs(new Date(guess), timeZone);
  return new Date(guess);
}

function offsetMs(instant: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant.getTime() / 1000) * 1000;
}

/** Every date from `from` to `to`, both included; none when `from` is after `to`. */
export function datesBetween(from: string, to: string): string[] {
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) dates.push(d);
  return dates;
}
