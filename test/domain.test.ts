import { describe, expect, it } from 'vitest';
import { fromDecimalString, formatMoney, toDecimalString } from '../domain/money.js';
import { decideRefund, refundableAmount, type Refund } from '../domain/order.js';
import { includedTax, priceCart, PricingError, taxOn, type CatalogItem } from '../domain/pricing.js';
import { limitText } from '../gateways/text-limits.js';

describe('money', () => {
  it('converts minor units to decimal strings exactly, by currency exponent', () => {
    expect(toDecimalString(12_345, 'CNY')).toBe('123.45');
    expect(toDecimalString(5, 'CNY')).toBe('0.05');
    expect(toDecimalString(500, 'JPY')).toBe('500');
    expect(toDecimalString(1_234, 'KWD')).toBe('1.234');
    expect(toDecimalString(2_500, 'XOF')).toBe('2500');
    expect(toDecimalString(1_234, 'IQD')).toBe('1.234');
    expect(toDecimalString(12_345, 'CLF')).toBe('1.2345');
    expect(formatMoney(100, 'USD')).toBe('USD 1.00');
  });

  it('parses decimal strings without rounding, refusing extra decimals', () => {
    expect(fromDecimalString('123.45', 'CNY')).toBe(12_345);
    expect(fromDecimalString('0.1', 'CNY')).toBe(10);
    expect(fromDecimalString('7', 'CNY')).toBe(700);
    expect(() => fromDecimalString('1.234', 'CNY')).toThrow(RangeError);
    expect(() => fromDecimalString('-1', 'CNY')).toThrow(RangeError);
    expect(() => toDecimalString(1.5, 'CNY')).toThrow(RangeError);
  });
});

describe('pricing', () => {
  const catalog = new Map<string, CatalogItem>([
    ['TEA', { sku: 'TEA', name: 'Tea', unitAmount: 12_800, currency: 'CNY', active: true }],
    ['OLD', { sku: 'OLD', name: 'Old', unitAmount: 100, currency: 'CNY', active: false }],
    ['USD', { sku: 'USD', name: 'Dollar thing', unitAmount: 100, currency: 'USD', active: true }],
  ]);
  const settings = { currency: 'CNY', shippingFee: 1_000, taxRateBps: 600, pricesIncludeTax: false };

  it('itemises and totals exactly; repeated lines of one sku are merged', () => {
    const quote = priceCart([{ sku: 'TEA', quantity: 1 }, { sku: 'TEA', quantity: 2 }], catalog, settings);
    expect(quote.items).toEqual([{ sku: 'TEA', name: 'Tea', quantity: 3, unitAmount: 12_800, lineTotal: 38_400 }]);
    expect(quote).toMatchObject({ subtotal: 38_400, shippingFee: 1_000, tax: 2_304, total: 41_704, taxIncluded: false });
  });

  it('rounds tax half up once per order', () => {
    expect(taxOn(1_250, 600)).toBe(75);
    expect(taxOn(1_258, 600)).toBe(75); // 75.48
    expect(taxOn(1_259, 600)).toBe(76); // 75.54
    expect(taxOn(25, 2_000)).toBe(5);
  });

  describe('tax-inclusive prices', () => {
    /** Is `tax` the included tax of `gross`, rounded half up? The exact value is gross × rate / (10000 + rate). */
    function roundsHalfUp(gross: number, rateBps: number, tax: number): boolean {
      const d = BigInt(10_000 + rateBps);
      // tax - exact lies in (-1/2, 1/2], i.e. 2 (tax × d - gross × rate) in (-d, d].
      const twice = 2n * (BigInt(tax) * d - BigInt(gross) * BigInt(rateBps));
      return twice > -d && twice <= d;
    }

    it('takes the tax out of a tax-inclusive amount, rounded half up to a whole minor unit', () => {
      expect(includedTax(13_350, 1_300)).toBe(1_536); // 1535.84: "incl. tax ¥15.36" on ¥133.50 at 13%
      expect(includedTax(10_600, 600)).toBe(600); // exactly 600
      expect(includedTax(1, 600)).toBe(0); // 0.057
      expect(includedTax(9, 600)).toBe(1); // 0.509
      expect(includedTax(3, 10_000)).toBe(2); // 1.5, exactly half: up
      expect(includedTax(1, 10_000)).toBe(1); // 0.5
      expect(includedTax(99_999, 900)).toBe(8_257); // 8256.80
      expect(includedTax(12_345, 600)).toBe(699); // 698.77
      expect(includedTax(4_501, 1_300)).toBe(518); // 517.81
      expect(includedTax(5_000, 0)).toBe(0);
      expect(includedTax(Number.MAX_SAFE_INTEGER, 1_300)).toBe(1_036_226_462_934_804); // exact where floating point is not
    });

    it('rounds every line on its own, at several rates and odd amounts; the order pays the prices plus shipping', () => {
      const odd = [1, 3, 7, 9, 49, 99, 101, 997, 1_001, 4_501, 12_345, 13_350, 99_999, 1_234_567];
      const lines = new Map<string, CatalogItem>(odd.map((unitAmount) => [`SKU-${unitAmount}`, { sku: `SKU-${unitAmount}`, name: String(unitAmount), unitAmount, currency: 'CNY', active: true }]));
      const cart = odd.map((unitAmount, i) => ({ sku: `SKU-${unitAmount}`, quantity: (i % 3) + 1 }));
      for (const taxRateBps of [0, 1, 300, 600, 900, 1_300, 1_650, 3_333, 10_000]) {
        const quote = priceCart(cart, lines, { ...settings, taxRateBps, pricesIncludeTax: true });
        for (const item of quote.items) {
          const tax = includedTax(item.lineTotal, taxRateBps);
          expect(roundsHalfUp(item.lineTotal, taxRateBps, tax), `${item.lineTotal} at ${taxRateBps} bps: ${tax}`).toBe(true);
        }
        const subtotal = quote.items.reduce((sum, item) => sum + item.lineTotal, 0);
        expect(quote).toMatchObject({
          subtotal,
          shippingFee: 1_000,
          tax: quote.items.reduce((sum, item) => sum + includedTax(item.lineTotal, taxRateBps), 0),
          total: subtotal + 1_000,
          taxIncluded: true,
        });
      }
    });

    it("sums the lines' rounded taxes rather than rounding the subtotal's", () => {
      const nines = new Map<string, CatalogItem>([
        ['A', { sku: 'A', name: 'A', unitAmount: 9, currency: 'CNY', active: true }],
        ['B', { sku: 'B', name: 'B', unitAmount: 9, currency: 'CNY', active: true }],
      ]);
      const quote = priceCart([{ sku: 'A', quantity: 1 }, { sku: 'B', quantity: 1 }], nines, { ...settings, pricesIncludeTax: true });
      // 0.509 + 0.509 per line, each 1; on the subtotal at once 1.019 would be 1.
      expect(quote).toMatchObject({ subtotal: 18, tax: 2, total: 1_018, taxIncluded: true });
      expect(includedTax(18, 600)).toBe(1);
    });
  });

  it('lists every problem: unknown, inactive, other currency', () => {
    try {
      priceCart([{ sku: 'NOPE', quantity: 1 }, { sku: 'OLD', quantity: 1 }, { sku: 'USD', quantity: 1 }], catalog, settings);
      expect.unreachable();
    } catch (error) {
      expect((error as PricingError).problems).toEqual([
        { code: 'unknown_sku', sku: 'NOPE' },
        { code: 'inactive_product', sku: 'OLD' },
        { code: 'currency_mismatch', sku: 'USD', currency: 'USD' },
      ]);
    }
  });
});

describe('refund policy', () => {
  const refund = (amount: number, status: Refund['status']): Refund => ({ id: 'r', paymentId: 'p', amount, currency: 'CNY', reason: 'x', status, initiatedBy: 'customer', createdAt: '', updatedAt: '' });
  const policy = { refundApprovalThreshold: 10_000 };
  const paid = { status: 'paid' as const, paidAmount: 30_000, refunds: [] as Refund[] };

  it('approves a small customer refund before shipping automatically', () => {
    expect(decideRefund(paid, { amount: 5_000, actor: 'customer' }, policy)).toEqual({ outcome: 'processing' });
  });

  it('asks the merchant above the threshold or after shipping', () => {
    expect(decideRefund(paid, { amount: 10_001, actor: 'customer' }, policy)).toEqual({ outcome: 'pending_approval' });
    expect(decideRefund({ ...paid, status: 'shipped' }, { amount: 1, actor: 'customer' }, policy)).toEqual({ outcome: 'pending_approval' });
    expect(decideRefund({ ...paid, status: 'delivered' }, { amount: 1, actor: 'merchant' }, policy)).toEqual({ outcome: 'processing' });
  });

  it('never lets refunds exceed what was paid, counting refunds under way but not failed or rejected ones', () => {
    const state = { ...paid, refunds: [refund(10_000, 'succeeded'), refund(5_000, 'pending_approval'), refund(9_000, 'failed'), refund(1_000, 'rejected')] };
    expect(refundableAmount(state)).toBe(15_000);
    expect(decideRefund(state, { amount: 15_001, actor: 'merchant' }, policy)).toMatchObject({ outcome: 'refuse', code: 'refund_exceeds_paid' });
    expect(decideRefund(state, { amount: 15_000, actor: 'merchant' }, policy)).toEqual({ outcome: 'processing' });
  });

  it('refuses after completion, before payment, and non-positive amounts', () => {
    expect(decideRefund({ ...paid, status: 'completed' }, { amount: 1, actor: 'customer' }, policy)).toMatchObject({ code: 'refund_window_closed' });
    expect(decideRefund({ ...paid, status: 'awaiting_payment', paidAmount: 0 }, { amount: 1, actor: 'merchant' }, policy)).toMatchObject({ code: 'not_paid' });
    expect(decideRefund(paid, { amount: 0, actor: 'merchant' }, policy)).toMatchObject({ code: 'invalid_amount' });
  });
});

describe('gateway text limits', () => {
  it('cut by character, never through an emoji', () => {
    expect(limitText('茶叶礼盒', 2)).toBe('茶叶');
    expect(limitText('ab🍵c', 3)).toBe('ab🍵');
    expect(limitText('ab🍵c', 2)).toBe('ab');
    expect(limitText('🍵'.repeat(200), 127)).toBe('🍵'.repeat(127));
    expect(limitText('short', 80)).toBe('short');
  });
});
