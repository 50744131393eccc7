// Access rules of the browser host. The host serves one person's console on their own machine,
// so it binds to loopback only, and a per-start random token keeps other local users' processes
// and web pages (which can reach 127.0.0.1 too) away from the console's data.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import net from 'node:net';
import { AppError } from '../../shared/errors.js';
import { TOKEN_PARAMETER } from '../../shared/contract/wire.js';

/** Creates a token with 256 bits of randomness, URL-safe. */
export function createAccessToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Cookie name per port, because browsers share cookies between ports of the same host. */
export function tokenCookieName(port: number): string {
  return `ashby_sync_token_${port}`;
}

/** Returns true for 127.0.0.0/8, ::1 (also as an IPv4-mapped address) and `localhost`. */
export function isLoopbackHost(host: string): boolean {
  if (host === 'localhost') return true;
  const bare = host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
  if (net.isIPv4(bare)) return bare.startsWith('127.');
  if (net.isIPv6(bare)) {
    const lower = bare.toLowerCase();
    if (lower === '::1' || lower === '0:0:0:0:0:0:0:1') return true;
    const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(lower);
    return mapped !== null && mapped[1] !== undefined && mapped[1].startsWith('127.');
  }
  return false;
}

/** Throws unless `host` is a loopback address. */
export function assertLoopbackHost(host: string): void {
  if (isLoopbackHost(host)) return;
  throw new AppError(
    'invalid_input',
    `The browser host only listens on a loopback address (127.0.0.1, ::1 or localhost), not "${host}", ` +
      'because anyone who can reach the port could use the console. To use it from another machine, ' +
      'forward the port over SSH (ssh -L).',
  );
}

/** Formats `host` for a URL (IPv6 addresses go in brackets). */
export function urlHost(host: string): string {
  return net.isIPv6(host) ? `[${host}]` : host;
}

function tokensEqual(expected: string, presented: string | undefined): boolean {
  if (presented === undefined) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(presented);
  return a.length === b.length && timingSafeEqual(a, b);
}

function readCookie(request: IncomingMessage, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const separator = part.indexOf('=');
    if (separator < 0) continue;
    if (part.slice(0, separator).trim() === name) return part.slice(separator + 1).trim();
  }
  return undefined;
}

export type TokenSource = 'query' | 'cookie' | null;

/** Returns where a valid token was found on the request, or null when there is none. */
export function findValidToken(
  request: IncomingMessage,
  url: URL,
  token: string,
  port: number,
): TokenSource {
  if (tokensEqual(token, url.searchParams.get(TOKEN_PARAMETER) ?? undefined)) return 'query';
  if (tokensEqual(token, readCookie(request, tokenCookieName(port)))) return 'cookie';
  return null;
}

/** The Set-Cookie value that lets the page's later requests and its WebSocket skip the query. */
export function tokenCookie(token: string, port: number): string {
  return `${tokenCookieName(port)}=${token}; Path=/; HttpOnly; SameSite=Strict`;
}
