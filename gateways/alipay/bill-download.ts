// Fetching a day's trade bill: `alipay.data.dataservice.bill.downloadurl.query` (bill_type `trade`) answers
// a short-lived `bill_download_url`, which is fetched at once (no signature: the link itself is the
// permission). Before Alipay has made the day's bill (the morning after) it answers isp.bill_not_exist.
import { z } from 'zod';
import type { SettlementDay, StatementLine } from '../../domain/gateway-statements.js';
import { parseAnswer } from '../answers.js';
import { readStatement, statementDate } from '../statement-files.js';
import { GatewayError, kindOfHttpStatus, StatementNotReady } from '../types.js';
import type { AlipayClient } from './client.js';
import { readTradeBill } from './trade-bill.js';

const METHOD = 'alipay.data.dataservice.bill.downloadurl.query';
const BILL_NOT_EXIST = 'isp.bill_not_exist';
const DownloadUrlSchema = z.object({ bill_download_url: z.url() });

async function download(url: string, timeoutMs: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    if (error instanceof Error && error.name === 'TimeoutError') throw new GatewayError('timeout', 'Alipay did not serve the trade bill in time');
    throw new GatewayError('network', `Alipay's trade bill could not be downloaded: ${error instanceof Error ? error.message : String(error)}`);
  }
  // The link lives about 30 seconds: an expired one is refused, and asking for a new one is the remedy.
  if (!response.ok) throw new GatewayError(response.status === 403 || response.status === 404 ? 'server' : kindOfHttpStatus(response.status), `Alipay answered the trade bill download with HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

export async function fetchTradeBill(alipay: AlipayClient, day: SettlementDay, timeoutMs: number): Promise<StatementLine[]> {
  const billDate = statementDate(day);
  const answer = await alipay.call(METHOD, { bill_type: 'trade', bill_date: billDate }, { accept: [BILL_NOT_EXIST] });
  if (answer.sub_code === BILL_NOT_EXIST) throw new StatementNotReady(`Alipay has no trade bill for ${billDate} yet: ${answer.sub_code} ${answer.sub_msg ?? ''}`.trim());
  const { bill_download_url: url } = parseAnswer(DownloadUrlSchema, answer, `${METHOD} answered`);
  const zip = await download(url, timeoutMs);
  return readStatement(`Alipay's trade bill for ${billDate}`, () => readTradeBill(zip));
}
