import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acpAmount, acpTime, parseAcpAnswer, parseAcpTime } from '../gateways/unionpay/acp-format.js';
import { AcpSignatureError, certIdOf, signFields, signingString, verifyAcpSignature } from '../gateways/unionpay/acp-signature.js';
import { GatewayError } from '../gateways/types.js';
import { unionPayMerchant } from '../gateways/unionpay/merchant.js';
import { readNotification } from '../gateways/unionpay/notification.js';
import { idsFrom, orderIdFor } from '../gateways/unionpay/order-ids.js';
import { acpOutcome } from '../gateways/unionpay/response-codes.js';
import { isSameDayCancel } from '../gateways/unionpay/same-day-cancel.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
import { refundId as workflowRefundId } from '../workflows/order-state.js';
import { acpSign, acpVerify } from './simulators/unionpay/acp.js';
import { merchantCertificate, signingChain } from './simulators/unionpay/certificates.js';

const chain = signingChain('Test UnionPay');
const trust = { root: new X509Certificate(chain.root.pem), middle: new X509Certificate(chain.middle.pem) };

/** A message as UnionPay signs it: signPubKeyCert included in what is signed. */
function fromUnionPay(fields: Record<string, string>, leaf = chain.leaf): Record<string, string> {
  const withCert = { ...fields, signPubKeyCert: leaf.pem };
  return { ...withCert, signature: acpSign(withCert, leaf.privateKey) };
}

describe('ACP wire formats', () => {
  it('writes and reads Beijing time', () => {
    expect(acpTime('2026-01-31T16:30:05.999Z')).toBe('20260201003005');
    expect(parseAcpTime('20260201003005')).toBe(Date.parse('2026-01-31T16:30:05Z'));
    expect(parseAcpTime('20260231120000')).toBeUndefined();
    expect(parseAcpTime('2026-02-01')).toBeUndefined();
  });

  it('writes amounts in fen, refusing anything but a positive integer', () => {
    expect(acpAmount(32906)).toBe('32906');
    expect(() => acpAmount(12.5)).toThrow();
    expect(() => acpAmount(0)).toThrow();
  });

  it('parses answers whose values hold PEM text and reserved {…} groups with & inside', () => {
    const pem = '-----BEGIN CERTIFICATE-----\r\nMIIB+w==\r\n-----END CERTIFICATE-----';
    const answer = parseAcpAnswer(`respCode=00&reserved={a=1&b=2}&list=[x&y]&signature=ab+c/d==&signPubKeyCert=${pem}&empty=`);
    expect(answer).toEqual({ respCode: '00', reserved: '{a=1&b=2}', list: '[x&y]', signature: 'ab+c/d==', signPubKeyCert: pem, empty: '' });
  });
});

describe('ACP signatures', () => {
  const merchant = merchantCertificate('777290058110048');
  const signer = { privateKey: merchant.privateKey, certId: certIdOf(new X509Certificate(merchant.pem)) };

  it('certId is the serial number in decimal, exactly', () => {
    const serial = new X509Certificate(merchant.pem).serialNumber;
    expect(signer.certId).toBe(BigInt(`0x${serial}`).toString());
    expect(signer.certId.length).toBeGreaterThan(16);
  });

  it('signs the sorted non-empty fields the way UnionPay verifies them', () => {
    const signed = signFields({ txnType: '01', merId: '777290058110048', frontUrl: '', orderId: 'pay00' }, signer);
    expect(signed).not.toHaveProperty('frontUrl');
    expect(signingString(signed)).toBe(`certId=${signer.certId}&merId=777290058110048&orderId=pay00&txnType=01`);
    expect(acpVerify(signed, new X509Certificate(merchant.pem).publicKey)).toBe(true);
    expect(acpVerify({ ...signed, orderId: 'pay01' }, new X509Certificate(merchant.pem).publicKey)).toBe(false);
  });

  it('accepts a message UnionPay signed with a certificate under the configured root', () => {
    expect(() => verifyAcpSignature(fromUnionPay({ respCode: '00', orderId: 'pay00' }), trust)).not.toThrow();
  });

  it('refuses a changed field, a foreign root, another owner, and an expired signing certificate', () => {
    const message = fromUnionPay({ respCode: '00', txnAmt: '100' });
    expect(() => verifyAcpSignature({ ...message, txnAmt: '101' }, trust)).toThrow('signature does not match');
    const impostor = signingChain('Test UnionPay', 'Someone Else Ltd');
    expect(() => verifyAcpSignature(fromUnionPay({ respCode: '00' }, impostor.leaf), trust)).toThrow('does not chain');
    const impostorTrust = { root: new X509Certificate(impostor.root.pem), middle: new X509Certificate(impostor.middle.pem) };
    expect(() => verifyAcpSignature(fromUnionPay({ respCode: '00' }, impostor.leaf), impostorTrust)).toThrow('does not belong to UnionPay');
    const shortLived = signingChain('Test UnionPay', undefined, 30);
    const shortTrust = { root: new X509Certificate(shortLived.root.pem), middle: new X509Certificate(shortLived.middle.pem) };
    const lapsedLeaf = () => verifyAcpSignature(fromUnionPay({ respCode: '00' }, shortLived.leaf), shortTrust, Date.now() + 60 * 86_400_000);
    expect(lapsedLeaf).toThrow(AcpSignatureError);
    expect(lapsedLeaf).toThrow('the signing certificate is expired or not yet valid');
    expect(() => verifyAcpSignature({ respCode: '00' }, trust)).toThrow('no signPubKeyCert');
  });

  it('takes an expired configured certificate for a credentials problem, not a forged message', () => {
    let lapsed: unknown;
    try {
      verifyAcpSignature(fromUnionPay({ respCode: '00' }), trust, Date.now() + 2 * 365 * 86_400_000);
    } catch (error) {
      lapsed = error;
    }
    expect(lapsed).toBeInstanceOf(GatewayError);
    expect(lapsed).toMatchObject({ kind: 'auth', message: expect.stringMatching(/^UnionPay credentials: middleCertificate is expired or not yet valid \(valid from .+ to .+\)$/) });
  });

  it('reads credentials, naming a bad field without its value', () => {
    const credentials = {
      merId: '777290058110048',
      signCertificate: merchant.pem,
      signPrivateKey: merchant.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      rootCertificate: chain.root.pem,
      middleCertificate: chain.middle.pem,
    };
    expect(unionPayMerchant(credentials).signer.certId).toBe(signer.certId);
    expect(() => unionPayMerchant({ ...credentials, merId: '' })).toThrow('UnionPay credentials: merId is missing');
    expect(() => unionPayMerchant({ ...credentials, rootCertificate: 'nope' })).toThrow('rootCertificate is not a PEM certificate');
    const other = merchantCertificate('777290058110048').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => unionPayMerchant({ ...credentials, signPrivateKey: other })).toThrow('signPrivateKey does not belong to signCertificate');
  });
});

describe('ACP order ids and answer codes', () => {
  it('uses trade numbers as orderIds and reads our ids back from them, the payment of a refund from reqReserved', () => {
    const paymentId = 'pay_AAECAwQFBgcICQoL';
    expect(orderIdFor(paymentId)).toBe('pay000102030405060708090A0B');
    const refundId = workflowRefundId('00010203-0405-4607-8809-0a0b0c0d0e0f');
    const refundOrderId = orderIdFor(refundId);
    expect(refundOrderId).toBe(toTradeNo(refundId));
    expect(refundOrderId).toHaveLength(27);
    expect(idsFrom(refundOrderId, `${refundId},${paymentId}`)).toEqual({ id: refundId, paymentId });
    expect(idsFrom(orderIdFor(paymentId), paymentId)).toEqual({ id: paymentId });
    // reqReserved about another transaction names no payment; the orderId alone still says whose it is.
    expect(idsFrom(refundOrderId, `rfd_AAAAAAAAAAAAAAAA,${paymentId}`)).toEqual({ id: refundId });
    expect(idsFrom(refundOrderId, undefined)).toEqual({ id: refundId });
    expect(idsFrom('R0123456789ABCDEF0123456789ABCDE', paymentId)).toBeUndefined();
    expect(idsFrom('2026112512345678', paymentId)).toBeUndefined();
    expect(idsFrom(undefined, paymentId)).toBeUndefined();
    // The workflow's earlier refund ids are too long for an orderId: refused, never sent cut short.
    expect(() => orderIdFor(`rf_${'0123456789abcdef'.repeat(2)}`)).toThrow('makes no UnionPay orderId');
  });

  it('classifies answer codes', () => {
    expect(['00', '05', '06', '11', '12', '31', '34', '37', '36', undefined].map(acpOutcome)).toEqual(['ok', 'in_process', 'server', 'auth', 'duplicate', 'auth', 'not_found', 'rate_limited', 'invalid_request', 'invalid_request']);
  });
});

describe('ACP same-day cancels', () => {
  /** A full refund of 100.00 paid and requested at these instants, sent when it was requested unless told. */
  const cancels = (paidAt: string | undefined, createdAt: string, sentAt = createdAt, amount = 10_000) =>
    isSameDayCancel({ amount, paymentAmount: 10_000, ...(paidAt !== undefined && { paidAt }), createdAt }, new Date(sentAt));

  it('cancels a full refund on the Beijing day of the payment, whatever the UTC dates', () => {
    // 00:30 and 10:00 on 10 March in Beijing: 9 and 10 March in UTC.
    expect(cancels('2026-03-09T16:30:00Z', '2026-03-10T02:00:00Z')).toBe(true);
    // 08:00 and 23:59 UTC on 9 March are 16:00 on the 9th and 07:59 on the 10th in Beijing.
    expect(cancels('2026-03-09T08:00:00Z', '2026-03-09T23:59:00Z')).toBe(false);
    // One second either side of midnight in Beijing (16:00 UTC).
    expect(cancels('2026-03-09T15:59:59Z', '2026-03-09T16:00:00Z')).toBe(false);
    expect(cancels('2026-03-09T16:00:00Z', '2026-03-09T16:00:01Z')).toBe(true);
  });

  it('refunds instead from 22:30 Beijing time, short of the settlement day ending about 23:00', () => {
    expect(cancels('2026-03-10T12:00:00Z', '2026-03-10T14:29:59Z')).toBe(true);
    expect(cancels('2026-03-10T12:00:00Z', '2026-03-10T14:30:00Z')).toBe(false);
    expect(cancels('2026-03-10T14:45:00Z', '2026-03-10T14:50:00Z')).toBe(false);
  });

  it('refunds instead when the request goes out later than its day allows (approved the next morning, or a late retry)', () => {
    expect(cancels('2026-03-10T02:00:00Z', '2026-03-10T03:00:00Z', '2026-03-10T14:31:00Z')).toBe(false);
    expect(cancels('2026-03-10T02:00:00Z', '2026-03-10T03:00:00Z', '2026-03-11T01:00:00Z')).toBe(false);
  });

  it('refunds part of a payment, or one whose payment time is unknown', () => {
    expect(cancels('2026-03-10T02:00:00Z', '2026-03-10T03:00:00Z', undefined, 9_999)).toBe(false);
    expect(cancels(undefined, '2026-03-10T03:00:00Z')).toBe(false);
    expect(cancels('yesterday', '2026-03-10T03:00:00Z')).toBe(false);
  });

  it('reads a cancel notification (txnType 31) as a refund notification', () => {
    const merId = '777290058110048';
    const certificate = merchantCertificate(merId);
    const merchant = unionPayMerchant({
      merId,
      signCertificate: certificate.pem,
      signPrivateKey: certificate.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
      rootCertificate: chain.root.pem,
      middleCertificate: chain.middle.pem,
    });
    const refundId = workflowRefundId('0f0e0d0c-0b0a-4908-8706-050403020100');
    const paymentId = 'pay_AAECAwQFBgcICQoL';
    const now = Date.now();
    const fields = { version: '5.1.0', txnType: '31', txnSubType: '00', merId, orderId: orderIdFor(refundId), txnTime: acpTime(new Date(now - 60_000).toISOString()), txnAmt: '10000', queryId: '771603101000000000001', origQryId: '771603091000000000001', reqReserved: `${refundId},${paymentId}`, respCode: '00', respMsg: 'success' };
    const notification = readNotification(merchant, new URLSearchParams(fromUnionPay(fields)).toString(), now);
    expect(notification).toEqual({ kind: 'refund', eventId: '31:771603101000000000001', refundId, paymentId, status: 'succeeded', gatewayReference: '771603101000000000001', occurredAt: new Date(now).toISOString() });
  });
});
