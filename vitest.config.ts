// Two projects: `node` (core, cli, sim, server, electron adapters) and `renderer` (jsdom + Svelte).
import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'node',
          environment: 'node',
          include: [
            'test/unit/{core,cli,sim,server,electron}/**/*.test.ts',
            'test/e2e/**/*.test.ts'
          ],
          testTimeout: 20_000,
          hookTimeout: 60_000
        }
      }
    ],
    // A run that executes no test is a failure, not a green light.
    passWithNoTests: false
  }
})
