// The Chinese gateways write times as Beijing wall-clock time. China has kept UTC+8 all year since 1991,
// so a fixed offset is exact.
const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** `2026-01-02T07:04:05Z` -> `2026-01-02T15:04:05`: the Beijing wall-clock time of an instant. */
export function beijingWallClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19);
}

/**
 * `2026-01-02T15:04:05` (milliseconds optional) read as Beijing wall-clock time -> ms since the epoch;
 * undefined unless it is a real date and time.
 */
export function fromBeijingWallClock(wallClock: string): number | undefined {
  const match = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d{1,3})?$/.exec(wallClock);
  if (!match) return undefined;
  const ms = Date.parse(`${wallClock}+08:00`);
  // Date.parse rolls "02-30" over into March: only a time that formats back to itself is real.
  return !Number.isNaN(ms) && beijingWallClock(new Date(ms).toISOString()) === match[1] ? ms : undefined;
}
