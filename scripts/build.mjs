// Builds every process: main and preload with esbuild (CommonJS for Electron), the browser-mode bridge, and the
// renderer with Vite. One command so `npm start`, `npm run dev:web`, `npm test` and `npm run dist` agree.
import { readFileSync } from 'node:fs'
import { rm } from 'node:fs/promises'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import * as esbuild from 'esbuild'
import { build as viteBuild } from 'vite'

const root = join(dirname(fileURLToPath(import.meta.url)), '..')
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'))
// Runtime dependencies stay as real node_modules (native addons, electron-*); everything else is bundled.
const external = ['electron', ...Object.keys(pkg.dependencies ?? {})]

/**
 * The upload worker (main/services/upload/worker-entry.ts) is its own entry: a worker thread loads a file. The
 * unit tests build the same entry with these options into a cache folder (test/unit/global-setup.ts).
 */
export function uploadWorkerOptions(outfile, { quiet = false } = {}) {
  return {
    bundle: true,
    sourcemap: true,
    logLevel: quiet ? 'warning' : 'info',
    absWorkingDir: root,
    entryPoints: ['main/services/upload/worker-entry.ts'],
    outfile,
    platform: 'node',
    format: 'cjs',
    target: 'node22',
    external,
  }
}

/** The KTP reader's worker (main/services/ktp/worker-entry.ts): Tesseract and the image work off main's loop. */
export function ktpWorkerOptions(outfile, { quiet = false } = {}) {
  return { ...uploadWorkerOptions(outfile, { quiet }), entryPoints: ['main/services/ktp/worker-entry.ts'] }
}

/** The integrity check's worker (main/services/store/integrity-worker.ts): quick_check off main's loop (issue 22.5). */
export function integrityWorkerOptions(outfile, { quiet = false } = {}) {
  return { ...uploadWorkerOptions(outfile, { quiet }), entryPoints: ['main/services/store/integrity-worker.ts'] }
}

export async function buildAll({ quiet = false } = {}) {
  const started = Date.now()
  await rm(join(root, 'dist'), { recursive: true, force: true })
  const common = { bundle: true, sourcemap: true, logLevel: quiet ? 'warning' : 'info', absWorkingDir: root }
  await Promise.all([
    esbuild.build({
      ...common,
      entryPoints: ['main/index.ts'],
      outfile: 'dist/main/index.cjs',
      platform: 'node',
      format: 'cjs',
      target: 'node22',
      external,
    }),
    esbuild.build(uploadWorkerOptions('dist/main/upload-worker.cjs', { quiet })),
    esbuild.build(ktpWorkerOptions('dist/main/ktp-worker.cjs', { quiet })),
    esbuild.build(integrityWorkerOptions('dist/main/integrity-worker.cjs', { quiet })),
    // Sandboxed preloads can require only 'electron': everything else, zod included, is inlined.
    esbuild.build({
      ...common,
      entryPoints: ['preload/index.ts'],
      outfile: 'dist/preload/index.cjs',
      platform: 'node',
      format: 'cjs',
      target: 'chrome120',
      external: ['electron'],
      minify: true,
      metafile: true,
    }).then((result) => assertPreloadSelfContained(result.metafile)),
    esbuild.build({
      ...common,
      entryPoints: ['renderer/bridge/browser-bridge.ts'],
      outfile: 'dist/web/bridge.js',
      platform: 'browser',
      format: 'iife',
      target: 'chrome120',
      minify: true,
    }),
  ])
  await viteBuild({ root: join(root, 'renderer'), configFile: join(root, 'vite.config.ts'), logLevel: quiet ? 'warn' : 'info' })
  if (!quiet) console.log(`build: done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
}

/** Fails the build if the preload would `require` anything but electron at run time. */
export function assertPreloadSelfContained(metafile) {
  const imports = Object.values(metafile.outputs).flatMap((o) => o.imports.filter((i) => i.external).map((i) => i.path))
  const bad = imports.filter((path) => path !== 'electron')
  if (bad.length > 0) throw new Error(`preload must be self-contained; it requires: ${bad.join(', ')}`)
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  buildAll().catch((error) => {
    console.error(error)
    process.exit(1)
  })
}
