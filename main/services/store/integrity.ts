import Database from 'better-sqlite3'
import { closeSync, existsSync, openSync, readSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import { basename, join } from 'node:path'
import { localStamp } from '../platform/clock'
import { moveAsideDurable, writeFileDurable } from '../platform/durable-file'
import type { Logger } from '../platform/logger'
import type { Db } from './db'

/**
 * Integrity at start (issue 22.5). SQLite's quick_check walks every page of every b-tree (O(N), unlike
 * integrity_check's index cross-check); at 200,000 records (575 MB) it took 9 to 22 s on the shared 2-core bench
 * machine (BENCHMARKS.md, integrity): far over the 200 ms open budget, so the kiosk runs it on a connection of its own
 * in a worker thread once the store is open, and what it finds is acted on at the next start.
 */
export type IntegrityVerdict = { ok: true } | { ok: false; problems: string[] }

/** At most this many problems are reported: one says enough, and a wrecked file can list thousands. */
const MAX_PROBLEMS = 10

export function quickCheck(db: Db): IntegrityVerdict {
  try {
    const rows = db.pragma(`quick_check(${MAX_PROBLEMS})`) as Array<{ quick_check: string }>
    const problems = rows.map((r) => r.quick_check).filter((p) => p !== 'ok')
    return problems.length === 0 ? { ok: true } : { ok: false, problems }
  } catch (error) {
    // A page too damaged to walk makes the pragma itself fail (SQLITE_CORRUPT): that is a verdict too.
    return { ok: false, problems: [(error as Error).message] }
  }
}

/** better-sqlite3's codes for a file that is not (or no longer) a database SQLite can read. */
export function isDamageError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code
  return typeof code === 'string' && (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB')
}

/**
 * A file beside the database saying a check found it damaged while it was open: the next start moves it aside
 * before opening (a file in use cannot be swapped under the running kiosk's connections).
 */
export const damageMarkFile = (dbFile: string) => `${dbFile}.damaged`

/**
 * Moves the database and its -wal/-shm, intact, into `damaged-<local stamp>/` beside it (never deleted: what it
 * holds may still be read by hand, and the WAL may hold the newest commits). Returns the folder.
 */
export function moveDatabaseAside(dbFile: string, at: Date): { folder: string; files: string[] } {
  const dir = join(dbFile, '..')
  let folder = join(dir, `damaged-${localStamp(at)}`)
  for (let n = 2; existsSync(folder); n++) folder = join(dir, `damaged-${localStamp(at)}-${n}`)
  const files = moveAsideDurable([dbFile, `${dbFile}-wal`, `${dbFile}-shm`, damageMarkFile(dbFile)], folder)
  return { folder, files }
}


/**
 * Runs quick_check off main's event loop: in the built worker (`workerScript`) when there is one, else inline on a
 * connection of its own after the current turn (tests and benches, whose stores are small). A worker that dies
 * is not a verdict on the database: it answers null and the check is simply not done this start.
 */
export function checkInBackground(dbFile: string, options: { workerScript?: string; nativeBinding?: string }): Promise<IntegrityVerdict | null> {
  const { workerScript, nativeBinding } = options
  if (!workerScript) {
    return new Promise((resolve) =>
      setImmediate(() => {
        let db: Db | null = null
        try {
          db = new Database(dbFile, { readonly: true, ...(nativeBinding ? { nativeBinding } : {}) })
          resolve(quickCheck(db))
        } catch (error) {
          resolve(isDamageError(error) ? { ok: false, problems: [(error as Error).message] } : null)
        } finally {
          db?.close()
        }
      }),
    )
  }
  return new Promise((resolve) => {
    const worker = new Worker(workerScript, { workerData: { dbFile, nativeBinding } })
    worker.once('message', (verdict: IntegrityVerdict) => resolve(verdict))
    worker.once('error', (error) => resolve(isDamageError(error) ? { ok: false, problems: [error.message] } : null))
    worker.once('exit', () => resolve(null))
  })
}

export interface CheckedOpen {
  db: Db
  /** Set when this start moved a damaged database aside: the folder (beside the data) and why. */
  movedAside: { folder: string; files: string[]; why: 'marked_damaged' | 'open_failed' } | null
}

/**
 * Opens the store, moving a damaged one aside first: one a previous run's check marked, or one SQLite cannot even
 * open and migrate (a wrecked header or schema page). A database that opens may still hide a damaged page: the
 * background check (`checkInBackground`) finds those and marks the file for the next start.
 */
export function openCheckedDatabase(dbFile: string, deps: { open(file: string): Db; now(): Date; logger: Logger }): CheckedOpen {
  const { logger } = deps
  let movedAside: CheckedOpen['movedAside'] = null
  if (existsSync(damageMarkFile(dbFile))) {
    const moved = moveDatabaseAside(dbFile, deps.now())
    movedAside = { ...moved, why: 'marked_damaged' }
    logger.error('store: the database a check found damaged was moved aside; starting on a fresh one', { folder: basename(moved.folder), files: moved.files })
  }
  // A file that is not SQLite's at all is moved before SQLite touches it: opening it would reset the WAL beside it.
  if (!movedAside && !hasSqliteHeader(dbFile)) {
    const moved = moveDatabaseAside(dbFile, deps.now())
    logger.error('store: the database could not be opened (damaged): not an SQLite file; moved aside, starting on a fresh one', { folder: basename(moved.folder), files: moved.files })
    return { db: deps.open(dbFile), movedAside: { ...moved, why: 'open_failed' } }
  }
  try {
    return { db: deps.open(dbFile), movedAside }
  } catch (error) {
    if (!isDamageError(error)) throw error
    const moved = moveDatabaseAside(dbFile, deps.now())
    logger.error('store: the database could not be opened (damaged); moved aside, starting on a fresh one', { folder: basename(moved.folder), files: moved.files, error: (error as Error).message })
    return { db: deps.open(dbFile), movedAside: { ...moved, why: 'open_failed' } }
  }
}

/** Marks the database for moving aside at the next start (durably: the mark must outlive a power cut). */
export function markDamaged(dbFile: string, verdict: IntegrityVerdict, at: Date): void {
  writeFileDurable(damageMarkFile(dbFile), JSON.stringify({ at: at.toISOString(), problems: verdict.ok ? [] : verdict.problems }))
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1')

/** True for a missing or empty file (a first start) and for one that starts as every SQLite database does. */
function hasSqliteHeader(file: string): boolean {
  if (!existsSync(file)) return true
  const fd = openSync(file, 'r')
  try {
    const head = Buffer.alloc(SQLITE_MAGIC.length)
    const read = readSync(fd, head, 0, head.length, 0)
    return read === 0 || (read === head.length && head.equals(SQLITE_MAGIC))
  } finally {
    closeSync(fd)
  }
}
