import { defineConfig } from 'vite';

// Served on loopback only; `scripts/dev.sh` passes --port when 5173 is taken.
export default defineConfig({
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  build: { target: 'es2022', chunkSizeWarningLimit: 2000 },
});
