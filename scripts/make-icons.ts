// Renders every app icon the installers need from the one source, resources/icon.svg:
//   resources/icons/<size>x<size>.png for 16…1024 px (Linux AppImage and deb pick sizes from here),
//   resources/icons/icon.png (1024 px, the window icon and electron-builder's fallback),
//   resources/icons/icon.ico (Windows, 16…256 px inside) and resources/icons/icon.icns (macOS).
// Run `npx tsx scripts/make-icons.ts` after editing the SVG and commit the output.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';
import png2icons from 'png2icons';

const root = path.resolve(import.meta.dirname, '..');
const source = path.join(root, 'resources/icon.svg');
const outputDir = path.join(root, 'resources/icons');

/** Pixel sizes written as PNG files; 1024 is the largest an .icns holds. */
const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const;

function renderPng(svg: Buffer, size: number): Buffer {
  const rendered = new Resvg(svg, { fitTo: { mode: 'width', value: size } }).render();
  if (rendered.width !== size || rendered.height !== size) {
    throw new Error(`${source} rendered at ${rendered.width}x${rendered.height}, expected ${size}x${size}: the SVG must be square.`);
  }
  return rendered.asPng();
}

function main(): void {
  const svg = readFileSync(source);
  mkdirSync(outputDir, { recursive: true });

  let largest: Buffer | null = null;
  for (const size of ICON_SIZES) {
    const png = renderPng(svg, size);
    writeFileSync(path.join(outputDir, `${size}x${size}.png`), png);
    largest = png;
  }
  if (largest === null) throw new Error('ICON_SIZES is empty.');
  writeFileSync(path.join(outputDir, 'icon.png'), largest);

  // png2icons scales the 1024 px PNG down to each size the formats hold.
  const ico = png2icons.createICO(largest, png2icons.BICUBIC2, 0, true, true);
  const icns = png2icons.createICNS(largest, png2icons.BICUBIC2, 0);
  if (ico === null || icns === null) throw new Error('png2icons could not convert the 1024 px PNG.');
  writeFileSync(path.join(outputDir, 'icon.ico'), ico);
  writeFileSync(path.join(outputDir, 'icon.icns'), icns);

  process.stdout.write(`wrote ${ICON_SIZES.length} PNGs, icon.png, icon.ico and icon.icns to ${path.relative(root, outputDir)}\n`);
}

main();
