// A merchant's UnionPay credentials, parsed and checked when first used (then remembered, see
// credential-memo.ts): a missing or malformed field is an authentication failure naming the field, never
// its value.
import { createPrivateKey, type KeyObject, X509Certificate } from 'node:crypto';
import { credentialProblem, requiredCredential } from '../credentials.js';
import { GatewayError } from '../types.js';
import { certIdOf, type AcpSigner, type AcpTrust } from './acp-signature.js';

export interface UnionPayMerchant {
  merId: string;
  signer: AcpSigner;
  trust: AcpTrust;
}

const credentialError = (field: string, problem: string) => credentialProblem('UnionPay', field, problem);
const field = (credentials: Record<string, string>, name: string) => requiredCredential(credentials, 'UnionPay', name);

function certificate(credentials: Record<string, string>, name: string): X509Certificate {
  try {
    return new X509Certificate(field(credentials, name));
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw credentialError(name, 'is not a PEM certificate');
  }
}

function privateKey(credentials: Record<string, string>, name: string): KeyObject {
  try {
    return createPrivateKey(field(credentials, name));
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    throw credentialError(name, 'is not a PEM private key');
  }
}

export function unionPayMerchant(credentials: Record<string, string>): UnionPayMerchant {
  const merId = field(credentials, 'merId');
  // ACP merchant codes are 15 letters or digits.
  if (!/^[0-9A-Za-z]{15}$/.test(merId)) throw credentialError('merId', 'must be 15 letters or digits');
  const signCertificate = certificate(credentials, 'signCertificate');
  const signPrivateKey = privateKey(credentials, 'signPrivateKey');
  if (!signCertificate.checkPrivateKey(signPrivateKey)) throw credentialError('signPrivateKey', 'does not belong to signCertificate');
  return {
    merId,
    signer: { privateKey: signPrivateKey, certId: certIdOf(signCertificate) },
    trust: { root: certificate(credentials, 'rootCertificate'), middle: certificate(credentials, 'middleCertificate') },
  };
}
