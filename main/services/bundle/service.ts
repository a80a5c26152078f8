import { DomainError } from '../../../common/result'
import type { KioskCredentials } from '../platform/identity'
import type { ExportDeps, ExportOptions, ExportResult } from './export'
import { exportBundle } from './export'
import type { ImportDeps, ImportOptions, ImportResult } from './import'
import { importBundle, importBundleBytes } from './import'

export type BundleServiceDeps = ExportDeps & Omit<ImportDeps, 'credentials'> & {
  /** The enrolment service's credentials(): export needs the keys, import the token and URL. */
  credentials(): KioskCredentials | null
}

export interface BundleService {
  exportBundle(options: ExportOptions): Promise<ExportResult>
  importBundle(file: string, options?: ImportOptions): Promise<ImportResult>
  /** A bundle held in memory (a neighbour's record relayed, issue 22.2); beside, not inside, the one-at-a-time lock. */
  importBytes(bytes: Buffer): Promise<ImportResult>
}

/**
 * Offline bulk upload (DESIGN.md §7): export writes the queue to one file only central can read; import, on a
 * connected kiosk, hands such a file to central. One export or import at a time, so two clicks don't race.
 */
export function createBundleService(deps: BundleServiceDeps): BundleService {
  let busy: Promise<unknown> | null = null
  const exclusive = <T>(run: () => Promise<T>): Promise<T> => {
    if (busy) return Promise.reject(new DomainError('conflict', 'a bundle export or import is already running', { reason: 'busy' }))
    const job = run().finally(() => {
      busy = null
    })
    busy = job
    return job
  }
  return {
    exportBundle: (options) => exclusive(() => exportBundle(deps, options)),
    importBundle: (file, options) => exclusive(() => importBundle(deps, file, options)),
    importBytes: (bytes) => importBundleBytes(deps, bytes),
  }
}
