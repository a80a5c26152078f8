import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { quickCheck } from './integrity'

/**
 * The integrity check's entry (built to dist/main/integrity-worker.cjs): quick_check on a read-only connection of
 * its own, so the second it takes at 200,000 records never blocks main's event loop. Answers once and ends.
 */
const data = workerData as { dbFile: string; nativeBinding?: string }
const db = new Database(data.dbFile, { readonly: true, ...(data.nativeBinding ? { nativeBinding: data.nativeBinding } : {}) })
try {
  parentPort?.postMessage(quickCheck(db))
} finally {
  db.close()
}
