import { describe, expect, it } from 'vitest';
import type { StatementLine } from '../domain/gateway-statements.js';
import { actionFor, dayBounds, itemKey, settlementDayBounds, previousDay, reconcile, settlementTimeZone, type BookEntry } from '../domain/reconciliation.js';

const line = (over: Partial<StatementLine>): StatementLine => ({ kind: 'payment', amount: 1000, currency: 'CNY', fee: 6, occurredAt: '2026-12-02T02:00:00Z', raw: 'raw', ...over });
const entry = (over: Partial<BookEntry>): BookEntry => ({ kind: 'payment', id: 'pay_1', orderId: 'ord_1', paymentId: 'pay_1', settled: true, status: 'succeeded', amount: 1000, currency: 'CNY', inDay: true, ...over });

describe('reconcile: one line against our books', () => {
  const cases: Array<{ name: string; lines: StatementLine[]; books: BookEntry[]; outcomes: string[]; actions: string[] }> = [
    { name: 'a payment on both sides', lines: [line({ ourId: 'pay_1' })], books: [entry({})], outcomes: ['matched'], actions: ['none'] },
    { name: 'a refund on both sides', lines: [line({ kind: 'refund', ourId: 'rf_1', paymentId: 'pay_1', amount: 300, fee: -2 })], books: [entry({ kind: 'refund', id: 'rf_1', amount: 300 })], outcomes: ['matched'], actions: ['none'] },
    { name: 'a payment we never heard of', lines: [line({ ourId: 'pay_x' })], books: [], outcomes: ['gateway_only'], actions: ['open'] },
    { name: 'a dashboard refund without our number', lines: [line({ kind: 'refund', paymentId: 'pay_1', amount: 200, gatewayReference: 'R9' })], books: [entry({ inDay: false })], outcomes: ['gateway_only'], actions: ['record_external_refund'] },
    { name: 'a dashboard refund with a number not ours', lines: [line({ kind: 'refund', ourId: 'dash_1', paymentId: 'pay_1', amount: 200 })], books: [], outcomes: ['gateway_only'], actions: ['record_external_refund'] },
    { name: 'a dashboard refund once recorded on its order, by reference', lines: [line({ kind: 'refund', paymentId: 'pay_1', amount: 200, gatewayReference: 'R9' })], books: [entry({ kind: 'refund', id: 'ext_R9', amount: 200, gatewayReference: 'R9' })], outcomes: ['matched'], actions: ['none'] },
    { name: 'a refund of no payment we can name', lines: [line({ kind: 'refund', amount: 200 })], books: [], outcomes: ['gateway_only'], actions: ['open'] },
    { name: 'a payment the gateway lacks', lines: [], books: [entry({})], outcomes: ['paystead_only'], actions: ['open'] },
    { name: 'a refund the gateway lacks', lines: [], books: [entry({ kind: 'refund', id: 'rf_1' })], outcomes: ['paystead_only'], actions: ['open'] },
    { name: 'settled on another day: not expected on this statement', lines: [], books: [entry({ inDay: false })], outcomes: [], actions: [] },
    { name: 'not settled on our side and absent at the gateway', lines: [], books: [entry({ settled: false, status: 'closed' })], outcomes: [], actions: [] },
    { name: 'another amount', lines: [line({ ourId: 'pay_1', amount: 999 })], books: [entry({})], outcomes: ['amount_mismatch'], actions: ['open'] },
    { name: 'another currency', lines: [line({ ourId: 'pay_1', currency: 'USD' })], books: [entry({})], outcomes: ['amount_mismatch'], actions: ['open'] },
    { name: 'paid at the gateway, still pending with us', lines: [line({ ourId: 'pay_1' })], books: [entry({ settled: false, status: 'pending', inDay: false })], outcomes: ['status_mismatch'], actions: ['deliver_payment'] },
    { name: 'paid at the gateway, closed with us', lines: [line({ ourId: 'pay_1' })], books: [entry({ settled: false, status: 'closed', inDay: false })], outcomes: ['status_mismatch'], actions: ['open'] },
    { name: 'refunded at the gateway, failed with us', lines: [line({ kind: 'refund', ourId: 'rf_1', paymentId: 'pay_1' })], books: [entry({ kind: 'refund', id: 'rf_1', settled: false, status: 'failed' })], outcomes: ['status_mismatch'], actions: ['open'] },
    { name: 'a refund line never matches a payment of the same id', lines: [line({ kind: 'refund', ourId: 'pay_1', paymentId: 'pay_1' })], books: [entry({})], outcomes: ['gateway_only', 'paystead_only'], actions: ['record_external_refund', 'open'] },
    { name: 'one entry named twice: the second line is the gateway\'s alone', lines: [line({ ourId: 'pay_1' }), line({ ourId: 'pay_1' })], books: [entry({})], outcomes: ['matched', 'gateway_only'], actions: ['none', 'open'] },
  ];

  for (const c of cases) {
    it(c.name, () => {
      const result = reconcile(c.lines, c.books);
      expect(result.items.map((i) => i.outcome)).toEqual(c.outcomes);
      expect(result.items.map(actionFor)).toEqual(c.actions);
      expect(Object.values(result.counts).reduce((a, b) => a + b, 0)).toBe(c.outcomes.length);
    });
  }
});

describe('reconcile: a day', () => {
  it('counts, totals per currency and fees per payment (returned fees negative)', () => {
    const lines = [
      line({ ourId: 'pay_1', amount: 1000, fee: 6 }),
      line({ ourId: 'pay_2', amount: 2000, fee: 12 }),
      line({ kind: 'refund', ourId: 'rf_1', paymentId: 'pay_1', amount: 1000, fee: -6 }),
      line({ ourId: 'pay_3', amount: 500, currency: 'USD', fee: 45 }),
    ];
    const books = [
      entry({ id: 'pay_1', paymentId: 'pay_1' }),
      entry({ id: 'pay_2', paymentId: 'pay_2', amount: 2000 }),
      entry({ kind: 'refund', id: 'rf_1', paymentId: 'pay_1' }),
      entry({ id: 'pay_3', paymentId: 'pay_3', amount: 500, currency: 'USD' }),
    ];
    const result = reconcile(lines, books);
    expect(result.counts).toEqual({ matched: 4, gateway_only: 0, paystead_only: 0, amount_mismatch: 0, status_mismatch: 0 });
    expect(result.totals).toEqual({
      CNY: { payments: { count: 2, amount: 3000 }, refunds: { count: 1, amount: 1000 }, fees: 12 },
      USD: { payments: { count: 1, amount: 500 }, refunds: { count: 0, amount: 0 }, fees: 45 },
    });
    expect(result.feesByPayment).toEqual({ pay_1: 0, pay_2: 12, pay_3: 45 });
    expect(result.items.every((i) => i.orderId === 'ord_1')).toBe(true);
  });

  it('names an item the same way in every run', () => {
    expect(itemKey({ kind: 'refund', ourId: 'rf_1' })).toBe('refund:rf_1');
    expect(itemKey({ kind: 'refund', line: line({ kind: 'refund', gatewayReference: 'R9' }) })).toBe('refund:R9');
  });
});

describe('settlement days', () => {
  it('yesterday in Beijing for the Chinese gateways, in UTC for Stripe, in the merchant\'s zone for the sandbox', () => {
    const at = new Date('2026-12-02T17:30:00Z'); // 01:30 on 3 December in Beijing
    expect(previousDay(at, settlementTimeZone('alipay', 'Europe/Paris'))).toEqual({ date: '2026-12-02', timeZone: 'Asia/Shanghai' });
    expect(previousDay(at, settlementTimeZone('stripe', 'Asia/Shanghai'))).toEqual({ date: '2026-12-01', timeZone: 'UTC' });
    expect(settlementTimeZone('sandbox', 'Europe/Paris')).toBe('Europe/Paris');
  });

  it('covers the day in its zone, including a day the offset changes', () => {
    expect(dayBounds({ date: '2026-12-02', timeZone: 'Asia/Shanghai' })).toEqual({ start: new Date('2026-12-01T16:00:00Z'), end: new Date('2026-12-02T16:00:00Z') });
    expect(dayBounds({ date: '2026-03-29', timeZone: 'Europe/Paris' })).toEqual({ start: new Date('2026-03-28T23:00:00Z'), end: new Date('2026-03-29T22:00:00Z') });
  });

  it("counts our books for UnionPay's day from 23:00 Beijing time the evening before to 23:00, as its statement does", () => {
    const day = { date: '2026-12-02', timeZone: 'Asia/Shanghai' };
    expect(settlementDayBounds('unionpay', day)).toEqual({ start: new Date('2026-12-01T15:00:00Z'), end: new Date('2026-12-02T15:00:00Z') });
    expect(settlementDayBounds('alipay', day)).toEqual(dayBounds(day));
    expect(settlementDayBounds('wechatpay', day)).toEqual(dayBounds(day));
  });
});
