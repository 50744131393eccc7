import type { ServerResponse } from 'node:http';

export function sendJson(response: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...headers,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  response.end(text);
}

/** Ashby's error envelope: `errors` (deprecated list of codes) plus `errorInfo`. */
export function errorEnvelope(code: string, message: string, requestId: string): Record<string, unknown> {
  return { success: false, errors: [code], errorInfo: { code, message, requestId } };
}

export function isLoopback(address: string | undefined): boolean {
  return address === '127.0.0.1' || address === '::1' || address === '::ffff:127.0.0.1';
}
