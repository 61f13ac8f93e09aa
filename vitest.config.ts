// Three projects: `node` (core, cli, sim, server, electron adapters), `renderer` (jsdom + Svelte
// components), `e2e` (real Chromium against `scale-tray serve`; the Electron app where a binary exists).
import { defineConfig } from 'vitest/config'
import { svelte } from '@sveltejs/vite-plugin-svelte'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: ['test/unit/{core,cli,sim,server,electron}/**/*.test.ts'],
          testTimeout: 20_000,
          hookTimeout: 60_000
        }
      },
      {
        plugins: [svelte()],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/unit/renderer/**/*.test.ts'],
          testTimeout: 20_000
        }
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          // One browser at a time: the machines have two cores.
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 120_000
        }
      }
    ],
    // A run that executes no test is a failure, not a green light.
    passWithNoTests: false
  }
})
