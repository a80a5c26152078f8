import js from '@eslint/js'
import tseslint from 'typescript-eslint'
import { builtinModules } from 'node:module'

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)]

/**
 * The floor plan of main/services (docs/design-notes.md, "Floor plan"), as strict as the process walls. Each floor
 * may import the floors below it and its own folder, never a floor above nor a neighbour on its own floor:
 *   kiosk.ts, dispatch.ts       the composition root: wires everything into the contract's handlers; kiosk/ holds
 *                               its pieces by feature (each feature's assembly or handlers), which only kiosk.ts joins
 *   features                    one folder per capability; they never import each other: what one needs of another
 *                               is passed in by kiosk.ts as a function or a narrow interface
 *   store, security, central, regions
 *                               the foundations: SQLite and its repositories; crypto (vault, keys, PINs); the client
 *                               and wire formats of central's API; the region index. Each stands on platform alone.
 *   platform                    the ground floor: clock, logger, events, durable files, disk space, config file, the
 *                               kiosk's identity types. Imports nothing of services.
 * Allowed edges between features: none today. test/unit/lint-boundaries.test.ts shows each rule firing and checks
 * that every folder of main/services stands on a floor.
 */
export const floors = {
  platform: ['platform'],
  foundations: ['store', 'security', 'central', 'regions'],
  features: ['bundle', 'diagnostics', 'enrolment', 'fleet', 'ktp', 'network', 'photos', 'registration', 'retention', 'sessions', 'settings', 'storage', 'updates', 'upload'],
  root: ['kiosk', 'dispatch'],
}

/** The one module that may rename or write whole files: everything written that must survive a power cut goes through it. */
const DURABLE_FILE = 'main/services/platform/durable-file.ts'
const fsWrites = ['fs', 'node:fs', 'fs/promises', 'node:fs/promises'].map((name) => ({
  name,
  importNames: ['rename', 'renameSync', 'writeFile', 'writeFileSync', 'appendFile', 'appendFileSync', 'copyFile', 'copyFileSync'],
  message: 'Files that must survive a power cut are written through platform/durable-file.ts (temp, fsync, rename, fsync dir).',
}))

const servicesPaths = [
  { name: 'electron', message: 'Services are Electron-free: pass what they need in from main/.' },
  { name: 'electron-log', message: 'Services take a Logger argument.' },
  { name: 'electron-updater', message: 'Updates belong to main/updater.ts.' },
]
const servicesPatterns = [
  { group: ['electron/*', 'electron-log/*'], message: 'Services are Electron-free.' },
  { group: ['**/renderer/**'], message: 'Services never import the renderer.' },
]

/** A relative import from `depth` folders below main/services that lands in one of `names` (a folder or a root module). */
function reaching(names, depth, message) {
  const up = depth === 0 ? '\\./' : `(\\.\\./){${depth}}`
  return { regex: `^${up}(${names.join('|')})(/|$)`, message }
}

/**
 * One no-restricted-imports rule per floor and folder depth (a later config replaces an earlier rule's options
 * rather than merging them, so each carries the Electron walls too).
 */
function servicesFloors() {
  const { platform, foundations, features, root } = floors
  const above = {
    platform: [...foundations, ...features, ...root],
    foundations: [...features, ...root],
    features: root,
  }
  const configs = [
    {
      files: ['main/services/**/*.ts'],
      rules: { 'no-restricted-imports': ['error', { paths: [...servicesPaths, ...fsWrites], patterns: servicesPatterns }] },
    },
  ]
  for (const [floor, folders] of Object.entries({ platform, foundations, features })) {
    for (const folder of folders) {
      // A neighbour on the same floor is as forbidden as a floor above (platform has no neighbours).
      const neighbours = floor === 'platform' ? [] : folders.filter((f) => f !== folder)
      for (const depth of [1, 2]) {
        const files = depth === 1 ? [`main/services/${folder}/*.ts`] : [`main/services/${folder}/*/*.ts`]
        configs.push({
          files,
          ignores: [DURABLE_FILE],
          rules: {
            'no-restricted-imports': [
              'error',
              {
                paths: [...servicesPaths, ...fsWrites],
                patterns: [
                  ...servicesPatterns,
                  reaching(above[floor], depth, `main/services/${folder} is on the ${floor} floor: it may not import a floor above it.`),
                  ...(neighbours.length > 0
                    ? [reaching(neighbours, depth, `main/services/${folder} may not import another ${floor === 'features' ? 'feature' : 'foundation'}: kiosk.ts passes in what it needs.`)]
                    : []),
                ],
              },
            ],
          },
        })
      }
    }
  }
  // The composition root's pieces reach across features (that is their job) but never back up into kiosk.ts: it
  // imports them, and a cycle would hand a piece a half-built module at start-up.
  configs.push({
    files: ['main/services/kiosk/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [...servicesPaths, ...fsWrites],
          patterns: [...servicesPatterns, reaching(['kiosk'], 1, 'main/services/kiosk/ holds the pieces kiosk.ts joins: they never import kiosk.ts.')],
        },
      ],
    },
  })
  // The durable-file module itself: the Electron walls only.
  configs.push({ files: [DURABLE_FILE], rules: { 'no-restricted-imports': ['error', { paths: servicesPaths, patterns: servicesPatterns }] } })
  return configs
}

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
  ...servicesFloors(),
  {
    // The app holds the narrow kiosk (dispatch, events, ready, close); the assembled parts are for the test kit.
    files: ['main/*.ts', 'main/web/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/services/kiosk'], importNames: ['assembleKiosk'], message: 'main/ uses createKiosk; assembleKiosk is for the test kit.' }] },
      ],
    },
  },
  {
    files: ['renderer/**/*.ts', 'renderer/**/*.tsx'],
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
