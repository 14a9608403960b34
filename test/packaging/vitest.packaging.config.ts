import { defineConfig } from 'vitest/config';

/**
 * `npm run test:packaging`: electron-builder --dir for Linux against a stand-in Electron (*.pack.ts).
 * It packages dist/, so `npm test` runs it after the end-to-end step has built the renderer.
 */
export default defineConfig({
  test: {
    include: ['test/packaging/**/*.pack.ts'],
    testTimeout: 180_000,
    hookTimeout: 180_000,
    pool: 'forks',
  },
});
