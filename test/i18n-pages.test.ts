// The pages in Chinese: rendered from fixtures (no stack), every status and section, and nothing of the
// English catalog nor a raw message key may show. English renders the same fixtures with the English words.
import { describe, expect, it } from 'vitest';
import { en, type MessageKey } from '../core/i18n/catalog-en.js';
import { wordsFor } from '../core/i18n/messages.js';
import { MERCHANT_EVENT_TYPES } from '../domain/merchant-events.js';
import { ORDER_STATUSES, type OrderStatus } from '../domain/order.js';
import { jsx } from 'hono/jsx';
import { ApiError } from '../core/errors.js';
import { describeIssues, parseMoney, parsePercent, parseWhole, type Problem } from '../pages/admin/forms.js';
import { refusalWords } from '../pages/admin/refusal-words.js';
import { SETTINGS_FIELDS } from '../pages/admin/settings-fields.js';
import { ErrorPage, NotFoundPage } from '../pages/admin/views/errors.js';
import { LoginPage } from '../pages/admin/views/login.js';
import { OrderPage } from '../pages/admin/views/order.js';
import { OrdersPage } from '../pages/admin/views/orders.js';
import { SettingsPage, type FailedForm } from '../pages/admin/views/settings.js';
import { WebhookSecretPage } from '../pages/admin/views/webhooks.js';
import { renderMessagePage, renderOrderPage } from '../pages/customer/views.js';
import type { DeliveryView, EndpointView } from '../services/merchant-webhooks.js';
import type { CustomerOrder } from '../services/order-reads.js';
import { SettingsPatchSchema } from '../services/settings.js';

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

/** Words of two or more English words in a row, in text and in the attributes people hear or see. */
function englishRuns(html: string): string[] {
  const page = readable(html);
  const heard = [...page.matchAll(/\s(?:aria-label|data-label|title|placeholder|alt)="([^"]*)"/g)].map((m) => m[1]!);
  const text = [...heard, page.replace(/<[^>]*>/g, '\n')].join('\n').replace(/&#39;|&quot;|&amp;|&lt;|&gt;/g, ' ');
  return [...text.matchAll(/[A-Za-z][A-Za-z’']+(?:[ \t]+[A-Za-z][A-Za-z’']+)+/g)].map((m) => m[0]).filter((run) => !ALLOWED_RUNS.some((allowed) => run.includes(allowed)));
}

/** Names and commands that stay as they are in Chinese: the product names of an API, a shell command, html's doctype. */
const ALLOWED_RUNS = ['DOCTYPE html', 'Checkout Sessions', 'openssl pkcs', 'in acp', 'Temporal Web UI'];

describe('admin pages in Chinese', () => {
  const zh = wordsFor('zh-CN', 'Asia/Shanghai');
  const chrome = (words = zh) => ({ nonce: 'n', csrfToken: 'c', merchantName: '茶馆', mode: { current: 'test' as const, switchable: true }, words, here: '/admin?status=paid&flash=f1', todoCount: 3 });
  const merchant = (status: 'active' | 'pending_verification' | 'suspended') =>
    ({ id: 'mer_1', name: '茶馆', contactEmail: 'shop@example.cn', contactPhone: null, businessLicenceNo: '91310000', taxRegistrationNo: '91310000', status, verifiedAt: status === 'active' ? at : null }) as never;
  const settings = { currency: 'CNY', shippingFee: 1_000, taxRateBps: 600, pricesIncludeTax: true, paymentWindowSeconds: 900, paymentCheckIntervalSeconds: 30, latePaymentGraceSeconds: 600, autoConfirm: false, refundWindowSeconds: 604_800, refundApprovalThreshold: 100_000, emailSenderName: null, emailReplyTo: null, locale: 'zh-CN', timeZone: 'Asia/Shanghai' } as never;
  const endpoints: EndpointView[] = [
    { id: 'we_1', url: 'https://shop.example.cn/hooks', eventTypes: ['order.paid'] as const, enabled: true, disabledReason: null, livemode: false, failingSince: at, previousSecretExpiresAt: later, createdAt: at },
    { id: 'we_2', url: 'https://old.example.cn/hooks', eventTypes: ['order.paid'] as const, enabled: false, disabledReason: '连续失败 3 天', livemode: false, failingSince: null, previousSecretExpiresAt: null, createdAt: at },
  ];
  const deliveries: DeliveryView[] = [{ id: 'wd_1', eventId: 'ev_1', type: 'order.paid', endpointId: 'we_1', url: 'https://shop.example.cn/hooks', orderId: 'ord_1', status: 'failed', createdAt: at, attempts: [{ at, statusCode: 500, durationMs: 42, responseExcerpt: '', error: null }] }];

  /** Every order status, a refund waiting for a decision, and a payment captured with another amount. */
  function orderPages(words = zh) {
    const orders = [
      ...ORDER_STATUSES.map((status) => fixture(status).order),
      { ...fixture('paid').order, refunds: [{ ...fixture('paid').order.refunds[0]!, status: 'pending_approval' }] },
      { ...fixture('needs_review').order, payments: [{ ...fixture('needs_review').order.payments[0]!, capturedAmount: 20_000, capturedCurrency: 'CNY' }] },
    ];
    return orders.map((order) => jsx(OrderPage, { ...chrome(words), order: order as never, refundable: 500, workflow: { id: 'order-ord_1', url: 'http://temporal.example/ord_1' }, deliveries, flash: { kind: 'success', message: words.t('admin.done.confirm') } }));
  }

  /** The settings page with each form failed in turn, its problems worded by the same functions the routes use. */
  function settingsPages(words = zh) {
    const problems: Problem[] = [];
    parseMoney('12.505', 'CNY', SETTINGS_FIELDS.shippingFee, problems, words);
    parseWhole('', SETTINGS_FIELDS.paymentWindowSeconds, problems, words);
    parsePercent('6%', SETTINGS_FIELDS.taxRateBps, problems, words);
    const parsed = SettingsPatchSchema.safeParse({ paymentWindowSeconds: 5, timeZone: 'Mars/Olympus', emailSenderName: 'x'.repeat(101) });
    if (!parsed.success) problems.push(...describeIssues(parsed.error.issues, SETTINGS_FIELDS, 'CNY', words));
    expect(problems.length).toBeGreaterThanOrEqual(5);
    const forms: FailedForm[] = [
      { form: 'settings', problems, values: {} },
      { form: 'product-new', problems: [{ field: 'product-new-sku', message: words.t('refusal.sku_exists') }], values: { sku: 'TEA' } },
      { form: 'gateway-stripe', problems: [{ field: 'gateway-stripe-secretKey', message: words.t('form.credential.prefix', { field: 'x', prefixes: 'sk_test_', mode: words.t('admin.mode.name.test') }) }], values: {} },
    ];
    const products = [{ sku: 'TEA', name: '龙井茶', unitAmount: 12_800, currency: 'CNY', active: true }, { sku: 'CUP', name: '茶杯', unitAmount: 4_500, currency: 'CNY', active: false }] as never;
    return (['active', 'pending_verification', 'suspended'] as const).map((status, i) =>
      jsx(SettingsPage, { ...chrome(words), merchant: merchant(status), settings, products, configured: ['alipay'], webhookEndpoints: endpoints, failed: forms[i] }),
    );
  }

  function adminPages(words = zh) {
    const refused = refusalWords(new ApiError(409, 'order_conflict', 'Only an order that is confirmed can be shipped; this order is paid.'), words);
    return [
      jsx(LoginPage, { nonce: 'n', formToken: 'f', words, here: '/admin/login', error: words.t('admin.login.too_many', { duration: words.duration(120) }), notice: words.t('admin.login.signed_out') }),
      jsx(NotFoundPage, chrome(words)),
      jsx(ErrorPage, { ...chrome(words), title: words.t('admin.error.refused'), message: refused }),
      jsx(ErrorPage, { ...chrome(words), title: words.t('admin.error.csrf.title'), message: words.t('admin.error.csrf.text') }),
      jsx(WebhookSecretPage, { ...chrome(words), endpoint: endpoints[0]!, secret: 'whsec_abc' }),
      jsx(OrdersPage, { ...chrome(words), filters: { status: 'paid', q: '王', cursor: 'c1' }, page: { orders: [fixture('paid').order], nextCursor: 'c2' } as never, problems: [{ field: 'filter-q', message: words.t('form.invalid', { field: words.t('field.search') }) }], email: { configured: false, waiting: 1 } as never }),
      ...orderPages(words),
      ...settingsPages(words),
    ];
  }

  /** hono/jsx renders to a string, or to a promise of one. */
  const html = async (node: unknown) => String(await (node as { toString(): string | Promise<string> }).toString());
  const renderAll = (nodes: unknown[]) => Promise.all(nodes.map(html));

  it('render no English sentence, no run of English words and no raw message key, with lang="zh-CN"', async () => {
    for (const html of await renderAll(adminPages())) {
      expect(html).toContain('<html lang="zh-CN">');
      const text = readable(html);
      expect(englishPieces.filter((piece) => text.includes(piece))).toEqual([]);
      expect(englishRuns(html)).toEqual([]);
      // Webhook event types are codes the merchant's server receives, shown as they are (`refund.failed`).
      const keys = (Object.keys(en) as MessageKey[]).filter((key) => !(MERCHANT_EVENT_TYPES as readonly string[]).includes(key));
      expect(keys.filter((key) => text.includes(`>${key}<`) || text.includes(`"${key}"`))).toEqual([]);
    }
  });

  it('say durations as the language does, and keep the query in the language switch', async () => {
    const [login, , , , , list] = await renderAll(adminPages());
    expect(login).toContain('请等待2分钟后再试。');
    expect(list).toContain('href="/admin?status=paid&amp;lang=en"');
    const settingsPage = await html(settingsPages()[0]);
    expect(settingsPage).toContain('当前为15分钟');
    expect(settingsPage).toContain('当前为7天');
  });

  it('render in English from the same fixtures, with the English duration', async () => {
    const english = await renderAll(adminPages(wordsFor('en', 'Asia/Shanghai')));
    expect(english[0]).toContain('Please wait 2 minutes and try again.');
    expect(english[2]).toContain('Only an order that is confirmed can be shipped; this order is paid.');
    expect(english.at(-3)).toContain('In seconds; now 15 minutes.');
    // The check for English words finds them where they are.
    expect(englishRuns(english[0]!)).toContain('Sign in');
  });
});
