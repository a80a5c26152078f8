import type { TestProject } from 'vitest/node'
import { buildUploadWorker } from '../fixtures/upload-worker'

declare module 'vitest' {
  export interface ProvidedContext {
    /** The upload worker built from source for this run, as `npm run build` builds it for the app. */
    uploadWorker: string
  }
}

/** Builds the upload worker once per run, so kiosks in unit tests upload through it as the app does. */
export default async function setup(project: TestProject): Promise<() => void> {
  const worker = await buildUploadWorker()
  project.provide('uploadWorker', worker.script)
  return worker.remove
}
