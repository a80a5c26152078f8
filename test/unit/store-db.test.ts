import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { migrate, openDatabase, schemaVersion } from '../../main/services/store/db'
import { migrations } from '../../main/services/store/migrations'
import { createSettingsRepository } from '../../main/services/store/settings'
import { tempDir } from './helpers'

describe('openDatabase', () => {
  it('opens with WAL, synchronous=FULL, foreign keys and a busy timeout, at the latest schema', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'))
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal')
    expect(db.pragma('synchronous', { simple: true })).toBe(2)
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1)
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000)
    expect(schemaVersion(db)).toBe(migrations.length)
    db.close()
  })

  it('reopening an up-to-date database changes nothing', () => {
    const file = join(tempDir(), 'posko.db')
    const db = openDatabase(file)
    createSettingsRepository(db).set('language', 'en', new Date('2026-01-01T00:00:00Z'))
    db.close()
    const again = openDatabase(file)
    expect(createSettingsRepository(again).get('language')).toBe('en')
    again.close()
  })

  it('refuses a database written by a newer app instead of guessing', () => {
    const file = join(tempDir(), 'posko.db')
    const db = openDatabase(file)
    db.pragma(`user_version = ${migrations.length + 1}`)
    db.close()
    expect(() => openDatabase(file)).toThrow(/newer than this app/)
  })

  it('refuses a migration list with a gap', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'), { upTo: 0 })
    expect(() => migrate(db, [{ version: 2, name: 'gap', up: () => undefined }])).toThrow(/out of order/)
    db.close()
  })

  it('a failing migration leaves the previous version intact', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'))
    const before = schemaVersion(db)
    const failing = [
      ...migrations,
      {
        version: migrations.length + 1,
        name: 'boom',
        up: (d: typeof db) => {
          d.exec('CREATE TABLE half_done (x)')
          throw new Error('boom')
        },
      },
    ]
    expect(() => migrate(db, failing)).toThrow('boom')
    expect(schemaVersion(db)).toBe(before)
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'half_done'").get()).toEqual({ n: 0 })
    db.close()
  })
})

describe('migration 001 settings', () => {
  it('creates the settings table on an empty database', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'), { upTo: 1 })
    expect(schemaVersion(db)).toBe(1)
    const repo = createSettingsRepository(db)
    repo.set('language', 'id', new Date())
    repo.set('language', 'en', new Date())
    expect(repo.get('language')).toBe('en')
    expect(repo.get('missing')).toBeUndefined()
    db.close()
  })
})
