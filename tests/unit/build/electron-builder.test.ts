// electron-builder.yml is only read when packaging, which needs the Electron binary; this checks it
// against electron-builder's own schema so a typo is caught on every test run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const require = createRequire(import.meta.url);

interface ConfigModule {
  validateConfiguration(config: unknown, debugLogger: unknown): Promise<void>;
}
interface BuilderUtilModule {
  DebugLogger: new (isEnabled: boolean) => unknown;
}

// NOTE: validateConfiguration is an internal module of app-builder-lib (26.x), not a public API.
const { validateConfiguration } =
  require('app-builder-lib/out/util/config/config.js') as ConfigModule;
const { DebugLogger } = require('builder-util') as BuilderUtilModule;

function validate(config: unknown): Promise<void> {
  return validateConfiguration(config, new DebugLogger(false));
}

describe('electron-builder.yml', () => {
  const config = parse(readFileSync('electron-builder.yml', 'utf8')) as Record<string, unknown>;

  it('matches the electron-builder schema', async () => {
    await expect(validate(config)).resolves.toBeUndefined();
  });

  it('rejects an unknown key', async () => {
    await expect(validate({ ...config, unknownKey: true })).rejects.toThrow(/unknown property/);
  });

  it('packs the electron-vite output', () => {
    expect(config.files).toContain('out/**');
  });
});
