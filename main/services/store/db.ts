import Database from 'better-sqlite3'
import type { Migration } from './migration'
import { migrations as allMigrations } from './migrations'

export type Db = Database.Database

export interface OpenOptions {
  /** Path to the native addon, for Electron where it is rebuilt for Electron's ABI apart from Node's copy. */
  nativeBinding?: string
  /** Apply only the first n migrations: migration tests open a database "at the previous version". */
  upTo?: number
  migrations?: readonly Migration[]
}

/**
 * Opens the kiosk database with the durability DESIGN.md §5 promises: WAL with synchronous=FULL, so a record
 * acknowledged to the user survives a power cut; foreign keys on; a busy timeout instead of instant SQLITE_BUSY.
 */
export function openDatabase(file: string, options: OpenOptions = {}): Db {
  const db = new Database(file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {})
  try {
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // 32 MB of page cache: the NIK HMAC index takes random keys, and with SQLite's 2 MB default a store of
    // 100,000+ records spent its time re-reading index pages.
    db.pragma('cache_size = -32000')
    // Freed pages are zeroed, so an erased record's bytes do not linger in free space until the next VACUUM.
    db.pragma('secure_delete = ON')
    // A REPLACE deletes the row it replaces; only with recursive triggers does that fire the audit's append-only
    // delete trigger (without it `INSERT OR REPLACE INTO audit` rewrote a row the triggers should have guarded).
    db.pragma('recursive_triggers = ON')
    migrate(db, options.migrations ?? allMigrations, options.upTo)
    return db
  } catch (error) {
    db.close()
    throw error
  }
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number
}

export function migrate(db: Db, migrations: readonly Migration[], upTo = Number.POSITIVE_INFINITY): void {
  migrations.forEach((m, i) => {
    if (m.version !== i + 1) throw new Error(`Migration list out of order at ${m.name}: expected ${i + 1}`)
  })
  const current = schemaVersion(db)
  const latest = migrations.length
  if (current > latest) {
    throw new Error(`Database schema ${current} is newer than this app (${latest}); update Posko`)
  }
  for (const m of migrations) {
    if (m.version <= current || m.version > upTo) continue
    // Each step and its version bump commit together, so a crash mid-upgrade leaves the previous version intact.
    db.transaction(() => {
      m.up(db)
      db.pragma(`user_version = ${m.version}`)
    })()
  }
}
