// Timeline entries and reasons rendered from their codes and parameters, in both languages; entries and
// reasons stored before codes keep their stored sentence.
import { describe, expect, it } from 'vitest';
import { wordsFor } from '../core/i18n/messages.js';
import type { Reason, ReasonCode, RefundCodes, TimelineEvent, TimelineParams } from '../domain/timeline.js';
import { reasonWords, refundText, timelineDetail } from '../domain/timeline-words.js';

const en = wordsFor('en', 'Asia/Shanghai');
const zh = wordsFor('zh-CN', 'Asia/Shanghai');

/** One reason of every code, with its words in English and Chinese. */
const REASONS: { [C in ReasonCode]: [Extract<Reason, { code: C }>['params'], string, string] } = {
  stated: [{ text: 'Out of stock' }, 'Out of stock', 'Out of stock'],
  cancelled_before_payment: [{}, 'Cancelled before payment.', '付款前已取消。'],
  cancelled_by_customer: [{}, 'Cancelled by the customer before payment.', '顾客在付款前取消。'],
  payment_window_expired: [{}, 'The payment window closed before payment.', '付款时间已过，未收到付款。'],
  payment_failed: [{}, 'The payment failed at the gateway.', '支付机构处付款失败。'],
  gateway_rejected: [{ detail: 'ACQ.TRADE_HAS_CLOSE' }, 'ACQ.TRADE_HAS_CLOSE', '支付机构拒绝：ACQ.TRADE_HAS_CLOSE'],
  refund_refused: [{}, 'The gateway refused the refund.', '支付机构拒绝了退款。'],
  gateway_unreachable: [{ gateway: 'alipay', seconds: 5, detail: 'HTTP 500' }, 'Alipay could not be reached within 5 s: HTTP 500', '5 秒内未能连接支付宝：HTTP 500'],
  failed: [{ detail: 'bad key' }, 'bad key', '处理失败：bad key'],
  amount_mismatch: [
    { amount: 28_000, currency: 'CNY', total: 28_136, orderCurrency: 'CNY' },
    'The gateway captured CN¥280.00; the order total is CN¥281.36.',
    '支付机构实收 ¥280.00，订单总额为 ¥281.36。',
  ],
  late_payment_refund: [{ status: 'expired' }, 'Automatic refund: the payment arrived after the order ended (Expired).', '自动退款：订单结束（已过期）后才收到付款。'],
  declined_refund: [{ text: 'Out of stock' }, 'Order declined by the merchant: Out of stock', '商家拒单：Out of stock'],
  capture_refund: [{ text: 'Wrong currency' }, 'Captured payment refunded by the merchant: Wrong currency', '商家退回实收款项：Wrong currency'],
  approved_by_decline: [{}, 'Approved by the merchant’s decline.', '商家拒单时一并批准。'],
  approved_by_capture_refund: [{}, 'Approved as the merchant refunded the captured payment.', '商家退回实收款项时一并批准。'],
};

const expiredRefund: Reason = { code: 'late_payment_refund', params: { status: 'expired' } };

/** One entry of every event the workflow records, with its details in English and Chinese (undefined: none). */
const EVENTS: { [E in TimelineEvent]: [TimelineParams[E], string | undefined, string | undefined] } = {
  order_created: [{}, undefined, undefined],
  payment_created: [{ gateway: 'wechatpay' }, 'WeChat Pay', '微信支付'],
  payment_creation_failed: [{ reason: { code: 'gateway_unreachable', params: { gateway: 'unionpay', seconds: 60, detail: 'timeout' } } }, 'UnionPay Online could not be reached within 60 s: timeout', '60 秒内未能连接银联在线：timeout'],
  payment_succeeded: [{ amount: 28_136, currency: 'CNY' }, 'CN¥281.36', '¥281.36'],
  payment_failed: [{}, undefined, undefined],
  payment_mismatch: [{ amount: 1_000, currency: 'USD' }, 'Captured $10.00', '实收 US$10.00'],
  payment_accepted: [
    { amount: 28_000, currency: 'CNY', total: 28_136, orderCurrency: 'CNY', note: 'Paid the rest in cash' },
    'Accepted CN¥280.00: CN¥1.36 less than the order total of CN¥281.36. Paid the rest in cash',
    '已接受实收 ¥280.00：比订单总额 ¥281.36 少 ¥1.36。Paid the rest in cash',
  ],
  payment_refused: [{ amount: 1_000, currency: 'USD', reason: 'We only take CNY' }, 'Refunding $10.00: We only take CNY', '退回 US$10.00：We only take CNY'],
  late_payment: [{ amount: 28_136, currency: 'CNY', status: 'cancelled' }, 'CN¥281.36 arrived after the order ended (Cancelled)', '订单结束（已取消）后收到 ¥281.36'],
  confirmed: [{ automatic: true }, 'Confirmed automatically', '自动确认'],
  declined: [{ reason: 'Out of stock' }, 'Out of stock', 'Out of stock'],
  shipped: [{ carrier: 'SF Express', trackingNumber: 'SF123' }, 'SF Express SF123', 'SF Express，运单号 SF123'],
  delivered: [{}, undefined, undefined],
  completed: [{}, undefined, undefined],
  cancelled: [{}, undefined, undefined],
  expired: [{}, undefined, undefined],
  refund_requested: [{ amount: 5_000, currency: 'CNY', reason: { code: 'stated', params: { text: 'Broken' } } }, 'CN¥50.00: Broken', '¥50.00：Broken'],
  refund_started: [{ amount: 28_136, currency: 'CNY', reason: expiredRefund }, 'CN¥281.36: Automatic refund: the payment arrived after the order ended (Expired).', '¥281.36：自动退款：订单结束（已过期）后才收到付款。'],
  refund_approved: [{ note: { code: 'approved_by_decline', params: {} } }, 'Approved by the merchant’s decline.', '商家拒单时一并批准。'],
  refund_rejected: [{ note: 'Used item' }, 'Used item', 'Used item'],
  refund_succeeded: [{ amount: 5_000, currency: 'CNY' }, 'CN¥50.00', '¥50.00'],
  refund_failed: [{ reason: { code: 'refund_refused', params: {} } }, 'The gateway refused the refund.', '支付机构拒绝了退款。'],
  gateway_refused: [{ call: 'payment_query', detail: 'unionpay: query: 11' }, 'payment query: unionpay: query: 11', '查询付款：unionpay: query: 11'],
  projection_failed: [{ detail: 'SQLSTATE 22P05' }, 'SQLSTATE 22P05', '保存失败：SQLSTATE 22P05'],
  email_sent: [{ kind: 'payment_receipt' }, 'Receipt sent to the customer', '已向顾客发送付款收据'],
  email_failed: [{ kind: 'order_shipped', reason: '550 mailbox unavailable' }, 'Shipping notice not sent: 550 mailbox unavailable', '发货通知未能发送：550 mailbox unavailable'],
};

describe('timeline words', () => {
  it.each(Object.entries(REASONS))('renders the reason %s in English and Chinese', (code, [params, english, chinese]) => {
    expect(reasonWords({ code, params }, en)).toBe(english);
    expect(reasonWords({ code, params }, zh)).toBe(chinese);
  });

  it.each(Object.entries(EVENTS))('renders the event %s in English and Chinese', (event, [params, english, chinese]) => {
    expect(timelineDetail({ event, params }, en)).toBe(english);
    expect(timelineDetail({ event, params }, zh)).toBe(chinese);
  });

  it('says in Chinese what differs about a capture in more, or in another currency', () => {
    const more = { amount: 30_000, currency: 'CNY', total: 28_136, orderCurrency: 'CNY' };
    expect(timelineDetail({ event: 'payment_accepted', params: more }, zh)).toBe('已接受实收 ¥300.00：比订单总额 ¥281.36 多 ¥18.64');
    const other = { amount: 4_000, currency: 'USD', total: 28_136, orderCurrency: 'CNY' };
    expect(timelineDetail({ event: 'payment_accepted', params: other }, en)).toBe('Accepted $40.00: captured in USD, the order total is CN¥281.36');
  });

  it('shows a capture the gateway did not state as unknown', () => {
    expect(timelineDetail({ event: 'payment_mismatch', params: {} }, zh)).toBe('实收 ?');
  });

  it('renders an entry stored before parameters as its stored message, in any language', () => {
    // The shape the projection wrote before codes: a sentence in `message`, no parameters.
    const old = { event: 'late_payment', params: null, message: '28136 CNY arrived after the order was expired' };
    expect(timelineDetail(old, zh)).toBe('28136 CNY arrived after the order was expired');
    expect(timelineDetail({ event: 'confirmed', message: 'auto-confirmed' }, en)).toBe('auto-confirmed');
    expect(timelineDetail({ event: 'delivered', params: null, message: null }, zh)).toBeUndefined();
  });

  it('renders a refund’s reason, note and failure from their codes, and a refund stored before codes as written', () => {
    const refund = {
      reason: 'Automatic refund: payment arrived after the order was expired.',
      note: 'Approved by the merchant’s decline.',
      failureReason: 'The gateway refused the refund.',
      codes: { reason: expiredRefund, note: { code: 'approved_by_decline', params: {} }, failure: { code: 'refund_refused', params: {} } } satisfies RefundCodes,
    };
    expect(refundText(refund, 'reason', zh)).toBe('自动退款：订单结束（已过期）后才收到付款。');
    expect(refundText(refund, 'note', zh)).toBe('商家拒单时一并批准。');
    expect(refundText(refund, 'failure', zh)).toBe('支付机构拒绝了退款。');
    const old = { ...refund, codes: null };
    expect(refundText(old, 'reason', zh)).toBe('Automatic refund: payment arrived after the order was expired.');
    expect(refundText({ reason: 'Broken', note: null, codes: { reason: { code: 'stated', params: { text: 'Broken' } } } }, 'note', zh)).toBeUndefined();
  });

  it('keeps the stored message of an event this version does not know, and knows no reason it was not given', () => {
    expect(timelineDetail({ event: 'something_new', params: { x: 1 }, message: 'as stored' }, zh)).toBe('as stored');
    expect(reasonWords({ code: 'something_new', params: {} }, zh)).toBeUndefined();
  });
});
