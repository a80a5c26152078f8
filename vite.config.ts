import react from '@vitejs/plugin-react'
import { defineConfig } from 'vite'

// The renderer is built once and served the same way everywhere: app:// in Electron, 127.0.0.1 in browser mode
// and in the e2e harness. No dev server with inline HMR scripts: the CSP forbids inline script.
export default defineConfig({
  root: 'renderer',
  base: '/',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    modulePreload: { polyfill: false },
    // Loaded from local disk (app://), never over a network: one chunk is fine.
    chunkSizeWarningLimit: 2048,
  },
})
