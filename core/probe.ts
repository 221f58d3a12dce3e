// A dependency's check for readiness endpoints: it answers within a deadline, or it is reported down.

/** `ok`, or `error: <first line of the reason>` (no answer within `timeoutMs` is a reason too). */
export async function probeWithin(timeoutMs: number, probe: () => Promise<unknown>): Promise<string> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([probe(), timeout]);
    return 'ok';
  } catch (error) {
    return `error: ${firstLine(error)}`;
  } finally {
    clearTimeout(timer);
  }
}

/** An error's message, first line only. */
export function firstLine(error: unknown): string {
  return (error instanceof Error ? error.message : String(error)).split('\n')[0] ?? '';
}
