import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { tempDir } from '../helpers'
import { columns, databaseAt, dump, isStrict, migrateTo, openDatabase, populate, schema, schemaChanges, STATE_COUNTS, triggers } from '../migration-kit'

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
  it('counts the records of a version-7 kiosk by state and changes none of its rows', () => {
    const at = databaseAt(7)
    populate(at.db, 7)
    const before = dump(at.db)
    const schemaBefore = schema(at.db)
    const db = migrateTo(at, 8)
    expect(dump(db)).toEqual({ ...before, state_counts: Object.entries(STATE_COUNTS).map(([state, n]) => ({ state, n })) })
    expect(schemaChanges(schemaBefore, schema(db))).toEqual({
      added: ['sqlite_autoindex_state_counts_1', 'state_counts', 'state_counts_delete', 'state_counts_insert', 'state_counts_update'],
      removed: [],
      changed: [],
    })
    expect(isStrict(db, 'state_counts')).toBe(true)
    expect(columns(db, 'state_counts')).toEqual([
      { name: 'state', type: 'TEXT', notNull: true, default: null, pk: 1 },
      { name: 'n', type: 'INTEGER', notNull: true, default: null, pk: 0 },
    ])
    expect(triggers(db, 'registrations')).toEqual(['state_counts_delete', 'state_counts_insert', 'state_counts_update'])
    db.close()
  })

  it('on an empty version-7 database starts with no counts; then follows the app\'s transitions and refuses a negative count', () => {
    const db = migrateTo(databaseAt(7), 8)
    expect(dump(db).state_counts).toEqual([])
    populate(db, 8)
    const counts = () => Object.fromEntries(db.prepare<[], [string, number]>('SELECT state, n FROM state_counts ORDER BY state').raw().all())
    const grouped = () => Object.fromEntries(db.prepare<[], [string, number]>('SELECT state, count(*) FROM registrations GROUP BY state ORDER BY state').raw().all())
    expect(counts()).toEqual(STATE_COUNTS)
    // Claimed for upload, answered, then purged by retention; an edit that keeps the state, and a no-op state write.
    db.prepare("UPDATE registrations SET state = 'uploading' WHERE id = 'rec-09-queued'").run()
    db.prepare("UPDATE registrations SET state = 'accepted', central_id = 'C-3001', accepted_at = 't' WHERE id = 'rec-09-queued'").run()
    db.prepare("UPDATE registrations SET sealed = NULL, nik_hmac = NULL, state = 'purged', purged_at = 't' WHERE id = 'rec-03-accepted'").run()
    db.prepare("UPDATE registrations SET updated_at = 'u', state = state WHERE id = 'rec-08-retry'").run()
    expect(counts()).toEqual({ ...STATE_COUNTS, queued: 2, purged: 3 })
    expect(counts()).toEqual(grouped())
    db.prepare("DELETE FROM registrations WHERE id = 'rec-05-rejected'").run()
    expect(counts()).toEqual({ ...STATE_COUNTS, queued: 2, purged: 3, rejected: 0 })
    expect(() => db.prepare("UPDATE state_counts SET n = -1 WHERE state = 'rejected'").run()).toThrow(/CHECK constraint failed: n >= 0/)
    expect(() => db.prepare("INSERT INTO state_counts (state, n) VALUES ('queued', 1)").run()).toThrow(/UNIQUE constraint failed: state_counts.state/)
    db.close()
  })
})
