// Small HTTP helpers for sandbox tests: plain fetch, so the tests do not depend on the Ashby client.
export interface AshbyReply {
  status: number;
  headers: Headers;
  /** Parsed JSON body, or the raw text when the body is not JSON. */
  body: Record<string, unknown>;
  text: string;
}

export function basicAuth(apiKey: string): string {
  return `Basic ${Buffer.from(`${apiKey}:`).toString('base64')}`;
}

export interface CallOptions {
  /** Extra or replacement headers; `authorization: ''` sends no Authorization header. */
  headers?: Record<string, string>;
  method?: string;
  /** Sends this text as the body instead of JSON-encoding `body`. */
  rawBody?: string | FormData;
  signal?: AbortSignal;
}

export async function callAshby(
  baseUrl: string,
  apiKey: string | null,
  endpoint: string,
  body: unknown = {},
  options: CallOptions = {},
): Promise<AshbyReply> {
  const headers: Record<string, string> = {};
  if (apiKey !== null) headers['authorization'] = basicAuth(apiKey);
  if (options.rawBody === undefined) headers['content-type'] = 'application/json';
  Object.assign(headers, options.headers ?? {});
  if (headers['authorization'] === '') delete headers['authorization'];
  const method = options.method ?? 'POST';
  const response = await fetch(`${baseUrl}/${endpoint}`, {
    method,
    headers,
    ...(method === 'GET' || method === 'HEAD' ? {} : { body: options.rawBody ?? JSON.stringify(body) }),
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const text = await response.text();
  let parsed: Record<string, unknown>;
  try {
    parsed = JSON.parse(text) as Record<string, unknown>;
  } catch {
    parsed = {};
  }
  return { status: response.status, headers: response.headers, body: parsed, text };
}

export async function adminGet(baseUrl: string, route: string): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/_sandbox/${route}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

export async function adminPost(baseUrl: string, route: string, body: unknown): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(`${baseUrl}/_sandbox/${route}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

/** Test clock that starts at a fixed instant and moves only when `advance` is called. */
export function manualClock(startIso = '2026-06-01T12:00:00.000Z'): { now(): number; advance(ms: number): void } {
  let current = Date.parse(startIso);
  return {
    now: () => current,
    advance: (ms) => {
      current += ms;
    },
  };
}

/** Loosely typed access for assertions on JSON bodies. */
export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
