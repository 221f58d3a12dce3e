// Fetching a day's trade bill: `GET /v3/bill/tradebill?bill_date=…&bill_type=ALL` answers (signed, as every
// API answer) a `download_url` with the file's SHA1 `hash_value`. The download is a signed request like any
// other, but its answer is not signed: the hash is what vouches for the file, so a file that does not
// match it is not read at all. Before the bill is made (the morning after the day) WeChat Pay answers
// STATEMENT_CREATING; for a day without trades, NO_STATEMENT_EXIST, which is an empty statement.
import { createHash } from 'node:crypto';
import { Formatter, Rsa } from 'wechatpay-axios-plugin';
import { z } from 'zod';
import type { SettlementDay, StatementLine } from '../../domain/gateway-statements.js';
import { parseAnswer } from '../answers.js';
import { readStatement, statementDate } from '../statement-files.js';
import { GatewayError, kindOfHttpStatus, StatementNotReady, StatementUnreadable } from '../types.js';
import type { Api } from './client.js';
import type { WechatPayMerchant } from './merchant.js';
import { readTradeBill } from './trade-bill.js';

const BillSchema = z.object({ hash_type: z.literal('SHA1'), hash_value: z.string().regex(/^[0-9a-fA-F]{40}$/), download_url: z.url() });
const RefusalSchema = z.object({ refusal: z.object({ code: z.string(), message: z.string() }) });

/** The Authorization of a GET, signed over the URL's path and query as the API v3 requires. */
function authorization(merchant: Pick<WechatPayMerchant, 'mchId' | 'certificateSerialNo' | 'privateKey'>, url: URL): string {
  const nonce = Formatter.nonce();
  const timestamp = Formatter.timestamp();
  const signature = Rsa.sign(Formatter.request('GET', `${url.pathname}${url.search}`, timestamp, nonce, ''), merchant.privateKey);
  return Formatter.authorization(merchant.mchId, nonce, signature, timestamp, merchant.certificateSerialNo);
}

async function download(merchant: WechatPayMerchant, downloadUrl: string, timeoutMs: number): Promise<Buffer> {
  const url = new URL(downloadUrl);
  let response: Response;
  try {
    response = await fetch(url, { headers: { authorization: authorization(merchant, url), accept: '*/*' }, signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') throw new GatewayError('timeout', 'WeChat Pay did not serve the trade bill in time');
    throw new GatewayError('network', `WeChat Pay's trade bill could not be downloaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  const body = Buffer.from(await response.arrayBuffer());
  if (!response.ok) throw new GatewayError(kindOfHttpStatus(response.status), `WeChat Pay answered the trade bill download with HTTP ${response.status} ${body.toString('utf8').slice(0, 200)}`);
  return body;
}

export async function fetchTradeBill(merchant: WechatPayMerchant, api: Api, day: SettlementDay, timeoutMs: number): Promise<StatementLine[]> {
  const billDate = statementDate(day);
  const name = `trade bill of ${billDate}`;
  const what = `the ${name}`;
  const payload = await api({ method: 'GET', path: '/v3/bill/tradebill', query: { bill_date: billDate, bill_type: 'ALL' }, what, answerCodes: ['STATEMENT_CREATING', 'NO_STATEMENT_EXIST'] });
  const refused = RefusalSchema.safeParse(payload);
  if (refused.success) {
    const { code, message } = refused.data.refusal;
    if (code === 'NO_STATEMENT_EXIST') return [];
    throw new StatementNotReady(`WeChat Pay has not made ${what} yet: ${code} ${message}`.trim());
  }
  const bill = parseAnswer(BillSchema, payload, `WeChat Pay answered ${what}`);
  const file = await download(merchant, bill.download_url, timeoutMs);
  const hash = createHash('sha1').update(file).digest('hex');
  if (hash !== bill.hash_value.toLowerCase()) throw new StatementUnreadable(`WeChat Pay's ${name}: the file's SHA1 is ${hash}, not the announced ${bill.hash_value}`);
  return readStatement(`WeChat Pay's ${name}`, () => readTradeBill(file.toString('utf8')));
}
