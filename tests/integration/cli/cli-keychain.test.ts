// The CLI with the real OS keychain: a key added by one process is found by the next. Runs only
// when a Secret Service is reachable (DBUS_SESSION_BUS_ADDRESS set), for example inside
// `dbus-run-session` with gnome-keyring unlocked. Keys go under a keychain service of their own.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type Sandbox } from '../../../core/sandbox/index.js';
import { KeytarSecretStore } from '../../../core/secrets/secret-store.js';
import { createCliHarness, type CliHarness } from './cli-harness.js';

const TENANT = 'Globex Logistics';
const SERVICE = `ashby-sync-console-cli-test-${process.pid}`;
const hasSecretService = (process.env['DBUS_SESSION_BUS_ADDRESS'] ?? '') !== '';

let sandbox: Sandbox;
let cli: CliHarness;

describe.skipIf(!hasSecretService)('cli with the OS keychain', () => {
  beforeAll(async () => {
    sandbox = await startSandbox({ port: 0, seed: 'demo' });
    cli = createCliHarness({ ASHBY_SYNC_SECRET_STORE: 'keychain', ASHBY_SYNC_KEYCHAIN_SERVICE: SERVICE });
  });

  afterAll(async () => {
    await new KeytarSecretStore({ service: SERVICE }).delete('client:1');
    await sandbox.close();
    rmSync(cli.dataDir, { recursive: true, force: true });
  });

  it('key added by one process works in the next', async () => {
    const key = sandbox.tenants.find((tenant) => tenant.name === TENANT)?.apiKey ?? '';
    const added = await cli.run(['clients', 'add', '--name', TENANT, '--base-url', sandbox.url], { input: key });
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    expect(await new KeytarSecretStore({ service: SERVICE }).get('client:1')).toBe(key);

    const tested = await cli.run(['clients', 'test', TENANT]);
    expect(tested.code).toBe(0);
    expect(tested.stdout).toContain('has every permission the enabled events need');
    const jobs = await cli.json(['clients', 'jobs', TENANT]);
    expect((jobs.document.result as { title: string }[]).map((job) => job.title)).toContain('Site Reliability Engineer');
  });
});
