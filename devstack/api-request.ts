// One JSON request to Paystead's API, as the test stack, the fault run and the benchmark send it.

/* eslint-disable @typescript-eslint/no-explicit-any -- bodies are JSON read by their callers */
export interface ApiResponse {
  status: number;
  /** Parsed when it is JSON, the text otherwise. */
  body: any;
  headers: Headers;
  text: string;
}

export interface ApiRequestOptions {
  key?: string;
  body?: unknown;
  headers?: Record<string, string>;
  timeoutMs?: number;
}

/** Rejects only when no answer came (network error, timeout); any HTTP status is an answer. */
export async function apiRequest(baseUrl: string, method: string, path: string, options: ApiRequestOptions = {}): Promise<ApiResponse> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: {
      ...(options.key && { authorization: `Bearer ${options.key}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
      ...options.headers,
    },
    body: options.body === undefined ? undefined : JSON.stringify(options.body),
    ...(options.timeoutMs !== undefined && { signal: AbortSignal.timeout(options.timeoutMs) }),
  });
  const text = await response.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: keep the text
  }
  return { status: response.status, body, headers: response.headers, text };
}
