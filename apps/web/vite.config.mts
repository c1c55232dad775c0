import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The web console (issue 10): built into apps/web/dist, which the API serves at `/` (same
 * origin as /api, so no CORS and relative URLs). `reform start` builds it when it is missing or
 * older than its sources; `npm run web:build` builds it by hand.
 */
export default defineConfig({
  root: __dirname,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // The console is one page of antd: a big first chunk is expected (the benchmark measures it).
    chunkSizeWarningLimit: 3000,
    reportCompressedSize: false,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
