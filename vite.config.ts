// Vite builds the dashboard (renderer/) into dist/renderer, for both the Electron window
// (app://bundle/) and `scale-tray serve`; relative asset paths work under either.
import { defineConfig } from 'vite'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [svelte()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    target: 'es2022',
    // The polyfill is an inline script, which the strict CSP (script-src 'self') forbids.
    modulePreload: { polyfill: false },
    assetsInlineLimit: 0
  }
})
