import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { openDatabase, schemaVersion } from '../../main/services/store/db'
import { createSettingsRepository } from '../../main/services/store/settings'
import { tempDir } from './helpers'

/** Each migration: open a database at the previous version with data in it, migrate, check the data survived. */
describe('migration 002 registrations', () => {
  it('adds registrations, outbox and receipt_sequence to a version-1 database without touching settings', () => {
    const file = join(tempDir(), 'posko.db')
    const v1 = openDatabase(file, { upTo: 1 })
    createSettingsRepository(v1).set('language', 'en', new Date())
    v1.close()
    const db = openDatabase(file, { upTo: 2 })
    expect(schemaVersion(db)).toBe(2)
    expect(createSettingsRepository(db).get('language')).toBe('en')
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all()
    expect(tables).toEqual([{ name: 'outbox' }, { name: 'receipt_sequence' }, { name: 'registrations' }, { name: 'settings' }])
    db.close()
  })

  it('enforces: personal data present unless purged, one non-purged record per NIK, outbox rows need a record', () => {
    const db = openDatabase(join(tempDir(), 'posko.db'), { upTo: 2 })
    const insert = db.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'P', 't', 't')`,
    )
    const h = Buffer.from('h1')
    insert.run('a', 'R1', 'queued', h, Buffer.from('s'))
    expect(() => insert.run('b', 'R2', 'queued', h, Buffer.from('s'))).toThrow(/UNIQUE/)
    expect(() => insert.run('c', 'R3', 'queued', Buffer.from('h3'), null)).toThrow(/CHECK/)
    expect(() => insert.run('d', 'R4', 'purged', null, Buffer.from('s'))).toThrow(/CHECK/)
    insert.run('e', 'R5', 'purged', null, null)
    insert.run('f', 'R6', 'purged', null, null)
    expect(() => db.prepare("INSERT INTO outbox (record_id, enqueued_at) VALUES ('nope', 't')").run()).toThrow(/FOREIGN KEY/)
    db.close()
  })
})

describe('migration 003 audit', () => {
  it('adds the append-only audit table to a version-2 database, keeping its registrations', () => {
    const file = join(tempDir(), 'posko.db')
    const v2 = openDatabase(file, { upTo: 2 })
    v2.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, created_at, updated_at) VALUES ('a', 'R1', 'queued', x'01', x'02', 'P', 't', 't')`,
    ).run()
    v2.close()
    const db = openDatabase(file, { upTo: 3 })
    expect(schemaVersion(db)).toBe(3)
    expect(db.prepare('SELECT id FROM registrations').all()).toEqual([{ id: 'a' }])
    db.prepare("INSERT INTO audit (seq, at, actor, action, record_id, details, prev_hash, hash) VALUES (1, 't', NULL, 'x', NULL, '{}', 'p', 'h')").run()
    expect(() => db.prepare('DELETE FROM audit').run()).toThrow(/append-only/)
    db.close()
  })
})
