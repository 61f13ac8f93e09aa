// ESLint: typescript-eslint type-checked, eslint-plugin-svelte, and the import boundaries of
// STYLE.md (electron only in main/electron and preload; the renderer imports only types from main).
import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import svelte from 'eslint-plugin-svelte'
import globals from 'globals'

export default tseslint.config(
  {
    ignores: ['node_modules/', 'dist/', 'out/', 'release/', '.tmp/', 'coverage/', 'test-results/']
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: {
        projectService: { allowDefaultProject: ['*.js', '*.mjs', 'bin/*.mjs'] },
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte']
      }
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }
      ],
      'no-empty': ['error', { allowEmptyCatch: false }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }]
    }
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser } }
  },
  {
    // Only the Electron shell and the preload may touch Electron.
    files: ['main/core/**', 'main/cli/**', 'main/sim/**', 'main/server/**', 'renderer/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'electron belongs in main/electron/ or preload/' },
            { name: 'electron-store', message: 'electron-store belongs in main/electron/' }
          ]
        }
      ]
    }
  },
  {
    // The renderer talks to the app only through the bridge; from main it may import types only.
    files: ['renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'use the bridge (renderer/lib/bridge.ts)' },
            { name: 'electron-store', message: 'settings live in main' }
          ],
          patterns: [
            { group: ['node:*'], message: 'the renderer runs in a browser sandbox' },
            {
              group: ['**/main/**'],
              allowTypeImports: true,
              message: 'import only types from main/'
            }
          ]
        }
      ]
    }
  }
)
