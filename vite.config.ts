import { defineConfig } from 'vite';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const renderer = fileURLToPath(new URL('./renderer', import.meta.url));
const { version } = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8')) as { version: string };

/**
 * The renderer build: one bundle for the web host (served by the signalling service at /) and for
 * Electron's windows (loaded through its custom protocol; the incoming-call window is the hash
 * route #/incoming of the same page). Relative asset paths work for both.
 */
export default defineConfig({
  root: renderer,
  base: './',
  esbuild: { jsx: 'automatic' },
  define: { __APP_VERSION__: JSON.stringify(version) },
  build: {
    outDir: fileURLToPath(new URL('./dist/renderer', import.meta.url)),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    rollupOptions: {
      // lucide-react marks its modules "use client" (a React Server Components hint): meaningless in this bundle.
      onwarn(warning, warn) {
        if (warning.code === 'MODULE_LEVEL_DIRECTIVE' && warning.message.includes('"use client"')) return;
        warn(warning);
      },
    },
  },
  server: { host: '127.0.0.1' },
});
