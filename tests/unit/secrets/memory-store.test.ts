import { describe, expect, it } from 'vitest';
import {
  createSecretStore,
  KeytarSecretStore,
  MemorySecretStore,
} from '../../../core/secrets/secret-store.js';
import { scrubSecrets } from '../../../core/log/logger.js';

describe('secret store selection', () => {
  it('uses the keychain unless memory is requested', () => {
    expect(createSecretStore({})).toBeInstanceOf(KeytarSecretStore);
    expect(createSecretStore({ ASHBY_SYNC_SECRET_STORE: 'keychain' }).kind).toBe('keychain');
    expect(createSecretStore({ ASHBY_SYNC_SECRET_STORE: 'memory' })).toBeInstanceOf(MemorySecretStore);
  });

  it('rejects an unknown store name', () => {
    expect(() => createSecretStore({ ASHBY_SYNC_SECRET_STORE: 'file' })).toThrow(/must be "memory" or "keychain"/);
  });
});

describe('memory secret store', () => {
  it('keeps keys in memory', async () => {
    const store = new MemorySecretStore();

    await store.set('client:1', 'memory-secret-value-1');
    expect(await store.get('client:1')).toBe('memory-secret-value-1');
    expect(await store.get('client:2')).toBeNull();
    expect(await store.delete('client:1')).toBe(true);
    expect(await store.delete('client:1')).toBe(false);
  });

  it('registers stored keys for log scrubbing', async () => {
    const store = new MemorySecretStore();
    await store.set('client:3', 'memory-secret-value-3');
    expect(scrubSecrets('key memory-secret-value-3 leaked')).toBe('key [redacted] leaked');
  });

  it('rejects an empty key', async () => {
    await expect(new MemorySecretStore().set('client:4', '')).rejects.toThrow(/empty secret/);
  });
});
