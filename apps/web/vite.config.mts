import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const workspaceRoot = resolve(import.meta.dirname, '../..');
const gateway = 'http://127.0.0.1:3000';

export default defineConfig({
  root: import.meta.dirname,
  // Keep Vite's cache out of the source tree (and out of git).
  cacheDir: resolve(workspaceRoot, 'node_modules/.vite/apps/web'),
  plugins: [react()],
  resolve: { tsconfigPaths: true },
  build: {
    outDir: resolve(workspaceRoot, 'dist/apps/web'),
    emptyOutDir: true,
    reportCompressedSize: true,
    target: 'es2022',
  },
  server: {
    host: '127.0.0.1',
    port: 4200,
    strictPort: true,
    proxy: {
      '/api': {
        target: gateway,
        changeOrigin: true,
        configure(proxy) {
          // The gateway only accepts cookie-authenticated writes from its own origin.
          // A request the browser sent same-origin to this dev server is passed on
          // as coming from the gateway's origin; any other origin is left as is.
          proxy.on('proxyReq', (proxyReq, req) => {
            if (req.headers.origin === `http://${req.headers.host}`) proxyReq.setHeader('origin', gateway);
          });
        },
      },
    },
  },
});
