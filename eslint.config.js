import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/**
 * Process boundaries (DESIGN.md §2, STYLE.md): common/ is pure; main/services/ never touches Electron so it runs
 * under plain Node in tests; the renderer never reaches Node. test/unit/lint-boundaries.test.ts proves each
 * rule fires on a deliberate violation.
 */
export const boundaries = [
  {
    files: ['common/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'common/ is shared by all processes: no Electron.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'common/ is pure: no Node built-ins.' })),
          ],
          patterns: [
            { group: ['**/main/**', '**/renderer/**', '**/preload/**', 'react', 'react-dom'], message: 'common/ depends on nothing of the app.' },
          ],
        },
      ],
    },
  },
  {
    files: ['main/services/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Services are Electron-free: pass what they need in from main/.' },
            { name: 'electron-log', message: 'Services take a Logger argument.' },
            { name: 'electron-updater', message: 'Updates belong to main/updater.ts.' },
          ],
          patterns: [
            { group: ['electron/*', 'electron-log/*'], message: 'Services are Electron-free.' },
            { group: ['**/renderer/**'], message: 'Services never import the renderer.' },
          ],
        },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx', 'preload/web.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'The renderer talks only to window.posko.' },
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer never imports Node.' })),
          ],
          patterns: [
            { group: ['node:*'], message: 'The renderer never imports Node.' },
            { group: ['**/main/**'], message: 'The renderer reaches main only through window.posko.' },
          ],
        },
      ],
    },
  },
]

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'release/**', 'test-results/**', '.posko-dev/**', '.electron-native/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Plain Node scripts (build drivers, fixture generators).
    files: ['**/*.mjs', '*.config.js'],
    languageOptions: {
      globals: { process: 'readonly', console: 'readonly', URL: 'readonly', Buffer: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' },
    },
  },
  ...boundaries,
)
