// The browser host: serves the built renderer on a loopback address and speaks the IPC contract
// over a WebSocket on the same port, for machines without the Electron binary. The renderer is
// the same code as in Electron; only its transport module differs.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { RequestFrame, WEBSOCKET_PATH, type ServerFrame } from '../../shared/contract/wire.js';
import { contentSecurityPolicy } from '../../shared/csp.js';
import type { ErrorPayload } from '../../shared/errors.js';
import { err } from '../../shared/result.js';
import { createApiRegistry, type ApiRegistry, type RegistryTarget } from '../api/registry.js';
import { handlers } from '../api/handlers/index.js';
import { createAppContext, DATABASE_FILE_NAME, toStartupError, type AppContext } from '../app/context.js';
import { applyPendingRestoreAtStart } from '../backup/backup.js';
import type { Clock } from '../clock.js';
import { createLogger, registerSecret } from '../log/logger.js';
import {
  assertLoopbackHost,
  createAccessToken,
  findValidToken,
  tokenCookie,
  urlHost,
} from './security.js';
import { isDownloadPath, sendExportDownload } from './export-downloads.js';
import { resolveStaticPath, sendStaticFile } from './static-files.js';

export const DEFAULT_STATIC_DIR = fileURLToPath(new URL('../../out/renderer', import.meta.url));

/** Largest WebSocket message accepted, in bytes; contract payloads are small JSON objects. */
const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface BrowserHostOptions {
  /** Loopback address to bind; anything else is rejected before a socket is opened. */
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  dataDir: string;
  /** Folder holding the built renderer's index.html. Default `out/renderer` in the repository. */
  staticDir?: string;
  env: NodeJS.ProcessEnv;
  clock?: Clock;
  /** Write the log file in the data folder. Default true. */
  fileLogging?: boolean;
}

export interface BrowserHost {
  /** The URL to open, including the access token. */
  readonly url: string;
  /** `http://host:port`; the only Origin accepted on the WebSocket. */
  readonly origin: string;
  readonly host: string;
  readonly port: number;
  readonly token: string;
  /** The opened context, or null when opening failed (then every call returns startupError). */
  readonly context: AppContext | null;
  readonly startupError: ErrorPayload | null;
  close(): Promise<void>;
}

/**
 * Opens the data folder and starts serving. Throws before binding when `host` is not a loopback
 * address. A data folder that cannot be opened does not stop the host: the page then shows the
 * error screen, because every call returns the startup error.
 */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const host = options.host ?? '127.0.0.1';
  assertLoopbackHost(host);
  const staticDir = options.staticDir ?? DEFAULT_STATIC_DIR;
  const logger = createLogger('host');

  let context: AppContext | null = null;
  let startupError: ErrorPayload | null = null;
  let target: RegistryTarget;
  // A restore staged with backup:restore replaces the database before anything opens it.
  applyPendingRestoreAtStart(path.join(options.dataDir, DATABASE_FILE_NAME), logger);
  try {
    context = await createAppContext({
      dataDir: options.dataDir,
      env: options.env,
      transport: 'browser',
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.fileLogging === undefined ? {} : { fileLogging: options.fileLogging }),
    });
    target = { context, handlers };
  } catch (error) {
    startupError = toStartupError(error);
    target = { startupError };
    logger.error(
      { code: startupError.code, reason: startupError.message },
      'could not open the data folder',
    );
  }
  const registry = createApiRegistry(target, createLogger('ipc'));

  const token = createAccessToken();
  // The token ends up in request URLs; the logger replaces it wherever it appears.
  registerSecret(token);

  const server = createServer();
  const sockets = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  try {
    await listen(server, host, options.port ?? 0);
  } catch (error) {
    await context?.close();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const hostPart = `${urlHost(host)}:${port}`;
  const origin = `http://${hostPart}`;
  const csp = contentSecurityPolicy({ connectSrc: [`ws://${hostPart}`] });

  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    handleRequest(request, response).catch((error: unknown) => {
      logger.error({ err: error, path: pathOf(request) }, 'request failed');
      if (!response.headersSent)
        response.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Internal error; see the log.\n');
    });
  });

  async function handleRequest(request: IncomingMessage, response: ServerResponse): Promise<void> {
    setSecurityHeaders(response, csp);
    const url = new URL(request.url ?? '/', origin);
    const source =
      request.headers.host === hostPart ? findValidToken(request, url, token, port) : null;
    if (source === null) {
      logger.warn(
        { method: request.method, path: url.pathname },
        'rejected request without a valid token',
      );
      response.writeHead(403, { 'Content-Type': 'text/plain; charset=utf-8' });
      response.end(
        'Forbidden: open the full URL the console printed when it started (it contains a token).\n',
      );
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { Allow: 'GET, HEAD', 'Content-Type': 'text/plain; charset=utf-8' });
      response.end('Method not allowed.\n');
      return;
    }
    if (source === 'query') response.setHeader('Set-Cookie', tokenCookie(token, port));
    if (isDownloadPath(url.pathname)) return sendExportDownload(context, url.pathname, response, logger);
    await sendStaticFile(
      response,
      resolveStaticPath(staticDir, url.pathname),
      request.method === 'HEAD',
    );
  }

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', origin);
    const reason = upgradeRejection(request, url);
    if (reason) {
      logger.warn(
        { path: url.pathname, origin: request.headers.origin ?? null, reason },
        'rejected WebSocket upgrade',
      );
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) =>
      sockets.emit('connection', client, request),
    );
  });

  function upgradeRejection(request: IncomingMessage, url: URL): string | null {
    if (url.pathname !== WEBSOCKET_PATH) return 'unknown path';
    if (request.headers.host !== hostPart) return 'wrong Host header';
    // Browsers always send Origin on WebSocket handshakes; only the host's own page may connect.
    if (request.headers.origin !== origin) return 'wrong Origin';
    if (findValidToken(request, url, token, port) === null) return 'missing or wrong token';
    return null;
  }

  sockets.on('connection', (client: WebSocket) => {
    logger.info({ clients: sockets.clients.size }, 'renderer connected');
    client.on('message', (data: RawData, isBinary: boolean) => {
      void answer(client, registry, data, isBinary);
    });
    client.on('error', (error: Error) => logger.warn({ err: error }, 'WebSocket error'));
  });

  const stopForwarding = context?.events.onAny((name, payload) => {
    const frame: ServerFrame = { type: 'event', name, payload };
    const text = JSON.stringify(frame);
    for (const client of sockets.clients) if (client.readyState === client.OPEN) client.send(text);
  });

  logger.info({ host, port, staticDir }, 'browser host listening');

  let closing: Promise<void> | null = null;
  async function close(): Promise<void> {
    stopForwarding?.();
    for (const client of sockets.clients) client.terminate();
    await new Promise<void>((resolve) => sockets.close(() => resolve()));
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    logger.info({ host, port }, 'browser host stopped');
    await context?.close();
  }

  return {
    url: `${origin}/?token=${token}`,
    origin,
    host,
    port,
    token,
    context,
    startupError,
    close: () => (closing ??= close()),
  };
}

async function answer(
  client: WebSocket,
  registry: ApiRegistry,
  data: RawData,
  isBinary: boolean,
): Promise<void> {
  let frame: ServerFrame;
  const request = isBinary ? null : RequestFrame.safeParse(parseJson(data.toString()));
  if (!request?.success) {
    frame = {
      type: 'result',
      id: null,
      result: err(
        'invalid_input',
        'Unreadable request: send a JSON text frame {type: "request", id, channel, input}.',
      ),
    };
  } else {
    const result = await registry.dispatch(request.data.channel, request.data.input);
    frame = { type: 'result', id: request.data.id, result };
  }
  if (client.readyState === client.OPEN) client.send(JSON.stringify(frame));
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function listen(
  server: ReturnType<typeof createServer>,
  host: string,
  port: number,
): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function setSecurityHeaders(response: ServerResponse, csp: string): void {
  response.setHeader('Content-Security-Policy', csp);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  // The page URL carries the token, so no request may send it on as a Referer.
  response.setHeader('Referrer-Policy', 'no-referrer');
  response.setHeader('Cache-Control', 'no-store');
  response.setHeader('X-Frame-Options', 'DENY');
  response.setHeader('Cross-Origin-Opener-Policy', 'same-origin');
  response.setHeader('Cross-Origin-Resource-Policy', 'same-origin');
}

function pathOf(request: IncomingMessage): string {
  return (request.url ?? '/').split('?')[0] ?? '/';
}
