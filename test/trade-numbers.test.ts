import { describe, expect, it } from 'vitest';
import { newId } from '../core/ids.js';
import { fromTradeNo, toTradeNo } from '../gateways/trade-numbers.js';

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
});
