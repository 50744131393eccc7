// The API registry against a real AppContext (SQLite file in a temp folder, in-memory secret
// store). Channels are read from the contract map, so channels added later are covered too.
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createApiRegistry,
  type HandlerMap,
  type RegistryLogger,
} from '../../../core/api/registry.js';
import { handlers } from '../../../core/api/handlers/index.js';
import { createAppContext, type AppContext } from '../../../core/app/context.js';
import { createClient } from '../../../core/store/repo/clients.js';
import { CHANNEL_NAMES, channels, EVENT_NAMES } from '../../../shared/contract/index.js';
import { AppError } from '../../../shared/errors.js';

/** Payloads no channel accepts: every input is a strict object. */
const MALFORMED_PAYLOADS: Array<[string, unknown]> = [
  ['null', null],
  ['undefined', undefined],
  ['a string', 'clients'],
  ['a number', 42],
  ['an array', []],
  ['an unknown field', { unexpectedField: true }],
];

interface LoggedLine {
  level: string;
  object: object;
  message: string;
}

function recordingLogger(lines: LoggedLine[]): RegistryLogger {
  return {
    debug: (object, message) => lines.push({ level: 'debug', object, message }),
    warn: (object, message) => lines.push({ level: 'warn', object, message }),
    error: (object, message) => lines.push({ level: 'error', object, message }),
  };
}

let dataDir: string;
let context: AppContext;

beforeAll(async () => {
  dataDir = mkdtempSync(path.join(os.tmpdir(), 'ashby-sync-contract-'));
  context = await createAppContext({
    dataDir,
    env: { ASHBY_SYNC_SECRET_STORE: 'memory' },
    transport: 'browser',
    fileLogging: false,
  });
});

afterAll(async () => {
  await context?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('contract map', () => {
  it('names channels domain:verb', () => {
    for (const channel of CHANNEL_NAMES) expect(channel).toMatch(/^[a-z]+:[a-z][a-zA-Z]*$/);
  });

  it('keeps event names apart from channel names', () => {
    for (const name of EVENT_NAMES) expect(CHANNEL_NAMES).not.toContain(name);
  });

  it('has a handler for every channel', () => {
    expect(Object.keys(handlers).sort()).toEqual([...CHANNEL_NAMES].sort());
  });
});

describe.each(CHANNEL_NAMES)('channel %s', (channel) => {
  it.each(MALFORMED_PAYLOADS)('rejects %s with invalid_input', async (_label, payload) => {
    const lines: LoggedLine[] = [];
    const registry = createApiRegistry({ context, handlers }, recordingLogger(lines));

    const result = await registry.dispatch(channel, payload);

    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe('invalid_input');
    expect(result.error.message).toContain(channel);
    expect(Array.isArray(result.error.details)).toBe(true);
    expect((result.error.details as unknown[]).length).toBeGreaterThan(0);
    expect(
      lines.some((line) => line.level === 'warn' && line.message === 'rejected invalid input'),
    ).toBe(true);
  });

  it('rejects malformed input before a startup error', async () => {
    const registry = createApiRegistry(
      { startupError: { code: 'store_too_new', message: 'newer database' } },
      recordingLogger([]),
    );

    const result = await registry.dispatch(channel, 'not an object');

    expect(result.ok || result.error.code).toBe('invalid_input');
  });
});

describe('registry dispatch', () => {
  it('answers app:info', async () => {
    const registry = createApiRegistry({ context, handlers }, recordingLogger([]));

    const result = await registry.dispatch('app:info', {});

    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = channels['app:info'].output.parse(result.value);
    expect(info.dataDir).toBe(dataDir);
    expect(info.transport).toBe('browser');
    expect(info.secretStore.kind).toBe('memory');
    expect(info.secretStore.warning).toContain('ASHBY_SYNC_SECRET_STORE=memory');
  });

  it('lists clients from the store', async () => {
    const registry = createApiRegistry({ context, handlers }, recordingLogger([]));
    const empty = await registry.dispatch('clients:list', {});
    expect(empty).toEqual({ ok: true, value: [] });

    const created = createClient(context.db, context.clock, {
      name: 'Acme',
      baseUrl: 'http://127.0.0.1:1',
    });
    const listed = await registry.dispatch('clients:list', {});

    expect(listed).toEqual({
      ok: true,
      value: [
        {
          id: created.id,
          name: 'Acme',
          status: 'connected',
          statusReason: null,
          counts: { pending: 0, review: 0, failed: 0, needsAttention: 0 },
          lastPushAt: null,
          isSandbox: false,
        },
      ],
    });
  });

  it('returns not_found for an unknown channel', async () => {
    const registry = createApiRegistry({ context, handlers }, recordingLogger([]));

    const result = await registry.dispatch('clients:explode', {});

    expect(result.ok || result.error.code).toBe('not_found');
  });

  it('maps a thrown coded error to its code', async () => {
    const failing: HandlerMap = {
      ...handlers,
      'clients:list': () => {
        throw new AppError('busy', 'A bulk push holds the queue.', { details: { runId: 7 } });
      },
    };
    const registry = createApiRegistry({ context, handlers: failing }, recordingLogger([]));

    const result = await registry.dispatch('clients:list', {});

    expect(result).toEqual({
      ok: false,
      error: { code: 'busy', message: 'A bulk push holds the queue.', details: { runId: 7 } },
    });
  });

  it('maps an unexpected error to internal and logs it', async () => {
    const lines: LoggedLine[] = [];
    const failing: HandlerMap = {
      ...handlers,
      'clients:list': () => {
        throw new TypeError('cannot read properties of undefined (secret detail)');
      },
    };
    const registry = createApiRegistry({ context, handlers: failing }, recordingLogger(lines));

    const result = await registry.dispatch('clients:list', {});

    expect(result.ok || result.error.code).toBe('internal');
    expect(JSON.stringify(result)).not.toContain('secret detail');
    const logged = lines.find((line) => line.level === 'error');
    expect(logged?.object).toMatchObject({ channel: 'clients:list' });
  });

  it('rejects output that breaks the contract', async () => {
    const lines: LoggedLine[] = [];
    const broken = {
      ...handlers,
      'clients:list': () => [{ id: 'not a number' }],
    } as unknown as HandlerMap;
    const registry = createApiRegistry({ context, handlers: broken }, recordingLogger(lines));

    const result = await registry.dispatch('clients:list', {});

    expect(result.ok || result.error.code).toBe('internal');
    expect(
      lines.some((line) => line.message === 'handler output does not match the contract'),
    ).toBe(true);
  });

  it('strips fields the contract does not declare', async () => {
    const leaky = {
      ...handlers,
      'app:info': () => ({
        name: 'Ashby Sync Console',
        version: '0.0.0',
        dataDir,
        secretStore: { kind: 'keychain', warning: null },
        transport: 'browser',
        apiKey: 'must-not-reach-the-renderer',
      }),
    } as unknown as HandlerMap;
    const registry = createApiRegistry({ context, handlers: leaky }, recordingLogger([]));

    const result = await registry.dispatch('app:info', {});

    expect(result.ok).toBe(true);
    expect(JSON.stringify(result)).not.toContain('must-not-reach-the-renderer');
  });

  it('returns the startup error for valid calls', async () => {
    const startupError = {
      code: 'store_too_new' as const,
      message: 'The database has schema version 9.',
    };
    const registry = createApiRegistry({ startupError }, recordingLogger([]));

    const result = await registry.dispatch('app:info', {});

    expect(result).toEqual({ ok: false, error: startupError });
  });
});
