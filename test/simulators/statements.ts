// What every simulated gateway's statements share: when a day's statement is ready (the morning after the
// day, Beijing time, unless a test closes the day at once), the fee charged, and the faults a test can
// plant in the next statement served.

/** `truncated`: the file stops part way; `malformed`: a line is garbled; `wrongHash`: the file does not match the hash announced (WeChat Pay). */
export type StatementFault = 'truncated' | 'malformed' | 'wrongHash';

const HOUR_MS = 3_600_000;

/** The Beijing date of an instant, `YYYY-MM-DD`. */
export function beijingDate(ms: number): string {
  return new Date(ms + 8 * HOUR_MS).toISOString().slice(0, 10);
}

export interface StatementOptions {
  /** The fee rate charged on payments and returned on refunds (default 0.6 %). */
  feeRate?: number;
  /** Hours after the day ends (Beijing midnight) until its statement is made. */
  readyAfterHours: number;
}

export function createStatementDesk({ feeRate = 0.006, readyAfterHours }: StatementOptions) {
  const closed = new Set<string>();
  const faults: StatementFault[] = [];
  return {
    /** The fee on an amount, rounded to the fen. */
    fee: (fen: number) => Math.round(fen * feeRate),
    feeRate,
    /** Whether the statement of `date` has been made. */
    ready(date: string): boolean {
      return closed.has(date) || Date.now() >= Date.parse(`${date}T00:00:00+08:00`) + (24 + readyAfterHours) * HOUR_MS;
    },
    /** The gateway makes the day's statement now, whatever the hour (more may still happen that day). */
    closeDay(date: string): void {
      closed.add(date);
    },
    failNext(fault: StatementFault): void {
      faults.push(fault);
    },
    /** The fault planted for this statement, if any (each is used once). */
    takeFault: (): StatementFault | undefined => faults.shift(),
  };
}

export type StatementDesk = ReturnType<typeof createStatementDesk>;
