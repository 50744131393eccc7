// Runs against the real OS keychain through keytar (gnome-keyring over D-Bus on Linux).
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../core/clock.js';
import { closeLogging, createLogger, initLogging } from '../../../core/log/logger.js';
import { clientAccount, KEYCHAIN_SERVICE, KeytarSecretStore } from '../../../core/secrets/secret-store.js';
import { closeDatabase, openDatabase } from '../../../core/store/db.js';
import { appendAudit } from '../../../core/store/repo/audit.js';
import { createClient, setClientKeyInfo } from '../../../core/store/repo/clients.js';
import { HOW_TO_RUN_KEYCHAIN_TESTS, isKeychainRequired, probeKeychain, TEST_SERVICE } from './keychain-env.js';
import { basicAuthForm, findKeyBytes, listFiles } from './scan.js';

const unavailable = await probeKeychain();

if (unavailable !== null && isKeychainRequired()) {
  describe('keychain', () => {
    it('has a Secret Service to test against', () => {
      throw new Error(`${HOW_TO_RUN_KEYCHAIN_TESTS}. Probe failed: ${unavailable}`);
    });
  });
}

if (unavailable !== null && !isKeychainRequired()) {
  describe('keychain', () => {
    it.skip(`skipped, no Secret Service (${unavailable}). ${HOW_TO_RUN_KEYCHAIN_TESTS}`, () => {});
  });
}

function newKey(): string {
  return `ashby-test-key-${randomBytes(16).toString('hex')}`;
}

describe.skipIf(unavailable !== null)('keychain through keytar', () => {
  const store = new KeytarSecretStore({ service: TEST_SERVICE });
  const accounts: string[] = [];

  function account(): string {
    const name = `client:test-${process.pid}-${accounts.length}`;
    accounts.push(name);
    return name;
  }

  afterEach(async () => {
    for (const name of accounts.splice(0)) await store.delete(name);
  });

  it('uses the product service name by default', () => {
    expect(new KeytarSecretStore().service).toBe(KEYCHAIN_SERVICE);
    expect(store.kind).toBe('keychain');
  });

  it('sets, gets, replaces and deletes a key', async () => {
    const name = account();
    const first = newKey();
    const second = newKey();

    expect(await store.get(name)).toBeNull();
    await store.set(name, first);
    expect(await store.get(name)).toBe(first);

    await store.set(name, second);
    expect(await store.get(name)).toBe(second);

    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeNull();
    expect(await store.delete(name)).toBe(false);
  });

  it('keeps keys of different clients apart', async () => {
    const a = account();
    const b = account();
    const keyA = newKey();
    const keyB = newKey();
    await store.set(a, keyA);
    await store.set(b, keyB);

    expect(await store.get(a)).toBe(keyA);
    expect(await store.get(b)).toBe(keyB);
    await store.delete(a);
    expect(await store.get(b)).toBe(keyB);
  });

  describe('key bytes in the data folder', () => {
    let dataDir: string;

    beforeEach(() => {
      dataDir = mkdtempSync(path.join(tmpdir(), 'ashby-keyflow-'));
    });

    afterEach(async () => {
      await closeLogging();
      rmSync(dataDir, { recursive: true, force: true });
    });

    it('byte search finds a planted key', () => {
      // Guards the search itself: the absence checks below would pass trivially if it never matched.
      const key = newKey();
      const planted = path.join(dataDir, 'planted.bin');
      writeFileSync(planted, Buffer.concat([randomBytes(64), Buffer.from(`x${basicAuthForm(key)}y`), randomBytes(64)]));
      expect(findKeyBytes([planted], key)).toEqual([`${planted}: ${basicAuthForm(key)}`]);
    });

    it('never writes the key to SQLite or the logs', async () => {
      const key = newKey();
      initLogging({ dataDir, level: 'debug' });
      const file = path.join(dataDir, 'console.sqlite');
      const db = openDatabase({ file });
      const client = createClient(db, systemClock, { name: 'Acme Fake', baseUrl: 'https://api.ashbyhq.com' });
      const name = clientAccount(client.id);
      accounts.push(name);
      const keyed = new KeytarSecretStore({ service: TEST_SERVICE });

      await keyed.set(name, key);
      expect(await keyed.get(name)).toBe(key);

      const log = createLogger('ashby');
      log.info({ apiKey: key, clientId: client.id }, 'testing the connection');
      log.info({ request: { headers: { authorization: `Basic ${basicAuthForm(key)}` } } }, 'sending apiKey.info');
      log.debug({ headers: { authorization: `Basic ${basicAuthForm(key)}` } }, 'request headers');
      log.error({ err: new Error(`Ashby rejected key ${key}`) }, `connection test failed for ${key}`);
      setClientKeyInfo(db, systemClock, client.id, { title: 'Console key', scopes: ['candidates:read'] });
      appendAudit(db, systemClock, {
        clientId: client.id,
        action: 'client.test_connection',
        outcome: 'failed',
        message: `Ashby answered 401 for ${key}`,
        details: { authorization: `Basic ${basicAuthForm(key)}` },
      });

      // The -wal and -shm files exist only while the database is open, so they are searched now.
      const whileOpen = [file, `${file}-wal`, `${file}-shm`];
      expect(findKeyBytes(whileOpen, key)).toEqual([]);

      closeDatabase(db);
      await closeLogging();

      const files = listFiles(dataDir);
      expect(files.some((found) => found.endsWith(path.join('logs', 'console.log')))).toBe(true);
      expect(findKeyBytes(files, key)).toEqual([]);
    });
  });
});
