// What the Chinese gateways' statement files have in common: decimal yuan (signed, sometimes with more
// places than fen), Beijing wall-clock times, compressed files, and the rule that a file read only in part
// is no statement at all.
import { unzipSync, unzlibSync } from 'fflate';
import type { SettlementDay } from '../domain/gateway-statements.js';
import { fromBeijingWallClock } from './beijing-time.js';
import { GatewayError, StatementUnreadable } from './types.js';

/** The zone the Chinese gateways' days are in: a day anywhere else is no day they have a statement of. */
export const BEIJING_ZONE = 'Asia/Shanghai';

/** The day's `YYYY-MM-DD`, checked before any gateway is asked about it. */
export function statementDate(day: SettlementDay): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day.date) || fromBeijingWallClock(`${day.date}T00:00:00`) === undefined) {
    throw new GatewayError('invalid_request', `not a settlement date: ${day.date}`);
  }
  if (day.timeZone !== BEIJING_ZONE) throw new GatewayError('invalid_request', `the gateway settles days in ${BEIJING_ZONE}, not ${day.timeZone}`);
  return day.date;
}

/**
 * Fen from a signed decimal yuan amount (`-0.74`, `0.74000`); places beyond fen are rounded half away from
 * zero. Undefined for anything else.
 */
export function fenOf(yuan: string): number | undefined {
  const match = /^(-)?(\d{1,13})(?:\.(\d{1,6}))?$/.exec(yuan);
  if (!match) return undefined;
  const places = (match[3] ?? '').padEnd(2, '0');
  const rest = places.slice(2);
  const fen = Number(match[2]) * 100 + Number(places.slice(0, 2)) + (rest !== '' && rest[0]! >= '5' ? 1 : 0);
  return match[1] && fen !== 0 ? -fen : fen;
}

/** `2026-12-03 10:00:00` in Beijing time as an ISO instant; undefined when it is not one. */
export function instantOfBeijingTime(text: string): string | undefined {
  const ms = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(text) ? fromBeijingWallClock(text.replace(' ', 'T')) : undefined;
  return ms === undefined ? undefined : new Date(ms).toISOString();
}

/** Reads a statement file, turning whatever its reader trips over into `StatementUnreadable` naming the file. */
export function readStatement<T>(what: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof StatementUnreadable) throw new StatementUnreadable(`${what}: ${error.message}`);
    throw new StatementUnreadable(`${what}: ${error instanceof Error ? error.message : String(error)}`);
  }
}

/** The files in a zip archive, by name; a damaged or cut archive is unreadable. */
export function unzipped(bytes: Uint8Array): Record<string, Uint8Array> {
  try {
    return unzipSync(bytes);
  } catch (error) {
    throw new StatementUnreadable(`the zip archive is damaged or cut short (${error instanceof Error ? error.message : String(error)})`);
  }
}

/** A zlib (deflate) stream inflated; a damaged or cut one is unreadable. */
export function inflated(bytes: Uint8Array): Uint8Array {
  try {
    return unzlibSync(bytes);
  } catch (error) {
    throw new StatementUnreadable(`the compressed file is damaged or cut short (${error instanceof Error ? error.message : String(error)})`);
  }
}
