import { describe, expect, it } from 'vitest';
import { readDetails } from '../gateways/alipay/trade-bill.js';
import { fenOf, instantOfBeijingTime, statementDate } from '../gateways/statement-files.js';
import { GatewayError, StatementUnreadable } from '../gateways/types.js';
import { readZmFile } from '../gateways/unionpay/settlement-file.js';
import { readTradeBill } from '../gateways/wechatpay/trade-bill.js';

const unreadable = (read: () => unknown) => {
  try {
    read();
  } catch (error) {
    expect(error).toBeInstanceOf(StatementUnreadable);
    return (error as Error).message;
  }
  throw new Error('expected StatementUnreadable');
};

describe('statement files', () => {
  it('reads signed yuan as fen, rounding places beyond the fen half away from zero', () => {
    expect(['0.74', '-0.74', '12', '0.74000', '0.00500', '-0.00500', '0.00499', '-0.00'].map(fenOf)).toEqual([74, -74, 1_200, 74, 1, -1, 0, 0]);
    for (const bad of ['', '1.', '.5', '1,00', '+1', '1e3', ' 1']) expect(fenOf(bad)).toBeUndefined();
    expect(instantOfBeijingTime('2026-12-04 00:30:00')).toBe('2026-12-03T16:30:00.000Z');
    expect(instantOfBeijingTime('2026-02-30 00:30:00')).toBeUndefined();
  });

  it('asks only for real dates of Beijing days', () => {
    expect(statementDate({ date: '2026-12-03', timeZone: 'Asia/Shanghai' })).toBe('2026-12-03');
    expect(() => statementDate({ date: '2026-02-30', timeZone: 'Asia/Shanghai' })).toThrow(GatewayError);
    expect(() => statementDate({ date: '2026-12-03', timeZone: 'UTC' })).toThrow('the gateway settles days in Asia/Shanghai, not UTC');
  });

  it("refuses Alipay details whose totals do not agree with the rows", () => {
    const details = (totals: string) =>
      [
        '#支付宝业务明细查询',
        '#-----------------------------------------业务明细列表----------------------------------------',
        '支付宝交易号,商户订单号,业务类型,完成时间,订单金额（元）,商家实收（元）,退款批次号/请求号,服务费（元）',
        '2026120322001\t,pay00\t,交易\t,2026-12-03 10:00:00,1.00,1.00,\t,-0.01',
        '#-----------------------------------------业务明细列表结束------------------------------------',
        totals,
        '#退款合计：0笔，商家实收退款共0.00元，商家优惠退款共0.00元',
      ].join('\r\n');
    expect(readDetails(details('#交易合计：1笔，商家实收共1.00元，商家优惠共0.00元'))).toMatchObject([{ kind: 'payment', amount: 100, fee: 1, gatewayReference: '2026120322001' }]);
    expect(unreadable(() => readDetails(details('#交易合计：2笔，商家实收共2.00元，商家优惠共0.00元')))).toContain('the totals say 2 trades');
  });

  it('refuses a WeChat Pay bill whose summary does not agree with its rows', () => {
    const header = '交易时间,微信订单号,商户订单号,交易状态,货币种类,应结订单金额,微信退款单号,商户退款单号,退款金额,手续费';
    const row = '`2026-12-03 10:00:00,`4200,`pay00,`SUCCESS,`CNY,`1.00,`0,`0,`0.00,`0.00600';
    const bill = (count: number) => [header, row, '总交易单数,退款总金额,手续费总金额', `\`${count},\`0.00,\`0.00600`].join('\r\n');
    expect(readTradeBill(bill(1))).toMatchObject([{ kind: 'payment', amount: 100, fee: 1 }]);
    expect(unreadable(() => readTradeBill(bill(2)))).toContain('the summary says 2 rows');
  });

  it('refuses a ZM record of the wrong length or of another merchant', () => {
    expect(unreadable(() => readZmFile(Buffer.from('S22 00010000\r\n'), '777000000000001', '2026-12-03'))).toMatch(/^record 1 is 12 bytes, not \d+: cut short or malformed$/);
  });
});
