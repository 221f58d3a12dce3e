// A gateway's statement of one settlement day, whichever gateway wrote it: the lines reconciliation
// matches against Paystead's payments and refunds. Adapters produce it from the gateway's own file format
// (Alipay's GBK CSV, WeChat Pay's trade bill, UnionPay's settlement files, Stripe's balance transactions).

/** One settlement day in a time zone: `2026-12-02` in `Asia/Shanghai` is 2026-12-01T16:00Z to 2026-12-02T16:00Z. */
export interface SettlementDay {
  /** `YYYY-MM-DD`. */
  date: string;
  /** IANA zone the gateway settles in. */
  timeZone: string;
}

export interface StatementLine {
  kind: 'payment' | 'refund';
  /**
   * Our id as the gateway keeps it: the payment id (out-trade-number) for a payment line, the refund id
   * (refund request number) for a refund line. Absent for a refund made in the gateway's own dashboard
   * that carries no number of ours.
   */
  ourId?: string;
  /** For a refund line, our payment id it belongs to. */
  paymentId?: string;
  /** The gateway's own reference for this payment or refund. */
  gatewayReference?: string;
  /** Positive, in minor units of `currency`. */
  amount: number;
  currency: string;
  /** What the gateway charged for this line, minor units (0 when none); negative when a fee is returned. */
  fee: number;
  /** ISO time the gateway gives for the line. */
  occurredAt: string;
  /** The line as the gateway wrote it (decoded to UTF-8), for people to read beside a discrepancy. */
  raw: string;
}

export interface GatewayStatement {
  day: SettlementDay;
  lines: StatementLine[];
}

/** What reconciliation found for one of our payments or refunds, or one statement line. */
export type ReconciliationOutcome =
  | 'matched'
  /** A payment we never heard of, or a refund made in the gateway's dashboard. */
  | 'gateway_only'
  /** We think it paid or refunded; the gateway does not. */
  | 'paystead_only'
  | 'amount_mismatch'
  | 'status_mismatch';
