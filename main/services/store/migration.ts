import type Database from 'better-sqlite3'

/** One schema step. Migrations are append-only: a shipped one is never edited, a fix is a new one. */
export interface Migration {
  readonly version: number
  readonly name: string
  up(db: Database.Database): void
}
