#!/usr/bin/env node
// Renders every icon from ONE source image, build/icon.svg (with @resvg/resvg-js):
//   build/icons/{16..1024}x{..}.png   Linux icon set (electron-builder linux.icon) and the window icon
//   build/icon.png (1024), build/icon.ico (Windows, PNG-compressed entries), build/icon.icns (macOS, PNG chunks)
//   build/icons/tray/tray-<state>.png (+ @2x)  tray icons: the same image with a status dot
//   build/icons/tray/tray-<state>Template.png (+ @2x)  macOS menu-bar template images: black + alpha only,
//     the state drawn as a shape (macOS tints template images for light/dark menu bars, so colour cannot carry it)
// Run: node scripts/generate-icons.mjs  (the outputs are committed; rerun after editing the SVG).
import { Resvg } from '@resvg/resvg-js';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'build');
const source = readFileSync(join(build, 'icon.svg'), 'utf8');

/** Tray states (TrayIconName in electron/main/surfaces/tray-surface.ts) and their dot colours. */
export const TRAY_STATES = {
  online: '#22c55e',
  'in-call': '#3b82f6',
  dnd: '#ef4444',
  reconnecting: '#f59e0b',
  offline: '#9ca3af',
  'signed-out': '#6b7280',
  ringing: '#22c55e',
};

function render(svg, size) {
  return new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render().asPng();
}

function withStatusDot(svg, colour, ringing) {
  const halo = ringing ? '<circle cx="800" cy="800" r="230" fill="none" stroke="#ffffff" stroke-width="40"/>' : '';
  return svg.replace('</svg>', `${halo}<circle cx="800" cy="800" r="190" fill="${colour}" stroke="#ffffff" stroke-width="48"/></svg>`);
}

/** ICO with PNG-compressed images (Windows Vista and later). */
function ico(images) {
  const header = Buffer.alloc(6 + 16 * images.length);
  header.writeUInt16LE(0, 0);
  header.writeUInt16LE(1, 2);
  header.writeUInt16LE(images.length, 4);
  let offset = header.length;
  images.forEach(({ size, png }, i) => {
    const entry = 6 + 16 * i;
    header.writeUInt8(size >= 256 ? 0 : size, entry);
    header.writeUInt8(size >= 256 ? 0 : size, entry + 1);
    header.writeUInt16LE(1, entry + 4);
    header.writeUInt16LE(32, entry + 6);
    header.writeUInt32LE(png.length, entry + 8);
    header.writeUInt32LE(offset, entry + 12);
    offset += png.length;
  });
  return Buffer.concat([header, ...images.map((image) => image.png)]);
}

/** ICNS with PNG chunks. */
function icns(chunks) {
  const parts = chunks.map(({ type, png }) => {
    const head = Buffer.alloc(8);
    head.write(type, 0, 'ascii');
    head.writeUInt32BE(png.length + 8, 4);
    return Buffer.concat([head, png]);
  });
  const head = Buffer.alloc(8);
  head.write('icns', 0, 'ascii');
  head.writeUInt32BE(8 + parts.reduce((n, p) => n + p.length, 0), 4);
  return Buffer.concat([head, ...parts]);
}

const sizes = [16, 24, 32, 48, 64, 128, 256, 512, 1024];
const pngs = new Map(sizes.map((size) => [size, render(source, size)]));
mkdirSync(join(build, 'icons', 'tray'), { recursive: true });
for (const [size, png] of pngs) writeFileSync(join(build, 'icons', `${size}x${size}.png`), png);
writeFileSync(join(build, 'icon.png'), pngs.get(1024));
writeFileSync(join(build, 'icon.ico'), ico([16, 24, 32, 48, 64, 128, 256].map((size) => ({ size, png: pngs.get(size) }))));
writeFileSync(
  join(build, 'icon.icns'),
  icns([
    { type: 'ic11', png: pngs.get(32) },
    { type: 'ic12', png: pngs.get(64) },
    { type: 'ic07', png: pngs.get(128) },
    { type: 'ic08', png: pngs.get(256) },
    { type: 'ic13', png: pngs.get(256) },
    { type: 'ic09', png: pngs.get(512) },
    { type: 'ic14', png: pngs.get(512) },
    { type: 'ic10', png: pngs.get(1024) },
  ]),
);
for (const [state, colour] of Object.entries(TRAY_STATES)) {
  const svg = withStatusDot(source, colour, state === 'ringing');
  writeFileSync(join(build, 'icons', 'tray', `tray-${state}.png`), render(svg, 32));
  writeFileSync(join(build, 'icons', 'tray', `tray-${state}@2x.png`), render(svg, 64));
}
/** The mark alone in black, for template images (the handset and the two waves of icon.svg). */
const MARK = `<g transform="rotate(-35 512 512)" fill="#000"><rect x="330" y="250" width="190" height="130" rx="56"/><rect x="330" y="644" width="190" height="130" rx="56"/><path d="M372 330 C 262 430, 262 594, 372 694" fill="none" stroke="#000" stroke-width="120" stroke-linecap="round"/></g>`;
const WAVES = `<g fill="none" stroke="#000" stroke-linecap="round" stroke-width="60"><path d="M640 300 A 150 150 0 0 1 736 410"/><path d="M660 190 A 260 260 0 0 1 846 390"/></g>`;
/** State shapes (black); `cut` is punched out of the shape; a transparent gap keeps the shape apart from the mark. */
const SLASH = '<path d="M150 150 L874 874" stroke="#000" stroke-width="70" stroke-linecap="round"/>';
const RING = '<circle cx="800" cy="800" r="160" fill="none" stroke="#000" stroke-width="60"/>';
const TEMPLATE_STATES = {
  online: { glyph: '', waves: true },
  'in-call': { glyph: '<circle cx="800" cy="800" r="170" fill="#000"/>', waves: true },
  dnd: { glyph: '<circle cx="800" cy="800" r="190" fill="#000"/>', cut: '<rect x="690" y="770" width="220" height="60"/>', waves: false },
  reconnecting: { glyph: RING, waves: false },
  offline: { glyph: SLASH, waves: false },
  'signed-out': { glyph: SLASH + RING, waves: false },
  ringing: { glyph: '<path d="M700 80 A 380 380 0 0 1 944 330" fill="none" stroke="#000" stroke-width="60" stroke-linecap="round"/>', waves: true },
};
function templateSvg({ glyph, cut, waves }) {
  const gap = `<mask id="gap"><rect width="1024" height="1024" fill="#fff"/><g stroke="#000" stroke-width="140">${glyph}</g></mask>`;
  const punch = `<mask id="cut"><rect width="1024" height="1024" fill="#fff"/><g fill="#000">${cut ?? ''}</g></mask>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 1024 1024" width="1024" height="1024"><defs>${gap}${punch}</defs><g mask="url(#gap)">${MARK}${waves ? WAVES : ''}</g><g mask="url(#cut)">${glyph}</g></svg>`;
}
if (Object.keys(TEMPLATE_STATES).sort().join() !== Object.keys(TRAY_STATES).sort().join()) throw new Error('TEMPLATE_STATES and TRAY_STATES must list the same states');
for (const [state, shape] of Object.entries(TEMPLATE_STATES)) {
  const svg = templateSvg(shape);
  writeFileSync(join(build, 'icons', 'tray', `tray-${state}Template.png`), render(svg, 16));
  writeFileSync(join(build, 'icons', 'tray', `tray-${state}Template@2x.png`), render(svg, 32));
}
console.log(`icons written to build/ (${sizes.length} sizes, ico, icns, ${Object.keys(TRAY_STATES).length} tray states)`);
