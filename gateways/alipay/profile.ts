// What Paystead needs of Alipay without loading its client library (see gateways/lazy-adapter.ts).
import { profileOf } from '../../domain/gateways.js';
import type { AdapterProfile } from '../types.js';

export const ALIPAY_PROFILE: AdapterProfile = {
  ...profileOf('alipay'),
  acknowledge(accepted) {
    // Alipay stops retrying only on exactly `success`; anything else and it tries again later.
    return accepted ? { status: 200, contentType: 'text/plain', body: 'success' } : { status: 500, contentType: 'text/plain', body: 'fail' };
  },
};
