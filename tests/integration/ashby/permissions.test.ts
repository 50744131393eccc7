// checkPermissions on the scopes a sandbox key reports through apiKey.info.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPermissions, createAshbyClient } from '../../../core/ashby/index.js';
import { DEFAULT_ENABLED_EVENTS } from '../../../shared/domain.js';
import type { Harness } from './sandbox-harness.js';
import { startHarness } from './sandbox-harness.js';

const TENANT = 'Globex Logistics';
let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});
afterAll(async () => {
  await harness.sandbox.close();
});

async function scopesOf(permissions: string[] | undefined): Promise<string[]> {
  const apiKey = harness.sandbox.createKey(TENANT, permissions ? { permissions } : {});
  const client = createAshbyClient({ baseUrl: harness.url, apiKey, label: TENANT });
  return (await client.apiKey.info()).results.scopes;
}

describe('permission check against the sandbox', () => {
  it('passes a full-permission key', async () => {
    const result = checkPermissions(await scopesOf(undefined), DEFAULT_ENABLED_EVENTS);
    expect(result.ok).toBe(true);
    expect(result.missing).toEqual([]);
  });

  it('names candidatesWrite for every enabled event', async () => {
    const scopes = await scopesOf(['apiKeysRead', 'candidatesRead', 'jobsRead', 'interviewsRead', 'hiringProcessMetadataRead']);
    const result = checkPermissions(scopes, DEFAULT_ENABLED_EVENTS);

    expect(result.ok).toBe(false);
    expect(result.missing).toEqual(['candidatesWrite']);
    expect(result.events.map((event) => event.event)).toEqual([...DEFAULT_ENABLED_EVENTS]);
    for (const event of result.events) expect(event.missing).toEqual(['candidatesWrite']);
  });
});
