// Vite builds the Electron shell: main/electron/main.ts → dist/electron/main.js (ESM, everything
// bundled — zod, undici, conf, electron-store — but electron and Node's builtins) and
// preload/index.ts → dist/electron/preload.cjs (CommonJS and self-contained, as a sandboxed
// preload must be: it may require only `electron`). No Electron binary is needed to build.
import { builtinModules } from 'node:module'
import { resolve } from 'node:path'
import { defineConfig, type EnvironmentOptions } from 'vite'

const root = import.meta.dirname
const outDir = resolve(root, 'dist/electron')
const external = ['electron', /^electron\/.+/, /^node:/, ...builtinModules]

function shell(
  entry: string,
  file: string,
  format: 'es' | 'cjs',
  emptyOutDir: boolean
): EnvironmentOptions {
  return {
    consumer: 'server',
    resolve: {
      noExternal: true,
      external: ['electron'],
      conditions: ['node', 'import', 'default']
    },
    build: {
      outDir,
      emptyOutDir,
      target: 'node22',
      minify: false,
      sourcemap: true,
      copyPublicDir: false,
      reportCompressedSize: false,
      rolldownOptions: {
        input: { [file.replace(/\.c?js$/, '')]: resolve(root, entry) },
        external,
        output: { format, entryFileNames: file, codeSplitting: false }
      }
    }
  }
}

export default defineConfig({
  // Only the two environments below; no index.html, no client build.
  publicDir: false,
  logLevel: 'warn',
  environments: {
    main: shell('main/electron/main.ts', 'main.js', 'es', true),
    preload: shell('preload/index.ts', 'preload.cjs', 'cjs', false)
  },
  builder: {
    async buildApp(builder) {
      // In order: main empties dist/electron, then the preload joins it.
      await builder.build(builder.environments.main as never)
      await builder.build(builder.environments.preload as never)
    }
  }
})
