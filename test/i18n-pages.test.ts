// The pages in Chinese: rendered from fixtures (no stack), every status and section, and nothing of the
// English catalog nor a raw message key may show. English renders the same fixtures with the English words.
import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../core/i18n/catalog-en.js';
import { wordsFor } from '../core/i18n/messages.js';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order.js';
import { renderMessagePage, renderOrderPage } from '../pages/customer/views.js';
import type { CustomerOrder } from '../services/order-reads.js';

const at = '2026-12-03T07:41:00.000Z';
const later = '2026-12-03T08:11:00.000Z';

function fixture(status: OrderStatus, overrides: Partial<CustomerOrder['order']> = {}): CustomerOrder {
  const payment = { id: 'pay_1', gateway: 'wechatpay', status: status === 'awaiting_payment' ? 'pending' : 'succeeded', amount: 28_136, currency: 'CNY', capturedAmount: null, capturedCurrency: null, gatewayReference: null, expiresAt: later, paidAt: status === 'awaiting_payment' ? null : at, createdAt: at,
    action: { type: 'qr_code', code: 'weixin://wxpay/bizpayurl?pr=abc123', url: 'https://pay.example/qr' } };
  const refunds = (['pending_approval', 'processing', 'succeeded', 'failed', 'rejected'] as const).map((refundStatus, i) => ({
    id: `rf_${i}`, paymentId: 'pay_1', amount: 100, currency: 'CNY', reason: '杯子碎了', status: refundStatus, initiatedBy: i % 2 ? 'merchant' : 'customer', note: '好的', gatewayReference: null, failureReason: refundStatus === 'failed' ? 'ERR_42' : null, createdAt: at, updatedAt: at,
  }));
  const order = {
    id: 'ord_1', orderNo: 'PS-20261203-0001', livemode: false, status, statusReason: null, currency: 'CNY', subtotal: 28_136, shippingFee: 1_000, tax: 1_536, taxIncluded: true, total: 29_136, paidAmount: status === 'awaiting_payment' ? 0 : 29_136, refundedAmount: status === 'refunded' ? 29_136 : 0,
    items: [{ sku: 'TEA', name: '龙井茶', quantity: 2, unitAmount: 14_068, lineTotal: 28_136 }],
    customer: { name: '王小明', email: 'wang@example.cn', phone: '13800000000' },
    shippingAddress: { line1: '南京路 100 号', line2: '3 楼', city: '上海', region: '上海', postalCode: '200001', country: 'CN' },
    paymentMethod: 'wechatpay', payments: [payment], refunds: status === 'awaiting_payment' ? [] : refunds,
    shipment: status === 'shipped' || status === 'delivered' ? { carrier: '顺丰', trackingNumber: 'SF123', shippedAt: at, ...(status === 'delivered' && { deliveredAt: later }) } : undefined,
    timeline: [{ seq: 1, at, status: 'awaiting_payment', event: 'order_created', actor: 'customer', message: null }, { seq: 2, at, status, event: status === 'expired' ? 'expired' : 'payment_succeeded', actor: 'system', message: null }],
    alerts: [], viewToken: 'token_token_token_token', createdAt: at, updatedAt: at, ...overrides,
  };
  return { order, version: 3, merchantName: '茶馆', livemode: false, language: { locale: 'zh-CN', timeZone: 'Asia/Shanghai' }, refund: { refundable: 500, afterShipping: false, approvalThreshold: 100_000 } } as unknown as CustomerOrder;
}

async function pages(locale: 'en' | 'zh-CN'): Promise<string[]> {
  const words = wordsFor(locale, 'Asia/Shanghai');
  const orders = [
    ...ORDER_STATUSES.map((status) => fixture(status)),
    fixture('cancelled', { statusReason: 'Cancelled before payment.', timeline: [{ seq: 1, at, status: 'cancelled', event: 'cancelled', actor: 'customer' }] } as never),
    fixture('expired', { statusReason: 'The payment window closed before payment.', paidAmount: 0 }),
    fixture('shipped', { taxIncluded: false }),
  ];
  const rendered = await Promise.all(orders.map((data) => renderOrderPage({ data, token: 'token_token_token_token', formToken: 'f', nonce: 'n', words, notice: { kind: 'success', text: '' } })));
  rendered.push(await renderMessagePage({ title: words.t('error.not_found.title'), message: words.t('error.not_found.text'), nonce: 'n', words }));
  // hono/jsx renders to String objects.
  return rendered.map(String);
}

/** What a person reads: markup without the stylesheet and script (attributes such as aria-label stay). */
const readable = (html: string) => html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<script[\s\S]*?<\/script>/g, '');

/** The English sentences: each catalog text's literal pieces of two words or more. */
const englishPieces = (Object.keys(en) as MessageKey[])
  .filter((key) => key !== 'locale.name')
  .flatMap((key) => en[key].split(/\{\w+\}/))
  .map((piece) => piece.trim())
  .filter((piece) => /[A-Za-z]{2,}\s+[A-Za-z]{2,}/.test(piece));

describe('pages in Chinese', () => {
  it('render no English catalog sentence and no raw message key, with lang="zh-CN"', async () => {
    expect(englishPieces.length).toBeGreaterThan(100);
    for (const html of await pages('zh-CN')) {
      expect(html).toContain('<html lang="zh-CN">');
      const text = readable(html);
      expect(englishPieces.filter((piece) => text.includes(piece))).toEqual([]);
      expect((Object.keys(en) as MessageKey[]).filter((key) => text.includes(key))).toEqual([]);
    }
  });

  it('show money and times as Chinese shops do, in the merchant time zone, with the tax included', async () => {
    const [awaiting] = await pages('zh-CN');
    expect(awaiting).toContain('¥291.36');
    expect(awaiting).toContain('含税 ¥15.36');
    expect(awaiting).toContain('2026年12月3日 15:41');
    expect(awaiting).not.toContain('UTC');
    expect(awaiting).toContain('English</a>');
  });

  it('renders old rows whose reason is a stored English sentence in Chinese', async () => {
    const all = await pages('zh-CN');
    expect(all.some((html) => html.includes('原因：付款前已取消。'))).toBe(true);
    expect(all.some((html) => html.includes('原因：付款时间已过，未收到付款。'))).toBe(true);
  });

  it('render in English from the same fixtures', async () => {
    const [awaiting] = await pages('en');
    expect(awaiting).toContain('<html lang="en">');
    expect(awaiting).toContain('Pay CN¥291.36');
    expect(awaiting).toContain('Dec 3, 2026, 3:41 PM');
    expect(awaiting).toContain('简体中文</a>');
  });
});
