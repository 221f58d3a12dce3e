import { X509Certificate } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { acpAmount, acpTime, parseAcpAnswer, parseAcpTime } from '../gateways/unionpay/acp-format.js';
import { certIdOf, signFields, signingString, verifyAcpSignature } from '../gateways/unionpay/acp-signature.js';
import { unionPayMerchant } from '../gateways/unionpay/merchant.js';
import { idsFrom, orderIdFor } from '../gateways/unionpay/order-ids.js';
import { acpOutcome } from '../gateways/unionpay/response-codes.js';
import { toTradeNo } from '../gateways/trade-numbers.js';
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

  it('refuses a changed field, a foreign root, another owner, and an expired chain', () => {
    const message = fromUnionPay({ respCode: '00', txnAmt: '100' });
    expect(() => verifyAcpSignature({ ...message, txnAmt: '101' }, trust)).toThrow('signature does not match');
    const impostor = signingChain('Test UnionPay', 'Someone Else Ltd');
    expect(() => verifyAcpSignature(fromUnionPay({ respCode: '00' }, impostor.leaf), trust)).toThrow('does not chain');
    const impostorTrust = { root: new X509Certificate(impostor.root.pem), middle: new X509Certificate(impostor.middle.pem) };
    expect(() => verifyAcpSignature(fromUnionPay({ respCode: '00' }, impostor.leaf), impostorTrust)).toThrow('does not belong to UnionPay');
    expect(() => verifyAcpSignature(message, trust, Date.now() + 2 * 365 * 86_400_000)).toThrow('expired');
    expect(() => verifyAcpSignature({ respCode: '00' }, trust)).toThrow('no signPubKeyCert');
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
    expect(() => unionPayMerchant({ ...credentials, merId: '' })).toThrow('unionpay credential merId is missing');
    expect(() => unionPayMerchant({ ...credentials, rootCertificate: 'nope' })).toThrow('rootCertificate is not a PEM certificate');
    const other = merchantCertificate('777290058110048').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    expect(() => unionPayMerchant({ ...credentials, signPrivateKey: other })).toThrow('signPrivateKey does not belong to signCertificate');
  });
});

describe('ACP order ids and answer codes', () => {
  it('uses the trade number where it fits and a digest for longer ids, mapped back through reqReserved', () => {
    const paymentId = 'pay_AAECAwQFBgcICQoL';
    expect(orderIdFor(paymentId)).toBe(toTradeNo(paymentId));
    const refundId = `rf_${'0123456789abcdef'.repeat(2)}`;
    const refundOrderId = orderIdFor(refundId);
    expect(refundOrderId).toMatch(/^R[0-9A-F]{31}$/);
    expect(idsFrom(refundOrderId, `${refundId},${paymentId}`)).toEqual({ id: refundId, paymentId });
    expect(idsFrom(orderIdFor(paymentId), paymentId)).toEqual({ id: paymentId });
    expect(idsFrom(refundOrderId, `rf_${'f'.repeat(32)}`)).toBeUndefined();
    expect(idsFrom(refundOrderId, 'not-ours')).toBeUndefined();
  });

  it('classifies answer codes', () => {
    expect(['00', '05', '06', '11', '12', '31', '34', '37', '36', undefined].map(acpOutcome)).toEqual(['ok', 'in_process', 'server', 'auth', 'duplicate', 'auth', 'not_found', 'rate_limited', 'invalid_request', 'invalid_request']);
  });
});
