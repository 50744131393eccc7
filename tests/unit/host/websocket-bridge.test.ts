// The renderer's WebSocket transport against a real browser host. Node 20 has no global
// WebSocket, so the `ws` client is used instead, with the Origin header a browser would send.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserHost, type BrowserHost } from '../../../core/host/server.js';
import { createWebSocketBridge } from '../../../renderer/src/api/websocket-bridge.js';
import type { AshbySyncBridge, EventPayload } from '../../../shared/contract/index.js';

let root: string;
let host: BrowserHost;
let bridge: AshbySyncBridge;

function pageLocation(target: BrowserHost, token: string): Location {
  const url = new URL(`${target.origin}/?token=${token}`);
  return { protocol: url.protocol, host: url.host, search: url.search } as Location;
}

beforeAll(async () => {
  root = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-bridge-'));
  mkdirSync(path.join(root, 'renderer'));
  writeFileSync(path.join(root, 'renderer', 'index.html'), '<!doctype html>');
  host = await startBrowserHost({
    dataDir: path.join(root, 'data'),
    staticDir: path.join(root, 'renderer'),
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    fileLogging: false,
  });

  const origin = host.origin;
  class BrowserLikeWebSocket extends WebSocket {
    constructor(url: string) {
      super(url, { origin });
    }
  }
  globalThis.WebSocket = BrowserLikeWebSocket as unknown as typeof globalThis.WebSocket;
  bridge = createWebSocketBridge(pageLocation(host, host.token));
});

afterAll(async () => {
  await host?.close();
  rmSync(root, { recursive: true, force: true });
});

describe('WebSocket bridge', () => {
  it('calls app:info on the host', async () => {
    const result = await bridge.app.info();

    expect(result).toMatchObject({ ok: true, value: { transport: 'browser' } });
  });

  it('returns invalid_input from the host', async () => {
    const result = await bridge.clients.list({ unexpected: true } as never);

    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('delivers push events to subscribers', async () => {
    await bridge.app.info();
    const received = new Promise<EventPayload<'client:status'>>((resolve) => {
      const stop = bridge.subscribe('client:status', (payload) => {
        stop();
        resolve(payload);
      });
    });

    host.context?.events.emit('client:status', {
      clientId: 9,
      status: 'needs_attention',
      reason: 'archive reason not set',
    });

    expect(await received).toEqual({
      clientId: 9,
      status: 'needs_attention',
      reason: 'archive reason not set',
    });
  });

  it('returns host_unreachable with a wrong token', async () => {
    const rejected = createWebSocketBridge(pageLocation(host, 'wrong-token'));

    const result = await rejected.app.info();

    expect(result).toMatchObject({ ok: false, error: { code: 'host_unreachable' } });
  });

  it('returns host_unreachable after the host stops', async () => {
    await bridge.app.info();
    await host.close();

    const result = await bridge.app.info();

    expect(result).toMatchObject({ ok: false, error: { code: 'host_unreachable' } });
  });
});
