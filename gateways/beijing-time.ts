// The Chinese gateways write times as Beijing wall-clock time. China has kept UTC+8 all year since 1991,
// so a fixed offset is exact.
export const BEIJING_OFFSET_MS = 8 * 3_600_000;

/** `2026-01-02T07:04:05Z` -> `2026-01-02T15:04:05`: the Beijing wall-clock time of an instant. */
export function beijingWallClock(iso: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) throw new RangeError(`not a timestamp: ${iso}`);
  return new Date(ms + BEIJING_OFFSET_MS).toISOString().slice(0, 19);
}
