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

describe('migration 008 state counts', () => {
  it('starts from the existing rows and follows inserts, state changes and deletes', () => {
    const file = join(tempDir(), 'posko.db')
    const v7 = openDatabase(file, { upTo: 7 })
    const insert = v7.prepare(
      `INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, created_at, updated_at) VALUES (?, ?, ?, ?, x'02', 'P', 't', 't')`,
    )
    insert.run('a', 'R1', 'queued', Buffer.from('1'))
    insert.run('b', 'R2', 'accepted', Buffer.from('2'))
    v7.close()
    const db = openDatabase(file, { upTo: 8 })
    const counts = () => Object.fromEntries((db.prepare('SELECT state, n FROM state_counts WHERE n > 0 ORDER BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n]))
    expect(counts()).toEqual({ accepted: 1, queued: 1 })
    db.prepare(`INSERT INTO registrations (id, receipt_no, state, nik_hmac, sealed, post_id, created_at, updated_at) VALUES ('c', 'R3', 'queued', x'03', x'02', 'P', 't', 't')`).run()
    db.prepare("UPDATE registrations SET state = 'rejected' WHERE id = 'a'").run()
    db.prepare("UPDATE registrations SET updated_at = 'u' WHERE id = 'c'").run()
    expect(counts()).toEqual({ accepted: 1, queued: 1, rejected: 1 })
    db.prepare("DELETE FROM registrations WHERE id = 'b'").run()
    expect(counts()).toEqual({ queued: 1, rejected: 1 })
    expect(counts()).toEqual(
      Object.fromEntries((db.prepare('SELECT state, count(*) AS n FROM registrations GROUP BY state ORDER BY state').all() as Array<{ state: string; n: number }>).map((r) => [r.state, r.n])),
    )
    db.close()
  })
})

describe('migration 009 photo uploads', () => {
  it('moves which photos central confirmed into photo_uploads, drops the column, and follows photo deletes', () => {
    const file = join(tempDir(), 'posko.db')
    const v8 = openDatabase(file, { upTo: 8 })
    const insert = v8.prepare(
      `INSERT INTO photos (sha256, kind, verdict, sealed, bytes, created_at, uploaded_at) VALUES (?, 'face', 'pass', x'01', 1, '2026-11-01T00:00:00.000Z', ?)`,
    )
    insert.run('a'.repeat(64), '2026-11-02T00:00:00.000Z')
    insert.run('b'.repeat(64), null)
    v8.close()
    const db = openDatabase(file, { upTo: 9 })
    expect(db.prepare('SELECT sha256, uploaded_at AS at FROM photo_uploads').all()).toEqual([{ sha256: 'a'.repeat(64), at: '2026-11-02T00:00:00.000Z' }])
    expect((db.prepare('PRAGMA table_info(photos)').all() as Array<{ name: string }>).map((c) => c.name)).not.toContain('uploaded_at')
    expect(db.prepare('SELECT count(*) FROM photos').pluck().get()).toBe(2)
    db.prepare('DELETE FROM photos WHERE sha256 = ?').run('a'.repeat(64))
    expect(db.prepare('SELECT count(*) FROM photo_uploads').pluck().get()).toBe(0)
    expect(() => db.prepare("INSERT INTO photo_uploads (sha256, uploaded_at) VALUES ('c', 't')").run()).toThrow(/FOREIGN KEY/)
    db.close()
  })
})
