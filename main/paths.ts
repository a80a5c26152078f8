import { join } from 'node:path'

/** Where the built app's parts live relative to the bundled main (dist/main/index.cjs). */
export function appPaths(mainDir: string, resourcesPath: string, packaged: boolean) {
  const distDir = join(mainDir, '..')
  return {
    renderer: join(distDir, 'renderer'),
    preload: join(distDir, 'preload', 'index.cjs'),
    /** The upload worker's entry, beside the bundled main (scripts/build.mjs). */
    uploadWorker: join(mainDir, 'upload-worker.cjs'),
    /** The KTP reader's worker (main/services/ktp/worker-entry.ts). */
    ktpWorker: join(mainDir, 'ktp-worker.cjs'),
    /** quick_check at start (main/services/store/integrity-worker.ts, issue 22.5). */
    integrityWorker: join(mainDir, 'integrity-worker.cjs'),
    resources: packaged ? join(resourcesPath, 'resources') : join(distDir, '..', 'resources'),
  }
}
