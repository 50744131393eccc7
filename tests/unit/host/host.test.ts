// The browser host over real HTTP and WebSocket connections on 127.0.0.1, port 0, with a real
// AppContext in a temp folder and a stand-in renderer build.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../core/host/server.js';
import { isLoopbackHost, tokenCookieName } from '../../../core/host/security.js';
import { CHANNEL_NAMES } from '../../../shared/contract/index.js';
import { ServerFrame, type RequestFrame } from '../../../shared/contract/wire.js';

interface HttpReply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

function get(
  host: BrowserHost,
  requestPath: string,
  headers: Record<string, string> = {},
): Promise<HttpReply> {
  return new Promise((resolve, reject) => {
    const request = http.get(
      { host: host.host, port: host.port, path: requestPath, headers },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
  });
}

/** Opens a WebSocket and resolves once it is open, or rejects with the handshake failure. */
function connect(url: string, options: WebSocket.ClientOptions = {}): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, options);
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
  });
}

function nextFrame(socket: WebSocket): Promise<ServerFrame> {
  return new Promise((resolve) => {
    socket.once('message', (data) => resolve(ServerFrame.parse(JSON.parse(data.toString()))));
  });
}

async function call(socket: WebSocket, frame: RequestFrame | string): Promise<ServerFrame> {
  const reply = nextFrame(socket);
  socket.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  return reply;
}

const INDEX_HTML = '<!doctype html><title>stand-in renderer</title>';

let root: string;
let host: BrowserHost;
let socketUrl: string;

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-host-'));
  const staticDir = path.join(root, 'renderer');
  mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
  writeFileSync(path.join(staticDir, 'index.html'), INDEX_HTML);
  writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'export {};\n');
  writeFileSync(path.join(root, 'outside.txt'), 'outside the static folder');

  host = await startBrowserHost({
    dataDir: path.join(root, 'data'),
    staticDir,
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    fileLogging: false,
  });
  socketUrl = `ws://127.0.0.1:${host.port}/ws`;
});

afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('browser host HTTP', () => {
  it('prints a loopback URL with the token', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token.length).toBeGreaterThanOrEqual(43);
    expect(host.context).not.toBeNull();
  });

  it('rejects a request without token with 403', async () => {
    const reply = await get(host, '/');

    expect(reply.status).toBe(403);
    expect(reply.body).not.toContain('stand-in renderer');
    // The desktop app and the CLI start the host too, so the body names no npm script.
    expect(reply.body).toContain('the full URL the console printed when it started (it contains a token)');
    expect(reply.body).not.toContain('npm run host');
  });

  it('rejects a wrong token with 403', async () => {
    const reply = await get(host, `/?token=${'x'.repeat(host.token.length)}`);

    expect(reply.status).toBe(403);
  });

  it('rejects an asset request without token', async () => {
    const reply = await get(host, '/assets/app.js');

    expect(reply.status).toBe(403);
  });

  it('rejects a foreign Host header', async () => {
    const reply = await get(host, `/?token=${host.token}`, {
      Host: `attacker.example:${host.port}`,
    });

    expect(reply.status).toBe(403);
  });

  it('serves the page and sets a strict cookie', async () => {
    const reply = await get(host, `/?token=${host.token}`);

    expect(reply.status).toBe(200);
    expect(reply.body).toBe(INDEX_HTML);
    const cookie = reply.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toContain(`${tokenCookieName(host.port)}=${host.token}`);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(reply.headers['content-security-policy']).toContain(
      `connect-src ws://127.0.0.1:${host.port}`,
    );
    expect(reply.headers['content-security-policy']).toContain("script-src 'self'");
    expect(reply.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with the cookie alone', async () => {
    const reply = await get(host, '/assets/app.js', {
      Cookie: `${tokenCookieName(host.port)}=${host.token}`,
    });

    expect(reply.status).toBe(200);
    expect(reply.headers['content-type']).toContain('text/javascript');
  });

  it('does not serve files outside the build', async () => {
    const cookie = { Cookie: `${tokenCookieName(host.port)}=${host.token}` };

    const dotted = await get(host, '/../outside.txt', cookie);
    const encoded = await get(host, '/%2e%2e/outside.txt', cookie);

    expect(dotted.body).not.toContain('outside the static folder');
    expect(encoded.status).toBe(404);
    expect(encoded.body).not.toContain('outside the static folder');
  });
});

describe('browser host WebSocket', () => {
  it('rejects an upgrade without token', async () => {
    await expect(connect(socketUrl, { origin: host.origin })).rejects.toThrow(/403/);
  });

  it('rejects a wrong Origin', async () => {
    await expect(
      connect(`${socketUrl}?token=${host.token}`, { origin: 'http://attacker.example' }),
    ).rejects.toThrow(/403/);
  });

  it('rejects another local port as Origin', async () => {
    await expect(
      connect(`${socketUrl}?token=${host.token}`, { origin: `http://127.0.0.1:${host.port + 1}` }),
    ).rejects.toThrow(/403/);
  });

  it('rejects an upgrade without Origin', async () => {
    await expect(connect(`${socketUrl}?token=${host.token}`)).rejects.toThrow(/403/);
  });

  it('answers app:info with token and origin', async () => {
    const socket = await connect(`${socketUrl}?token=${host.token}`, { origin: host.origin });
    try {
      const reply = await call(socket, { type: 'request', id: 1, channel: 'app:info', input: {} });

      expect(reply.type).toBe('result');
      if (reply.type !== 'result') return;
      expect(reply.id).toBe(1);
      expect(reply.result).toMatchObject({
        ok: true,
        value: { transport: 'browser', secretStore: { kind: 'memory' } },
      });
    } finally {
      socket.close();
    }
  });

  it('accepts the cookie instead of the query token', async () => {
    const socket = await connect(socketUrl, {
      origin: host.origin,
      headers: { Cookie: `${tokenCookieName(host.port)}=${host.token}` },
    });
    try {
      const reply = await call(socket, {
        type: 'request',
        id: 2,
        channel: 'clients:list',
        input: {},
      });

      expect(reply).toEqual({ type: 'result', id: 2, result: { ok: true, value: [] } });
    } finally {
      socket.close();
    }
  });

  it('rejects malformed input on every channel', async () => {
    const socket = await connect(`${socketUrl}?token=${host.token}`, { origin: host.origin });
    try {
      for (const [index, channel] of CHANNEL_NAMES.entries()) {
        const reply = await call(socket, {
          type: 'request',
          id: 100 + index,
          channel,
          input: 'malformed',
        });

        expect(reply).toMatchObject({
          type: 'result',
          id: 100 + index,
          result: { ok: false, error: { code: 'invalid_input' } },
        });
      }
    } finally {
      socket.close();
    }
  });

  it('answers an unreadable frame with invalid_input', async () => {
    const socket = await connect(`${socketUrl}?token=${host.token}`, { origin: host.origin });
    try {
      const reply = await call(socket, '{not json');

      expect(reply).toMatchObject({
        type: 'result',
        id: null,
        result: { ok: false, error: { code: 'invalid_input' } },
      });
    } finally {
      socket.close();
    }
  });

  it('forwards push events to the page', async () => {
    const socket = await connect(`${socketUrl}?token=${host.token}`, { origin: host.origin });
    try {
      const frame = nextFrame(socket);
      host.context?.events.emit('client:status', {
        clientId: 4,
        status: 'offline',
        reason: 'no network',
      });

      expect(await frame).toEqual({
        type: 'event',
        name: 'client:status',
        payload: { clientId: 4, status: 'offline', reason: 'no network' },
      });
    } finally {
      socket.close();
    }
  });
});

describe('browser host binding', () => {
  it.each(['0.0.0.0', '::', '192.168.1.10', 'example.com'])(
    'refuses to bind to %s',
    async (address) => {
      const dataDir = path.join(root, `refused-${address.replace(/[^a-z0-9]/gi, '_')}`);

      await expect(
        startBrowserHost({
          host: address,
          dataDir,
          env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
          fileLogging: false,
        }),
      ).rejects.toThrow(/only listens on a loopback address/);
      // Rejected before anything was opened.
      expect(existsSync(dataDir)).toBe(false);
    },
  );

  it.each([
    ['127.0.0.1', true],
    ['127.8.9.10', true],
    ['::1', true],
    ['[::1]', true],
    ['::ffff:127.0.0.1', true],
    ['localhost', true],
    ['0.0.0.0', false],
    ['::', false],
    ['10.0.0.1', false],
    ['::ffff:10.0.0.1', false],
    ['localhost.example.com', false],
  ])('classifies %s as loopback: %s', (address, expected) => {
    expect(isLoopbackHost(address)).toBe(expected);
  });
});
