// What Paystead needs of WeChat Pay without loading its client library (see gateways/lazy-adapter.ts).
import { profileOf } from '../../domain/gateways.js';
import type { AdapterProfile } from '../types.js';

export const WECHATPAY_PROFILE: AdapterProfile = {
  ...profileOf('wechatpay'),
  acknowledge(accepted) {
    // Received: 200 or 204 with no body, per WeChat Pay's notification docs. 200, because a 204 cannot
    // go through the webhook route's body. Not received: any 4xx/5xx with a {code, message} body.
    return accepted
      ? { status: 200, contentType: 'text/plain', body: '' }
      : { status: 500, contentType: 'application/json', body: '{"code":"FAIL","message":"not processed, please retry"}' };
  },
};
