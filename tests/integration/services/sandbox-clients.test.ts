// Sandbox clients keep their API key in the database, so the services only accept them for a
// sandbox on this machine: adding one, moving one to another base URL and replacing its key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { getClient, updateClientSettings as updateClientRow } from '../../../core/store/repo/clients.js';
import { addClient, listClients, openServices, replaceKey, updateClientSettings, type Services } from '../../../core/services/index.js';
import { AppError } from '../../../shared/errors.js';

const TENANT = 'Northwind Robotics';

let sandbox: Sandbox;
let dataDir: string;
let services: Services;

function keyOf(name: string): string {
  return sandbox.tenants.find((tenant) => tenant.name === name)?.apiKey ?? '';
}

// 0.0.0.0 is not a loopback address, yet a connection to it stays on this machine.
function remoteUrl(): string {
  return sandbox.url.replace('127.0.0.1', '0.0.0.0');
}

async function expectAppError(promise: Promise<unknown>, code: string): Promise<AppError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(AppError);
  expect((error as AppError).code).toBe(code);
  return error as AppError;
}

beforeEach(async () => {
  sandbox = await startSandbox({ port: 0, seed: 'demo' });
  dataDir = mkdtempSync(path.join(tmpdir(), 'sandbox-clients-test-'));
  services = await openServices({ dataDir, env: { ASHBY_SYNC_SECRET_STORE: 'memory' }, runEngine: false, fileLogging: false });
});

afterEach(async () => {
  await services.close();
  await sandbox.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('sandbox clients', () => {
  it('rejects a remote host before calling it', async () => {
    sandbox.resetCallCounts(TENANT);
    const error = await expectAppError(
      addClient(services, { name: TENANT, baseUrl: remoteUrl(), apiKey: keyOf(TENANT), sandbox: true }),
      'validation_failed',
    );
    expect(error.message).toContain('Sandbox keys are kept in the database');
    expect(error.message).toContain('without --sandbox');
    expect(listClients(services)).toEqual([]);
    expect(sandbox.callCounts(TENANT).total).toBe(0);
  });

  it('accepts localhost', async () => {
    const local = sandbox.url.replace('127.0.0.1', 'localhost');
    const { client } = await addClient(services, { name: TENANT, baseUrl: local, apiKey: keyOf(TENANT), sandbox: true });
    expect(client.isSandbox).toBe(true);
    expect(getClient(services.db, client.id)?.sandboxApiKey).toBe(keyOf(TENANT));
  });

  it('rejects moving to a remote host', async () => {
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: keyOf(TENANT), sandbox: true });
    await expectAppError(updateClientSettings(services, TENANT, { baseUrl: remoteUrl() }), 'validation_failed');
    expect(getClient(services.db, client.id)?.baseUrl).toBe(sandbox.url);
  });

  it('stores no new key for a remote host', async () => {
    const { client } = await addClient(services, { name: TENANT, baseUrl: sandbox.url, apiKey: keyOf(TENANT), sandbox: true });
    // A row written before the loopback rule existed.
    updateClientRow(services.db, services.clock, client.id, { baseUrl: remoteUrl() });
    await expectAppError(replaceKey(services, TENANT, sandbox.createKey(TENANT)), 'validation_failed');
    expect(getClient(services.db, client.id)?.sandboxApiKey).toBe(keyOf(TENANT));
  });
});
