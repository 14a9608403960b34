import { defineConfig } from 'vitest/config';

/**
 * `npm run test:packaging`: what ships (*.pack.ts): electron-builder --dir for Linux against a stand-in
 * Electron, and the built renderer under the production CSP. Both use dist/, so `npm test` runs them
 * after the end-to-end step has built the renderer.
 */
export default defineConfig({
  test: {
    include: ['test/packaging/**/*.pack.ts', 'electron/**/*.pack.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
