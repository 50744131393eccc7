// electron-builder.yml is only read when packaging, which needs the Electron binary. This checks it
// against the JSON schema app-builder-lib ships (node_modules/app-builder-lib/scheme.json) with
// ajv, and checks that every icon and entitlements file it names exists at the size the targets need.
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../../..');
const schema = JSON.parse(
  readFileSync(path.join(root, 'node_modules/app-builder-lib/scheme.json'), 'utf8'),
) as object;
const config = parse(readFileSync(path.join(root, 'electron-builder.yml'), 'utf8')) as BuilderConfig;

interface BuilderConfig {
  appId?: string;
  productName?: string;
  asarUnpack?: string[];
  publish?: { provider?: string; url?: string };
  directories?: { buildResources?: string };
  linux?: { target?: string[]; icon?: string };
  mac?: {
    target?: string[];
    icon?: string;
    hardenedRuntime?: boolean;
    entitlements?: string;
    entitlementsInherit?: string;
  };
  win?: { target?: string[]; icon?: string };
}

// electron-builder's schema carries TypeScript-generated keywords ajv's strict mode rejects.
const ajv = new Ajv({ strict: false, allErrors: true });
const validate = ajv.compile(schema);

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = readFileSync(file);
  expect(bytes.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

/** Width of each image in an .ico directory (a stored 0 means 256). */
function icoSizes(file: string): number[] {
  const bytes = readFileSync(file);
  expect(bytes.readUInt16LE(2)).toBe(1);
  const count = bytes.readUInt16LE(4);
  const sizes: number[] = [];
  for (let index = 0; index < count; index += 1) {
    const width = bytes.readUInt8(6 + index * 16);
    sizes.push(width === 0 ? 256 : width);
  }
  return sizes;
}

/** Four-letter types of the image entries of an .icns file. */
function icnsTypes(file: string): string[] {
  const bytes = readFileSync(file);
  expect(bytes.subarray(0, 4).toString('latin1')).toBe('icns');
  expect(bytes.readUInt32BE(4)).toBe(bytes.length);
  const types: string[] = [];
  for (let offset = 8; offset < bytes.length; ) {
    types.push(bytes.subarray(offset, offset + 4).toString('latin1'));
    const length = bytes.readUInt32BE(offset + 4);
    expect(length).toBeGreaterThan(8);
    offset += length;
  }
  return types;
}

describe('electron-builder.yml schema', () => {
  it('validates against scheme.json', () => {
    const valid = validate(config);
    expect(ajv.errorsText(validate.errors)).toBe('No errors');
    expect(valid).toBe(true);
  });

  it('rejects a misspelt key', () => {
    expect(validate({ ...config, productname: 'typo' })).toBe(false);
  });

  it('rejects an invalid target option', () => {
    expect(validate({ ...config, mac: { ...config.mac, hardenedRuntime: 'yes' } })).toBe(false);
  });
});

describe('electron-builder.yml settings', () => {
  it('names the product', () => {
    expect(config.productName).toBe('Ashby Sync Console');
    expect(config.appId).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)+$/);
  });

  it('builds every installer target', () => {
    expect(config.linux?.target).toEqual(expect.arrayContaining(['AppImage', 'deb']));
    expect(config.mac?.target).toContain('dmg');
    expect(config.win?.target).toContain('nsis');
  });

  it('signs macOS with the hardened runtime', () => {
    expect(config.mac?.hardenedRuntime).toBe(true);
    const entitlements = path.join(root, config.mac?.entitlements ?? 'missing');
    expect(existsSync(entitlements)).toBe(true);
    expect(config.mac?.entitlementsInherit).toBe(config.mac?.entitlements);
    const text = readFileSync(entitlements, 'utf8');
    expect(text).toContain('com.apple.security.cs.allow-jit');
    expect(text).toContain('com.apple.security.cs.disable-library-validation');
  });

  it('unpacks the native modules', () => {
    const patterns = config.asarUnpack ?? [];
    expect(patterns).toContain('**/*.node');
    expect(patterns).toContain('node_modules/better-sqlite3/**');
    expect(patterns).toContain('node_modules/keytar/**');
  });

  it('reads the update URL from the environment', () => {
    expect(config.publish?.provider).toBe('generic');
    expect(config.publish?.url).toBe('${env.ASHBY_SYNC_UPDATE_URL}');
  });
});

describe('app icons', () => {
  it('has a PNG per Linux size', () => {
    const folder = path.join(root, config.linux?.icon ?? 'missing');
    for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) {
      const file = path.join(folder, `${size}x${size}.png`);
      expect(existsSync(file), file).toBe(true);
      expect(pngSize(file)).toEqual({ width: size, height: size });
    }
  });

  it('has a 1024 px icon.png', () => {
    expect(pngSize(path.join(root, 'resources/icons/icon.png'))).toEqual({ width: 1024, height: 1024 });
  });

  it('has a Windows .ico up to 256 px', () => {
    const file = path.join(root, config.win?.icon ?? 'missing');
    const sizes = icoSizes(file);
    expect(sizes).toEqual(expect.arrayContaining([16, 32, 48, 256]));
  });

  it('has a macOS .icns with retina sizes', () => {
    const types = icnsTypes(path.join(root, config.mac?.icon ?? 'missing'));
    // ic10 is 1024 px (512@2x) and ic09 is 512 px, the sizes a dmg and the Dock use.
    expect(types).toEqual(expect.arrayContaining(['ic09', 'ic10']));
  });

  it('keeps the SVG source beside them', () => {
    const svg = readFileSync(path.join(root, 'resources/icon.svg'), 'utf8');
    expect(svg).toContain('viewBox="0 0 1024 1024"');
  });
});
