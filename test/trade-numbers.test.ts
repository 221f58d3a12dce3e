import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import { fromTradeNo, toTradeNo } from '../gateways/trade-numbers.js';
import { refundId } from '../workflows/order-state.js';

describe('gateway trade numbers', () => {
  it('maps our ids onto letters and digits and back', () => {
    expect(toTradeNo('pay_AAECAwQFBgcICQoL')).toBe('pay000102030405060708090A0B');
    for (const prefix of ['pay', 'rfd']) {
      const id = newId(prefix);
      const tradeNo = toTradeNo(id);
      expect(tradeNo).toMatch(/^[a-zA-Z0-9]{8,32}$/);
      expect(fromTradeNo(tradeNo)).toBe(id);
    }
  });

  it('recognises only numbers it made', () => {
    expect(fromTradeNo('2026112512345678')).toBeUndefined();
    expect(fromTradeNo('pay0A1')).toBeUndefined();
    expect(fromTradeNo('pay0a1b')).toBeUndefined();
    expect(() => toTradeNo('order-1')).toThrow('not one of our ids');
  });

  it('gives workflow refund ids the same shape as other ids', () => {
    const id = refundId('00010203-0405-4607-8809-0a0b0c0d0e0f');
    expect(id).toBe(`rfd_${Buffer.from('000102030405460788090a0b', 'hex').toString('base64url')}`);
    expect(toTradeNo(id)).toBe('rfd000102030405460788090A0B');
  });
});
